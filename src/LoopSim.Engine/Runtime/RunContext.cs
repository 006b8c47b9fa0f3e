using System.Runtime.Intrinsics;

namespace LoopSim.Engine.Runtime;

/// <summary>
/// The per-run state that is not in the value vector: DELAY histories and random streams, one per lane
/// (one lane for a single run, eight for a batch). One per simulator.
/// </summary>
internal sealed class RunContext
{
    public RunContext(int lanes, int delayCount, int historyLength)
    {
        Delays = new DelayHistory[delayCount];
        for (int i = 0; i < delayCount; i++) Delays[i] = new DelayHistory(lanes, historyLength);
        Randoms = new SimRandom[lanes];
        for (int l = 0; l < lanes; l++) Randoms[l] = new SimRandom(0);
    }

    public DelayHistory[] Delays { get; }
    public SimRandom[] Randoms { get; }
}

/// <summary>
/// The input history of one fixed DELAY in each lane, one value per DT step. The output at time t is the input at
/// t − delay, interpolated linearly between steps, and the initial value before the start. The double overloads
/// serve one run, the vector ones a batch (each lane exactly as one run).
/// </summary>
internal sealed class DelayHistory
{
    private readonly int _lanes;
    private readonly double[] _values;       // step s, lane l at s * lanes + l
    private readonly double[] _initial;
    private int _recorded;
    private double _start, _dt;

    public DelayHistory(int lanes, int length)
    {
        _lanes = lanes;
        _values = new double[length * lanes];
        _initial = new double[lanes];
    }

    public void Reset(double start, double dt, double initial)
    {
        _start = start; _dt = dt; _initial[0] = initial; _recorded = 0;
    }

    public void Reset(double start, double dt, Vector512<double> initial)
    {
        _start = start; _dt = dt; initial.CopyTo(_initial); _recorded = 0;
    }

    public void Record(int step, double input)
    {
        _values[step] = input;
        _recorded = step + 1;
    }

    public void Record(int step, Vector512<double> input)
    {
        input.CopyTo(_values.AsSpan(step * _lanes, _lanes));
        _recorded = step + 1;
    }

    public void Record(int step, ReadOnlySpan<double> lanes)
    {
        lanes.CopyTo(_values.AsSpan(step * _lanes, _lanes));
        _recorded = step + 1;
    }

    public double Output(double time, double delay) => Output(0, time, delay);

    public Vector512<double> Output(Vector512<double> time, Vector512<double> delay)
    {
        Span<double> lanes = stackalloc double[Vector512<double>.Count];
        for (int l = 0; l < lanes.Length; l++) lanes[l] = Output(l, time[l], delay[l]);
        return Vector512.Create(lanes);
    }

    private double Output(int lane, double time, double delay)
    {
        double position = (time - delay - _start) / _dt;
        if (position < -1e-9) return _initial[lane];
        if (_recorded == 0) return _initial[lane];
        int below = (int)Math.Floor(position + 1e-9);
        if (below >= _recorded - 1) return Value(_recorded - 1, lane);
        double fraction = position - below;
        if (fraction < 1e-9) return Value(below, lane);
        return Value(below, lane) + fraction * (Value(below + 1, lane) - Value(below, lane));
    }

    private double Value(int step, int lane) => _values[step * _lanes + lane];
}

/// <summary>
/// xoshiro256** seeded through SplitMix64: a run's random stream is a pure function of its seed, so results are
/// identical whatever thread runs it. Derives from System.Random so samplers written for Random can draw from it.
/// </summary>
public sealed class SimRandom : Random
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public SimRandom(ulong seed) => Reseed(seed);

    /// <summary>Restarts the stream: the four state words are SplitMix64's first four outputs from <paramref name="seed"/>, as xoshiro's authors recommend.</summary>
    public void Reseed(ulong seed)
    {
        const ulong gamma = 0x9E3779B97F4A7C15UL;
        _s0 = SplitMix64(seed);
        _s1 = SplitMix64(seed + gamma);
        _s2 = SplitMix64(seed + unchecked(2 * gamma));
        _s3 = SplitMix64(seed + unchecked(3 * gamma));
        _hasSpare = false;
    }

    /// <summary>One output of Steele, Lea and Flood's SplitMix64 generator whose state was <paramref name="x"/>.</summary>
    public static ulong SplitMix64(ulong x)
    {
        ulong z = x + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = BitRotate(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitRotate(_s3, 45);
        return result;
    }

    private static ulong BitRotate(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform strictly inside (0, 1): the top 53 bits plus one half, times 2^-53, so inverse CDFs never see 0 or 1.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

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

    protected override double Sample() => NextDouble();

    public override int Next() => (int)(NextUInt64() >> 33);

    public override int Next(int maxValue) => (int)(NextDouble() * maxValue);

    public override int Next(int minValue, int maxValue) => minValue + (int)(NextDouble() * ((long)maxValue - minValue));

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(NextUInt64() >> 56);
    }

    /// <summary>A standard normal variate (Marsaglia's polar method; deterministic given the stream).</summary>
    public double NextStandardNormal()
    {
        if (_hasSpare) { _hasSpare = false; return _spareNormal; }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * factor;
        _hasSpare = true;
        return u * factor;
    }
}
