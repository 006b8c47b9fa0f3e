using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Simulation;

/// <summary>
/// Runs a compiled model. Holds every buffer a run needs, allocated once, so a run allocates nothing.
/// Not thread-safe: use one per thread.
/// </summary>
public sealed unsafe class Simulator
{
    private readonly CompiledModel _model;
    private readonly double[] _values;
    private readonly RunContext _context;
    private readonly int[] _stockSlots;
    private readonly bool[] _nonNegative;
    private readonly int[] _parameterSlots;
    private readonly int[] _randomSlots;
    private readonly bool[] _randomNormal;
    private readonly int[] _delayInputSlots;
    private readonly int[] _delayIndex;
    private readonly int[] _outputSlots;
    private readonly double[] _startStocks, _k1, _k2, _k3, _k4;
    // Where the fused Euler loop saves rows during a run (valid only inside Execute).
    private readonly int[] _saveSlots;
    private int _saveCount;
    private double* _saveBuffer;

    internal Simulator(CompiledModel model)
    {
        _model = model;
        var nodes = model.Nodes;
        _values = new double[CodeGen.FirstNodeSlot + nodes.Count];
        _context = new RunContext(model.DelayCount, model.StepCount + 1);
        _stockSlots = model.StockNodes.Select(CodeGen.SlotOf).ToArray();
        _nonNegative = model.StockNodes.Select(i => nodes[i].NonNegative).ToArray();
        _parameterSlots = model.ParameterNodes.Select(CodeGen.SlotOf).ToArray();
        var randoms = Enumerable.Range(0, nodes.Count).Where(i => nodes[i].Kind == NodeKind.RandomDraw).ToArray();
        _randomSlots = randoms.Select(CodeGen.SlotOf).ToArray();
        _randomNormal = randoms.Select(i => nodes[i].StandardNormal).ToArray();
        var delays = Enumerable.Range(0, nodes.Count).Where(i => nodes[i].Kind == NodeKind.FixedDelay).ToArray();
        _delayInputSlots = delays.Select(i => CodeGen.SlotOf(nodes[i].DelayInput)).ToArray();
        _delayIndex = delays.Select(i => nodes[i].DelayIndex).ToArray();
        _outputSlots = model.OutputNodes.Select(CodeGen.SlotOf).ToArray();
        int n = _stockSlots.Length;
        (_startStocks, _k1, _k2, _k3, _k4) = (new double[n], new double[n], new double[n], new double[n], new double[n]);
        _saveSlots = new int[_values.Length];
    }

    public int SaveCount => _model.SaveTimes.Length;

    /// <summary>The run's DELAY histories, for re-evaluating equations after a run (loop analysis).</summary>
    internal RunContext Context => _context;
    public double[] SaveTimes => _model.SaveTimes;

    /// <summary>Runs once; writes output k (an index into OutputNames) at save point i into buffer[i * outputs.Length + k].</summary>
    public void Run(ReadOnlySpan<double> parameters, ulong seed, ReadOnlySpan<int> outputs, Span<double> buffer)
    {
        if (parameters.Length != _parameterSlots.Length)
            throw new ArgumentException($"expected {_parameterSlots.Length} parameters, got {parameters.Length}", nameof(parameters));
        if (buffer.Length < SaveCount * outputs.Length)
            throw new ArgumentException("the buffer is too small for the outputs at every save time", nameof(buffer));
        Span<int> slots = outputs.Length <= 256 ? stackalloc int[outputs.Length] : new int[outputs.Length];
        for (int k = 0; k < outputs.Length; k++) slots[k] = _outputSlots[outputs[k]];
        Execute(parameters, seed, slots, _model.SaveStride, buffer);
    }

    /// <summary>Runs once and records every node's slot at every DT (for the loop analysis): result[step][slot].</summary>
    internal double[][] RunRecordingEverySlot(ReadOnlySpan<double> parameters, ulong seed)
    {
        int slotCount = _values.Length;
        var all = new int[slotCount];
        for (int s = 0; s < slotCount; s++) all[s] = s;
        var flat = new double[(_model.StepCount + 1) * slotCount];
        Execute(parameters, seed, all, 1, flat);
        var result = new double[_model.StepCount + 1][];
        for (int i = 0; i < result.Length; i++) result[i] = flat.AsSpan(i * slotCount, slotCount).ToArray();
        return result;
    }

    private void Execute(ReadOnlySpan<double> parameters, ulong seed, ReadOnlySpan<int> saveSlots, int stride, Span<double> buffer)
    {
        var specs = _model.Specs;
        var v = _values;
        double dt = specs.Dt, start = specs.Start;
        Array.Clear(v);
        v[CodeGen.TimeSlot] = start;
        v[CodeGen.DtSlot] = dt;
        v[CodeGen.StartSlot] = start;
        v[CodeGen.StopSlot] = specs.Stop;
        for (int p = 0; p < _parameterSlots.Length; p++) v[_parameterSlots[p]] = parameters[p];
        _context.Random.Reseed(seed);

        DrawRandoms();
        _model.Initialize(v, _context);
        RecordDelays(0);
        Save(0, saveSlots, buffer);

        if (_model.EulerLoop is { } eulerLoop && stride == _model.SaveStride)
        {
            saveSlots.CopyTo(_saveSlots);
            _saveCount = saveSlots.Length;
            fixed (double* rows = buffer)
            {
                _saveBuffer = rows;
                try { eulerLoop(v, _context, this); }
                finally { _saveBuffer = null; }
            }
            return;
        }

        int steps = _model.StepCount;
        var method = specs.Method;
        for (int step = 0; step < steps; step++)
        {
            double time = start + step * dt;
            switch (method)
            {
                case IntegrationMethod.Euler: EulerStep(dt); break;
                case IntegrationMethod.RK2: Rk2Step(time, dt); break;
                default: Rk4Step(time, dt); break;
            }
            v[CodeGen.TimeSlot] = start + (step + 1) * dt;
            DrawRandoms();
            _model.ComputeEachStep(v, _context);
            RecordDelays(step + 1);
            if ((step + 1) % stride == 0) Save((step + 1) / stride, saveSlots, buffer);
        }
    }

    private void EulerStep(double dt)
    {
        var v = _values;
        _model.Derivatives(v, _k1);
        for (int k = 0; k < _stockSlots.Length; k++) SetStock(k, v[_stockSlots[k]] + dt * _k1[k]);
    }

    /// <summary>Heun's method: the average of the slopes at the start and at the Euler-predicted end of the step.</summary>
    private void Rk2Step(double time, double dt)
    {
        var v = _values;
        SaveStocks();
        _model.Derivatives(v, _k1);
        Stage(time + dt, dt, _k1);
        _model.Derivatives(v, _k2);
        for (int k = 0; k < _stockSlots.Length; k++) SetStock(k, _startStocks[k] + dt / 2 * (_k1[k] + _k2[k]));
    }

    private void Rk4Step(double time, double dt)
    {
        var v = _values;
        SaveStocks();
        _model.Derivatives(v, _k1);
        Stage(time + dt / 2, dt / 2, _k1);
        _model.Derivatives(v, _k2);
        Stage(time + dt / 2, dt / 2, _k2);
        _model.Derivatives(v, _k3);
        Stage(time + dt, dt, _k3);
        _model.Derivatives(v, _k4);
        for (int k = 0; k < _stockSlots.Length; k++)
            SetStock(k, _startStocks[k] + dt / 6 * (_k1[k] + 2 * _k2[k] + 2 * _k3[k] + _k4[k]));
    }

    private void SaveStocks()
    {
        for (int k = 0; k < _stockSlots.Length; k++) _startStocks[k] = _values[_stockSlots[k]];
    }

    /// <summary>An intermediate stage: stocks at start + h × slope, flows and auxiliaries recomputed at that time.</summary>
    private void Stage(double time, double h, double[] slope)
    {
        for (int k = 0; k < _stockSlots.Length; k++) _values[_stockSlots[k]] = _startStocks[k] + h * slope[k];
        _values[CodeGen.TimeSlot] = time;
        _model.ComputeEachStep(_values, _context);
    }

    /// <summary>Non-negative stocks are held at zero rather than going below it.</summary>
    private void SetStock(int k, double value) => _values[_stockSlots[k]] = _nonNegative[k] && value < 0 ? 0 : value;

    /// <summary>Called by the fused Euler loop at a save step, after it has copied its locals to the value vector.</summary>
    internal void SaveRow(int index)
    {
        var row = _saveBuffer + (long)index * _saveCount;
        for (int k = 0; k < _saveCount; k++) row[k] = _values[_saveSlots[k]];
    }

    internal void DrawRandoms()
    {
        var random = _context.Random;
        for (int r = 0; r < _randomSlots.Length; r++)
            _values[_randomSlots[r]] = _randomNormal[r] ? random.NextStandardNormal() : random.NextDouble();
    }

    private void RecordDelays(int step)
    {
        for (int d = 0; d < _delayInputSlots.Length; d++) _context.Delays[_delayIndex[d]].Record(step, _values[_delayInputSlots[d]]);
    }

    private void Save(int index, ReadOnlySpan<int> slots, Span<double> buffer)
    {
        var row = buffer.Slice(index * slots.Length, slots.Length);
        for (int k = 0; k < slots.Length; k++) row[k] = _values[slots[k]];
    }
}
