using System.Text;
using LoopSim.Engine.Runtime;

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
/// of a run (the engine's <c>ulong seed</c>) or a sampling stream: the same xoshiro256** (<see cref="SimRandom"/>).
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
        /// <summary>Index = metric: the resampled base points of a Sobol' analysis's bootstrap intervals.</summary>
        SensitivityBootstrap = 4,
        /// <summary>Index = trajectory: the start point, directions and order of a Morris trajectory.</summary>
        MorrisTrajectory = 5,
        /// <summary>Index = 0: a calibration's multi-start design and its Markov chains.</summary>
        Calibration = 6,
    }

    public static ulong Key(ulong seed, string city, Purpose purpose, long index) =>
        SimRandom.SplitMix64(SimRandom.SplitMix64(SimRandom.SplitMix64(SimRandom.SplitMix64(seed) ^ Fnv1a64(city)) ^ (ulong)purpose) ^ (ulong)index);

    /// <summary>The seed passed to the engine for run <paramref name="run"/>'s equation random functions.</summary>
    public static ulong EquationSeed(ulong seed, string city, int run) => Key(seed, city, Purpose.Equations, run);

    public static SimRandom Stream(ulong seed, string city, Purpose purpose, long index) =>
        new(Key(seed, city, purpose, index));

    /// <summary>64-bit FNV-1a of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a64(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 0x100000001B3UL;
        return hash;
    }
}
