using LoopSim.Engine.Runtime;

namespace LoopSim.Engine.Simulation;

/// <summary>
/// Runs a compiled model, one run at a time. Holds every buffer a run needs, allocated once, so a run allocates
/// nothing. Not thread-safe: use one per thread.
/// </summary>
public sealed class Simulator
{
    private readonly CompiledModel _model;
    private readonly RunEngine<double> _engine;

    internal Simulator(CompiledModel model)
    {
        _model = model;
        _engine = new RunEngine<double>(model.Layout, model.Phases);
    }

    public int SaveCount => _model.SaveTimes.Length;
    public double[] SaveTimes => _model.SaveTimes;

    /// <summary>The run's DELAY histories, for re-evaluating equations after a run (loop analysis).</summary>
    internal RunContext Context => _engine.Context;

    /// <summary>Forces the phase-by-phase path where the fused Euler loop would run (tests compare the two).</summary>
    internal bool PhaseByPhase { set => _engine.PhaseByPhase = value; }

    /// <summary>Runs once; writes output k (an index into OutputNames) at save point i into buffer[i * outputs.Length + k].</summary>
    public void Run(ReadOnlySpan<double> parameters, ulong seed, ReadOnlySpan<int> outputs, Span<double> buffer) =>
        Run(parameters, seed, outputs, buffer, SaveLayout.RunAfterRun(SaveCount, outputs.Length));

    /// <summary>Runs once; writes output k at save point i where <paramref name="layout"/> puts it for run 0.</summary>
    public void Run(ReadOnlySpan<double> parameters, ulong seed, ReadOnlySpan<int> outputs, Span<double> buffer, SaveLayout layout)
    {
        _model.CheckRun(parameters.Length, 1, outputs, buffer.Length, layout);
        Span<int> slots = outputs.Length <= 256 ? stackalloc int[outputs.Length] : new int[outputs.Length];
        _model.OutputSlots(outputs, slots);
        _engine.Execute(parameters, [seed], slots, _model.SaveStride, buffer, layout);
    }

    /// <summary>Runs once and records every node's slot at every DT (for the loop analysis): result[step][slot].</summary>
    internal double[][] RunRecordingEverySlot(ReadOnlySpan<double> parameters, ulong seed)
    {
        int slotCount = _engine.SlotCount;
        var all = Enumerable.Range(0, slotCount).ToArray();
        var flat = new double[(_model.StepCount + 1) * slotCount];
        _engine.Execute(parameters, [seed], all, 1, flat, SaveLayout.RunAfterRun(_model.StepCount + 1, slotCount));
        var result = new double[_model.StepCount + 1][];
        for (int i = 0; i < result.Length; i++) result[i] = flat.AsSpan(i * slotCount, slotCount).ToArray();
        return result;
    }
}
