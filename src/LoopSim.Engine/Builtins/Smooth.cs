using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;
using static LoopSim.Engine.Compilation.BuiltinLowering;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// SMTH1, SMTH3, SMTHN (XMILE 1.0 §3.5.3; Vensim's SMOOTH, SMOOTHI, SMOOTH3, SMOOTH3I): an n-th-order exponential
/// smooth is n stocks in cascade, each adjusting toward the one before over time/n, all starting at the initial
/// value (default: the input's). The output is the last stock.
/// </summary>
internal static class Smooth
{
    public static IrExpr Lower(BuiltinLowering at, IrExpr input, IrExpr time, int order, IrExpr? initial)
    {
        var inputRef = at.Operand(input, "input");
        var stageTime = at.Operand(order == 1 ? time : Divide(time, new IrNumber(order, time.Position)), "stage time");
        var start = initial is null ? inputRef : at.Operand(initial, "initial value");
        IrExpr previous = inputRef;
        for (int k = 1; k <= order; k++)
        {
            int stock = at.Stock($"stage {k}", start);
            int flow = at.Flow($"stage {k} change", Divide(Subtract(previous, at.Ref(stock)), stageTime));
            at.Fill(stock, flow);
            previous = at.Ref(stock);
        }
        return previous;
    }
}
