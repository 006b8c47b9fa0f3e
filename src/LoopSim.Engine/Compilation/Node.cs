using LoopSim.Engine.Expressions;
using LoopSim.Engine.Model;

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

/// <summary>One variable of the lowered model: a model variable, or a hidden one made for a builtin.</summary>
internal sealed class Node
{
    public required string Name { get; init; }          // canonical, unique
    public required string DisplayName { get; init; }
    public required NodeKind Kind { get; init; }
    /// <summary>Made by lowering (not a model variable): not in the outputs.</summary>
    public bool Hidden { get; init; }
    /// <summary>For hidden structure: the builtin call it implements, e.g. "SMTH3" — the loop analysis marks these links as delays.</summary>
    public string? Builtin { get; init; }
    /// <summary>Stock: initial value; Flow/Aux: value (before Graph); InitSnapshot: the argument.</summary>
    public Expr? Equation { get; set; }
    public string EquationText { get; init; } = "";
    public GraphicalFunction? Graph { get; init; }
    public bool NonNegative { get; init; }
    public List<int> Inflows { get; } = new();
    public List<int> Outflows { get; } = new();
    /// <summary>A constant that a run can change without recompiling (see CompiledModel.ParameterNames).</summary>
    public bool IsParameter { get; set; }
    public double ParameterValue { get; set; }
    public SourceLocation? Location { get; init; }

    // FixedDelay: Equation is the delay time; DelayInput the hidden aux holding the input; InitialValue the
    // output before the first input arrives (null: the input's initial value); DelayIndex its history buffer.
    public int DelayInput { get; init; } = -1;
    public Expr? InitialValue { get; init; }
    public int DelayIndex { get; init; } = -1;

    // RandomDraw
    public bool StandardNormal { get; init; }

    public int Slot { get; set; }

    public override string ToString() => DisplayName;
}
