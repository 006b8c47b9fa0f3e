using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;
using static LoopSim.Engine.Compilation.BuiltinLowering;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// DELAY1, DELAY3, DELAYN (XMILE 1.0 §3.5.3; Vensim's DELAY1I, DELAY3I): an n-th-order material delay is n stocks in
/// cascade, each draining at stock/(time/n), so what flows in flows out. Each stock starts at initial × time/n
/// (initial: the outflow at the start, default the input). The output is the last stage's outflow.
/// </summary>
internal static class MaterialDelay
{
    public static IrExpr Lower(BuiltinLowering at, IrExpr input, IrExpr time, int order, IrExpr? initial)
    {
        var inputRef = at.Operand(input, "input");
        var stageTime = at.Operand(order == 1 ? time : Divide(time, new IrNumber(order, time.Position)), "stage time");
        var initialOutflow = initial is null ? inputRef : at.Operand(initial, "initial value");
        int inflow = at.Flow("inflow", inputRef);
        int outflow = -1;
        for (int k = 1; k <= order; k++)
        {
            int stock = at.Stock($"stage {k}", Multiply(initialOutflow, stageTime));
            outflow = at.Flow($"stage {k} outflow", Divide(at.Ref(stock), stageTime));
            at.Fill(stock, inflow);
            at.Drain(stock, outflow);
            inflow = outflow;
        }
        return at.Ref(outflow);
    }
}
