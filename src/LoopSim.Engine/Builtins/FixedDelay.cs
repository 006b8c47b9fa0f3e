using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// DELAY (XMILE 1.0 §3.5.3): a fixed pipeline delay, the input as it was one delay time ago, interpolated between
/// steps from its history (Runtime.DelayHistory); the initial value (default: the input's) before the first input
/// arrives. Never approximated by a cascade of stocks. Vensim's DELAY FIXED is the same with the delay time fixed
/// at its initial value.
/// </summary>
internal static class FixedDelay
{
    public static IrExpr Lower(BuiltinLowering at, IrExpr input, IrExpr delayTime, IrExpr? initial)
    {
        int inputNode = at.Aux("input", input);
        return at.Ref(at.FixedDelay("output", inputNode, delayTime, initial));
    }

    /// <summary>Vensim's DELAY FIXED(input, delay time, initial value): only the delay time's initial value is used.</summary>
    public static IrExpr LowerFixedTime(BuiltinLowering at, IrExpr input, IrExpr delayTime, IrExpr initial) =>
        Lower(at, input, at.Ref(at.InitialValue("delay time at the start", delayTime)), initial);
}
