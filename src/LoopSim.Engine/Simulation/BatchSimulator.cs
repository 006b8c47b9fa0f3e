using System.Runtime.Intrinsics;
using LoopSim.Engine.Runtime;

namespace LoopSim.Engine.Simulation;

/// <summary>
/// Runs a compiled model up to <see cref="BatchSize"/> runs at once, one per lane of a Vector512&lt;double&gt;
/// (structure of arrays: one instruction advances every run). Each run's results equal those of
/// <see cref="Simulator.Run"/> with the same parameters and seed, bit for bit. Allocates nothing per batch.
/// Not thread-safe: use one per thread.
/// </summary>
public sealed class BatchSimulator
{
    private readonly CompiledModel _model;
    private readonly RunEngine<Vector512<double>> _engine;

    internal BatchSimulator(CompiledModel model)
    {
        _model = model;
        _engine = new RunEngine<Vector512<double>>(model.Layout, model.BatchPhases);
    }

    /// <summary>The most runs one call advances together (8).</summary>
    public static int BatchSize => Vector512<double>.Count;

    public int SaveCount => _model.SaveTimes.Length;
    public double[] SaveTimes => _model.SaveTimes;

    /// <summary>Forces the phase-by-phase path where the fused Euler loop would run (tests compare the two).</summary>
    internal bool PhaseByPhase { set => _engine.PhaseByPhase = value; }

    /// <summary>
    /// Runs seeds.Length runs (1 to <see cref="BatchSize"/>) at once. Run r takes the parameter vector
    /// parameters[r × P, (r + 1) × P), P = ParameterNames.Count, and seeds[r]; it writes output k (an index into
    /// OutputNames) at save point i into buffer[r × SaveCount × outputs.Length + i × outputs.Length + k]: the
    /// layout of <see cref="Simulator.Run(ReadOnlySpan{double}, ulong, ReadOnlySpan{int}, Span{double})"/>, run after run.
    /// </summary>
    public void Run(ReadOnlySpan<double> parameters, ReadOnlySpan<ulong> seeds, ReadOnlySpan<int> outputs, Span<double> buffer) =>
        Run(parameters, seeds, outputs, buffer, SaveLayout.RunAfterRun(SaveCount, outputs.Length));

    /// <summary>As <see cref="Run(ReadOnlySpan{double}, ReadOnlySpan{ulong}, ReadOnlySpan{int}, Span{double})"/>, with the values laid out as <paramref name="layout"/> says.</summary>
    public void Run(ReadOnlySpan<double> parameters, ReadOnlySpan<ulong> seeds, ReadOnlySpan<int> outputs, Span<double> buffer, SaveLayout layout)
    {
        if (seeds.Length is 0 || seeds.Length > BatchSize)
            throw new ArgumentException($"a batch has 1 to {BatchSize} runs (one seed each), not {seeds.Length}", nameof(seeds));
        _model.CheckRun(parameters.Length, seeds.Length, outputs, buffer.Length, layout);
        Span<int> slots = outputs.Length <= 256 ? stackalloc int[outputs.Length] : new int[outputs.Length];
        _model.OutputSlots(outputs, slots);
        _engine.Execute(parameters, seeds, slots, _model.SaveStride, buffer, layout);
    }
}
