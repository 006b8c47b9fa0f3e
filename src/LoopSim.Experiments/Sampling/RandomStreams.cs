using System.Text;

namespace LoopSim.Experiments.Sampling;

/// <summary>
/// Where every random number of an experiment comes from. A stream is named by
/// (seed, city, purpose, index) and its 64-bit key is
/// <code>
/// key = SplitMix64(SplitMix64(SplitMix64(SplitMix64(seed) ^ FNV1a64(UTF-8 city name)) ^ purpose) ^ index)
/// </code>
/// SplitMix64(x) is one output of Steele, Lea and Flood's SplitMix64 generator whose state was x
/// (z = x + 0x9E3779B97F4A7C15, then the two xor-shift-multiply rounds). FNV-1a is used for the city
/// because string.GetHashCode is randomised per process. The key seeds either the equation RNG
/// of a run (the engine's <c>ulong seed</c>) or a <see cref="Xoshiro256StarStar"/> stream.
/// Nothing depends on the thread that runs, on the number of runs (except the Latin hypercube
/// design) or on a sweep's grid point: that is what makes results thread-count independent and
/// gives common random numbers across a sweep.
/// </summary>
public static class RandomStreams
{
    /// <summary>What a stream is for; part of its key so that streams for different purposes never coincide.</summary>
    public enum Purpose : ulong
    {
        /// <summary>Index = run: the seed the engine gets for the random functions in the equations.</summary>
        Equations = 1,
        /// <summary>Index = run: the uniforms of that run's uncertain parameters under simple random sampling.</summary>
        SimpleRandom = 2,
        /// <summary>Index = 0: the whole Latin hypercube design (permutations and jitter) of a city.</summary>
        LatinHypercube = 3,
    }

    public static ulong Key(ulong seed, string city, Purpose purpose, long index) =>
        SplitMix64(SplitMix64(SplitMix64(SplitMix64(seed) ^ Fnv1a64(city)) ^ (ulong)purpose) ^ (ulong)index);

    /// <summary>The seed passed to the engine for run <paramref name="run"/>'s equation random functions.</summary>
    public static ulong EquationSeed(ulong seed, string city, int run) => Key(seed, city, Purpose.Equations, run);

    public static Xoshiro256StarStar Stream(ulong seed, string city, Purpose purpose, long index) =>
        new(Key(seed, city, purpose, index));

    /// <summary>One output of SplitMix64 from state <paramref name="x"/>.</summary>
    public static ulong SplitMix64(ulong x)
    {
        ulong z = x + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64-bit FNV-1a of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a64(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 0x100000001B3UL;
        return hash;
    }
}

/// <summary>
/// Blackman and Vigna's xoshiro256** 1.0, seeded as its authors recommend: the four state words
/// are the first four outputs of SplitMix64 started at the key. Not thread-safe: one per run or design.
/// </summary>
public sealed class Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    public Xoshiro256StarStar(ulong key)
    {
        const ulong gamma = 0x9E3779B97F4A7C15UL;
        _s0 = RandomStreams.SplitMix64(key);
        _s1 = RandomStreams.SplitMix64(key + gamma);
        _s2 = RandomStreams.SplitMix64(key + unchecked(2 * gamma));
        _s3 = RandomStreams.SplitMix64(key + unchecked(3 * gamma));
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform number strictly inside (0, 1): the top 53 bits plus one half, times 2^-53, so inverse CDFs never see 0 or 1.</summary>
    public double NextDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, n), without bias (Lemire's multiply-and-reject).</summary>
    public ulong NextBelow(ulong n)
    {
        ulong high = Math.BigMul(NextUInt64(), n, out ulong low);
        if (low < n)
        {
            ulong threshold = (0 - n) % n;
            while (low < threshold) high = Math.BigMul(NextUInt64(), n, out low);
        }
        return high;
    }
}
