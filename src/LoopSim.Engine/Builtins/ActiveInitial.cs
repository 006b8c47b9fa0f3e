using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// Vensim's ACTIVE INITIAL(value, initial value): a hidden aux whose equation during initialisation is the initial
/// value (stocks and other initial values read that) and at every step the value, the start time's included (Vensim
/// reports the value there). Only the initial value orders the start, so it breaks a cycle of initial values.
/// </summary>
internal static class ActiveInitial
{
    public static IrExpr Lower(BuiltinLowering at, IrExpr value, IrExpr initial) => at.Ref(at.AuxStartingFrom("value", value, initial));
}
