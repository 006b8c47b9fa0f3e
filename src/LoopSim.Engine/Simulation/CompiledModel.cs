using System.Runtime.Intrinsics;
using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;
using LoopSim.Engine.Runtime;

namespace LoopSim.Engine.Simulation;

/// <summary>A model compiled once into an ordered plan; run it as often as needed with different parameters and seeds.</summary>
public sealed class CompiledModel
{
    private readonly Dictionary<string, int> _outputIndex = new();
    private readonly Dictionary<string, int> _parameterIndex = new();

    internal CompiledModel(SdModel source, SimSpecs specs, LoweredModel lowered, List<int> initOrder, List<int> runOrder)
    {
        Source = source;
        Specs = specs;
        Lowered = lowered;
        Nodes = lowered.Nodes;
        DelayCount = lowered.DelayCount;
        InitOrder = initOrder;
        RunOrder = runOrder;

        var outputs = Enumerable.Range(0, Nodes.Count)
            .Where(i => !Nodes[i].Hidden && Nodes[i].Kind is NodeKind.Stock or NodeKind.Flow or NodeKind.Aux).ToArray();
        OutputNodes = outputs;
        OutputNames = outputs.Select(i => Nodes[i].DisplayName).ToArray();
        for (int k = 0; k < outputs.Length; k++) _outputIndex[Nodes[outputs[k]].Name] = k;

        var parameters = Enumerable.Range(0, Nodes.Count).Where(i => Nodes[i].IsParameter).ToArray();
        ParameterNodes = parameters;
        ParameterNames = parameters.Select(i => Nodes[i].DisplayName).ToArray();
        DefaultParameters = parameters.Select(i => Nodes[i].ParameterValue).ToArray();
        for (int k = 0; k < parameters.Length; k++) _parameterIndex[Names.Canonical(Nodes[parameters[k]].DisplayName)] = k;

        StockNodes = Enumerable.Range(0, Nodes.Count).Where(i => Nodes[i].Kind == NodeKind.Stock).ToArray();
        StepCount = (int)Math.Floor((specs.Stop - specs.Start) / specs.Dt + 1e-9);
        SaveStride = specs.SaveStep is { } save ? Math.Max(1, (int)Math.Round(save / specs.Dt)) : 1;

        var randoms = Enumerable.Range(0, Nodes.Count).Where(i => Nodes[i].Kind == NodeKind.RandomDraw).ToArray();
        var delays = Enumerable.Range(0, Nodes.Count).Where(i => Nodes[i].Kind == NodeKind.FixedDelay).ToArray();
        Layout = new RunLayout
        {
            Specs = specs,
            SlotCount = Slots.FirstNode + Nodes.Count,
            StockSlots = StockNodes.Select(Slots.Of).ToArray(),
            NonNegative = StockNodes.Select(i => Nodes[i].NonNegative).ToArray(),
            ParameterSlots = ParameterNodes.Select(Slots.Of).ToArray(),
            RandomSlots = randoms.Select(Slots.Of).ToArray(),
            RandomNormal = randoms.Select(i => Nodes[i].StandardNormal).ToArray(),
            DelayInputSlots = delays.Select(i => Slots.Of(Nodes[i].DelayInput)).ToArray(),
            DelayIndex = delays.Select(i => Nodes[i].DelayIndex).ToArray(),
            DelayCount = DelayCount,
            StepCount = StepCount,
            SaveStride = SaveStride,
        };

        CodeGen = new CodeGen(lowered, specs, Lanes.Scalar);
        Phases = CodeGen.Compile<double>(initOrder, runOrder, StockNodes, StepCount, SaveStride);
        // Compiled on the first batch only: one-run users do not pay for it.
        _batchPhases = new Lazy<Phases<Vector512<double>>>(() =>
            new CodeGen(lowered, specs, Lanes.Vector).Compile<Vector512<double>>(initOrder, runOrder, StockNodes, StepCount, SaveStride));
        SaveTimes = Enumerable.Range(0, StepCount / SaveStride + 1).Select(i => specs.Start + i * SaveStride * specs.Dt).ToArray();
    }

    public SdModel Source { get; }
    /// <summary>The sim specs in force (after --method/--dt).</summary>
    public SimSpecs Specs { get; }
    /// <summary>Display names of every stock, flow and auxiliary, model order.</summary>
    public IReadOnlyList<string> OutputNames { get; }
    /// <summary>Constants settable per run without recompiling (a stock's name stands for its constant initial value).</summary>
    public IReadOnlyList<string> ParameterNames { get; }
    public double[] DefaultParameters { get; }
    public double[] SaveTimes { get; }

    internal LoweredModel Lowered { get; }
    internal List<Node> Nodes { get; }
    /// <summary>The node of a model variable by any spelling of its name, or null.</summary>
    internal int? Find(string name) => Lowered.Find(name);
    /// <summary>What RunEngine needs to run the phases.</summary>
    internal RunLayout Layout { get; }
    internal int DelayCount { get; }
    internal List<int> InitOrder { get; }
    internal List<int> RunOrder { get; }
    internal int[] OutputNodes { get; }
    internal int[] ParameterNodes { get; }
    internal int[] StockNodes { get; }
    internal int StepCount { get; }
    internal int SaveStride { get; }
    /// <summary>The scalar code generator (for analyses that evaluate single equations).</summary>
    internal CodeGen CodeGen { get; }
    internal Phases<double> Phases { get; }
    private readonly Lazy<Phases<Vector512<double>>> _batchPhases;
    internal Phases<Vector512<double>> BatchPhases => _batchPhases.Value;

    public int ParameterIndex(string name) => _parameterIndex.TryGetValue(Names.Canonical(name), out var k) ? k
        : throw Unknown(name, ParameterNames, "is not a constant of the model, so it cannot be set per run");

    public int OutputIndex(string name) => _outputIndex.TryGetValue(Names.Canonical(name), out var k) ? k
        : throw Unknown(name, OutputNames, "is not a variable of the model");

    private ModelException Unknown(string name, IEnumerable<string> candidates, string what)
    {
        return new ModelException(DiagnosticCodes.UnknownName, $"'{Names.Display(name)}' {what}", Source.SourceFile is null ? null : new SourceLocation(Source.SourceFile, 0, 0),
            hint: Names.DidYouMean(name, candidates));
    }

    /// <summary>A reusable runner for many runs (one per thread).</summary>
    public Simulator CreateSimulation() => new(this);

    /// <summary>A reusable runner advancing up to <see cref="BatchSimulator.BatchSize"/> runs at once (one per thread); each run's results equal <see cref="Simulator"/>'s.</summary>
    public BatchSimulator CreateBatchSimulation() => new(this);

    internal void CheckRun(int parameterCount, int runs, ReadOnlySpan<int> outputs, int bufferLength, SaveLayout layout)
    {
        if (parameterCount != runs * ParameterNodes.Length)
            throw new ArgumentException($"expected {ParameterNodes.Length} parameters per run for {runs} run(s), got {parameterCount}", nameof(parameterCount));
        foreach (var k in outputs)
            if ((uint)k >= (uint)OutputNodes.Length)
                throw new ArgumentOutOfRangeException(nameof(outputs), $"output index {k} is not an index into OutputNames (0 to {OutputNodes.Length - 1})");
        if (layout.RunStride < 0 || layout.RowStride < 0 || layout.OutputStride < 0)
            throw new ArgumentException("a save layout's strides are not negative", nameof(layout));
        if (bufferLength < layout.Extent(runs, SaveTimes.Length, outputs.Length))
            throw new ArgumentException("the buffer is too small for the outputs at every save time", nameof(bufferLength));
    }

    /// <summary>The value slots of output indices.</summary>
    internal void OutputSlots(ReadOnlySpan<int> outputs, Span<int> slots)
    {
        for (int k = 0; k < outputs.Length; k++) slots[k] = Slots.Of(OutputNodes[outputs[k]]);
    }

    /// <summary>One run with every output at every save time.</summary>
    public SimulationResult Run(double[]? parameters = null, ulong seed = 0) =>
        Collect((outputs, values, layout) => CreateSimulation().Run(parameters ?? DefaultParameters, seed, outputs, values, layout));

    /// <summary>
    /// One run with every output at every save time, made by <paramref name="run"/>: given the outputs, it writes their
    /// values into the buffer in the layout given (any runner of this model: a simulation, or a batch runner's lane).
    /// </summary>
    public SimulationResult Collect(Action<int[], double[], SaveLayout> run)
    {
        var outputs = Enumerable.Range(0, OutputNames.Count).ToArray();
        var values = new double[SaveTimes.Length * outputs.Length];
        run(outputs, values, SaveLayout.Columns(SaveTimes.Length, 1));
        return SimulationResult.FromColumns((double[])SaveTimes.Clone(), OutputNames, values);
    }
}
