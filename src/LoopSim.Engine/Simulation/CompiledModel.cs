using LoopSim.Engine.Compilation;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Simulation;

/// <summary>A model compiled once into an ordered plan; run it as often as needed with different parameters and seeds.</summary>
public sealed class CompiledModel
{
    private readonly Dictionary<string, int> _outputIndex = new();
    private readonly Dictionary<string, int> _parameterIndex = new();

    internal CompiledModel(SdModel source, SimSpecs specs, Lowering.Result lowered, List<int> initOrder, List<int> runOrder)
    {
        Source = source;
        Specs = specs;
        Nodes = lowered.Nodes;
        ByName = lowered.ByName;
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

        var codegen = new CodeGen(Nodes, ByName, specs);
        Initialize = codegen.Initialize(initOrder);
        ComputeEachStep = codegen.ComputeEachStep(runOrder);
        Derivatives = codegen.Derivatives(StockNodes);
        if (specs.Method == IntegrationMethod.Euler) EulerLoop = codegen.EulerLoop(runOrder, StockNodes, StepCount, SaveStride);
        CodeGen = codegen;
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

    internal List<Node> Nodes { get; }
    internal Dictionary<string, int> ByName { get; }
    internal int DelayCount { get; }
    internal List<int> InitOrder { get; }
    internal List<int> RunOrder { get; }
    internal int[] OutputNodes { get; }
    internal int[] ParameterNodes { get; }
    internal int[] StockNodes { get; }
    internal int StepCount { get; }
    internal int SaveStride { get; }
    internal Action<double[], RunContext> Initialize { get; }
    internal Action<double[], RunContext> ComputeEachStep { get; }
    internal Action<double[], double[]> Derivatives { get; }
    /// <summary>The fused Euler run (null for RK2/RK4, which go phase by phase).</summary>
    internal Action<double[], RunContext, Simulator>? EulerLoop { get; }
    internal CodeGen CodeGen { get; }

    public int ParameterIndex(string name) => _parameterIndex.TryGetValue(Names.Canonical(name), out var k) ? k
        : throw Unknown(name, ParameterNames, "is not a constant of the model, so it cannot be set per run");

    public int OutputIndex(string name) => _outputIndex.TryGetValue(Names.Canonical(name), out var k) ? k
        : throw Unknown(name, OutputNames, "is not a variable of the model");

    private ModelException Unknown(string name, IEnumerable<string> candidates, string what)
    {
        var close = Names.Suggest(name, candidates);
        return new ModelException($"'{Names.Display(name)}' {what}", Source.SourceFile is null ? null : new SourceLocation(Source.SourceFile, 0, 0),
            hint: close.Count > 0 ? $"Did you mean {string.Join(", ", close.Select(c => "'" + Names.Display(c) + "'"))}?" : null);
    }

    /// <summary>A reusable runner for many runs (one per thread).</summary>
    public Simulator CreateSimulation() => new(this);

    /// <summary>One run with every output at every save time.</summary>
    public SimulationResult Run(double[]? parameters = null, ulong seed = 0)
    {
        var simulation = CreateSimulation();
        var outputs = Enumerable.Range(0, OutputNames.Count).ToArray();
        var buffer = new double[SaveTimes.Length * outputs.Length];
        simulation.Run(parameters ?? DefaultParameters, seed, outputs, buffer);
        var series = new double[outputs.Length][];
        for (int k = 0; k < outputs.Length; k++)
        {
            series[k] = new double[SaveTimes.Length];
            for (int i = 0; i < SaveTimes.Length; i++) series[k][i] = buffer[i * outputs.Length + k];
        }
        return new SimulationResult((double[])SaveTimes.Clone(), OutputNames, series);
    }
}
