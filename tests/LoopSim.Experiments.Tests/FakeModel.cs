using LoopSim.Engine.Runtime;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.Tests;

/// <summary>
/// A stand-in for a compiled model whose outputs are known in closed form, to test the Monte Carlo
/// machinery on its own: parameters growth, start, cap; outputs
/// level(t) = start + growth·t, noise(t) = a uniform draw per saved time from the run's seed, cap.
/// Saved times 0, 1, …, 10.
/// </summary>
internal sealed class FakeModel : IRunnableModel
{
    public IReadOnlyList<string> ParameterNames { get; } = ["Growth Rate", "start", "cap"];
    public IReadOnlyList<double> DefaultParameters { get; } = [1.0, 10.0, 100.0];
    public IReadOnlyList<string> OutputNames { get; } = ["level", "noise", "cap", "Growth Rate"];
    public IReadOnlyList<double> SaveTimes { get; } = Enumerable.Range(0, 11).Select(t => (double)t).ToArray();
    /// <summary>How many runs a runner takes per call (as the engine's batches do).</summary>
    public int BatchSize { get; init; } = 1;
    /// <summary>Called after every run with the number of runs so far (for cancellation tests).</summary>
    public Action<int>? AfterRun { get; init; }
    private int _runs;
    public int RunsStarted => _runs;

    public IModelRunner CreateRunner() => new Runner(this);

    public static double Value(int output, double t, ReadOnlySpan<double> p, ulong seed, int saveIndex) => output switch
    {
        0 => p[1] + p[0] * t,
        1 => Noise(seed, saveIndex),
        2 => p[2],
        _ => p[0],
    };

    private static double Noise(ulong seed, int saveIndex)
    {
        var rng = new SimRandom(seed);
        double u = 0;
        for (int i = 0; i <= saveIndex; i++) u = rng.NextOpenDouble();
        return u;
    }

    private sealed class Runner(FakeModel model) : IModelRunner
    {
        public int BatchSize => model.BatchSize;

        public void Run(ReadOnlySpan<double> parameters, ReadOnlySpan<ulong> seeds, ReadOnlySpan<int> outputs, Span<double> buffer, SaveLayout layout)
        {
            Assert.InRange(seeds.Length, 1, BatchSize);
            int p = parameters.Length / seeds.Length;
            for (int r = 0; r < seeds.Length; r++)
            {
                for (int i = 0; i < model.SaveTimes.Count; i++)
                    for (int k = 0; k < outputs.Length; k++)
                        buffer[(int)(r * layout.RunStride + i * layout.RowStride + k * layout.OutputStride)] = Value(outputs[k], model.SaveTimes[i], parameters.Slice(r * p, p), seeds[r], i);
                model.AfterRun?.Invoke(Interlocked.Increment(ref model._runs));
            }
        }
    }
}
