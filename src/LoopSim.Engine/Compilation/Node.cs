using LoopSim.Engine.Builtins;
using LoopSim.Engine.Model;
using LoopSim.Engine.Semantics;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Compilation;

internal enum NodeKind
{
    Stock,
    Flow,
    Aux,
    /// <summary>A named graphical function without input: only called, never evaluated on its own.</summary>
    LookupTable,
    /// <summary>INIT(x): x evaluated once, at the start.</summary>
    InitSnapshot,
    /// <summary>A fixed DELAY's output, read from the input's history.</summary>
    FixedDelay,
    /// <summary>A random variate drawn once per DT (uniform on [0,1) or standard normal).</summary>
    RandomDraw,
}

/// <summary>
/// One variable of the lowered model: a model variable (node i is variable i of the resolved model), or a hidden
/// one made for a builtin. Equations are resolved IR with no stateful builtin left; references are node ids.
/// </summary>
internal sealed class Node
{
    /// <summary>Canonical name of a model variable; for hidden nodes a unique name that says what they are.</summary>
    public required string Name { get; init; }
    public required string DisplayName { get; init; }
    public required NodeKind Kind { get; init; }
    /// <summary>Made by lowering (not a model variable): not in the outputs.</summary>
    public bool Hidden { get; init; }
    /// <summary>For hidden structure: the builtin it implements (the loop analysis marks these links as delays).</summary>
    public Builtin? Builtin { get; init; }
    /// <summary>Stock: initial value; Flow/Aux: value (before Graph); InitSnapshot: the argument; FixedDelay: the delay time.</summary>
    public IrExpr? Equation { get; set; }
    /// <summary>Aux: its equation while the model initialises, when that differs from <see cref="Equation"/> (ACTIVE INITIAL); else null.</summary>
    public IrExpr? InitialEquation { get; set; }
    /// <summary>The parsed equation the node comes from (a hidden node: its owner's), for messages.</summary>
    public Equation? Source { get; init; }
    public GraphicalFunction? Graph { get; init; }
    public bool NonNegative { get; init; }
    /// <summary>
    /// Flow: the non-negative stock it drains and is limited by (its only source), or −1. Such an outflow takes at
    /// most what the stock holds at the start of the step, after the outflows listed before it (see CodeGen.Limited).
    /// </summary>
    public int DrainedStock { get; set; } = -1;
    public List<int> Inflows { get; } = new();
    /// <summary>Outflows in priority order (a non-negative stock serves them first to last).</summary>
    public List<int> Outflows { get; } = new();
    /// <summary>A constant that a run can change without recompiling (see CompiledModel.ParameterNames).</summary>
    public bool IsParameter { get; set; }
    public double ParameterValue { get; set; }
    public SourceLocation? Location { get; init; }

    // FixedDelay: DelayInput is the hidden aux holding the input; InitialValue the output before the first input
    // arrives (null: the input's initial value); DelayIndex its history buffer.
    public int DelayInput { get; init; } = -1;
    public IrExpr? InitialValue { get; init; }
    public int DelayIndex { get; init; } = -1;

    // RandomDraw
    public bool StandardNormal { get; init; }

    public override string ToString() => DisplayName;
}

/// <summary>The resolved model after lowering: every stateful builtin replaced by hidden nodes, every constant marked as a parameter.</summary>
internal sealed class LoweredModel(ResolvedModel resolved, List<Node> nodes, int delayCount)
{
    public ResolvedModel Resolved { get; } = resolved;
    /// <summary>The model's variables (same ids), then the hidden nodes.</summary>
    public List<Node> Nodes { get; } = nodes;
    /// <summary>How many fixed DELAYs keep a history buffer.</summary>
    public int DelayCount { get; } = delayCount;

    /// <summary>The node of a model variable by any spelling of its name, or null.</summary>
    public int? Find(string name) => Resolved.Find(name);
}
