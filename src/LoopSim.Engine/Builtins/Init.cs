using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;

namespace LoopSim.Engine.Builtins;

/// <summary>INIT (XMILE 1.0 §3.5.6): the value its argument had at the start time, a node computed once in the start pass.</summary>
internal static class Init
{
    public static IrExpr Lower(BuiltinLowering at, IrExpr value) => at.Ref(at.InitialValue("initial value", value));
}
