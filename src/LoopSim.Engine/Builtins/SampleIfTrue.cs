using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;
using static LoopSim.Engine.Compilation.BuiltinLowering;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// Vensim's SAMPLE IF TRUE(condition, input, initial value): the input while the condition holds, else the value it
/// had one DT before; at the start the input if the condition holds, else the initial value. The previous value is
/// a one-DT history (Runtime.DelayHistory, as DELAY's), so it is exact: no stock approximates it.
/// </summary>
internal static class SampleIfTrue
{
    public static IrExpr Lower(BuiltinLowering at, IrExpr condition, IrExpr input, IrExpr initial)
    {
        // The sample reads its own previous value: the node exists first, its equation follows the history's node.
        int sample = at.Aux("sample", initial);
        int previous = at.FixedDelay("previous sample", sample, Apply(BuiltinCatalogue.Dt, at.Call), initial);
        at.Define(sample, new IrIf(condition, input, at.Ref(previous), at.Call.Position));
        return at.Ref(sample);
    }
}
