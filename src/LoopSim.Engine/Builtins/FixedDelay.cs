using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;
using static LoopSim.Engine.Compilation.BuiltinLowering;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// DELAY (XMILE 1.0 §3.5.3): a fixed pipeline delay, the input as it was one delay time ago, interpolated between
/// steps from its history (Runtime.DelayHistory); the initial value (default: the input's) before the first input
/// arrives. Never approximated by a cascade of stocks. Vensim's DELAY FIXED is the same with the delay time fixed
/// at its initial value and rounded to a whole number of steps.
/// </summary>
internal static class FixedDelay
{
    /// <summary>
    /// Vensim rounds a DELAY FIXED's steps half up, after adding its zero (1e-6, "what Vensim considers zero"), as PySD
    /// does: 2.5 steps are 3, 0.5 steps are 1.
    /// </summary>
    private const double RoundingTolerance = 1e-6;

    public static IrExpr Lower(BuiltinLowering at, IrExpr input, IrExpr delayTime, IrExpr? initial)
    {
        int inputNode = at.Aux("input", input);
        return at.Ref(at.FixedDelay("output", inputNode, delayTime, initial));
    }

    /// <summary>
    /// Vensim's DELAY FIXED(input, delay time, initial value): a pipeline of whole steps, as many as the delay time at
    /// the start is steps (rounded, at least 1), so the output is the input that many steps ago, or the initial value.
    /// </summary>
    public static IrExpr LowerFixedTime(BuiltinLowering at, IrExpr input, IrExpr delayTime, IrExpr initial)
    {
        var dt = Apply(BuiltinCatalogue.Dt, at.Call);
        var steps = Apply(BuiltinCatalogue.Max, at.Call, at.Number(1), Divide(delayTime, dt));
        var wholeSteps = Apply(BuiltinCatalogue.Int, at.Call, Add(steps, at.Number(0.5 + RoundingTolerance)));
        return Lower(at, input, at.Ref(at.InitialValue("delay time at the start", Multiply(wholeSteps, dt))), initial);
    }
}
