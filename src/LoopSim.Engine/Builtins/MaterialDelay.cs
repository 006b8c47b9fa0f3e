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

    /// <summary>
    /// Vensim's DELAY N(input, delay time, initial, n): the same cascade, but the delay time moves down the stages one
    /// stage per DT, so a change reaches the k-th stage k − 1 steps later, and the output is the last stage over the
    /// delay time of one step before (from the delay time's history, Runtime.DelayHistory, which holds its initial
    /// value before the start). As Vensim's output for the SDXorg delays model, and PySD, show. With a constant delay
    /// time this is DELAYN exactly, so a number keeps DELAYN's structure and its history costs nothing.
    /// </summary>
    public static IrExpr LowerVensim(BuiltinLowering at, IrExpr input, IrExpr time, int order, IrExpr initial)
    {
        if (time is IrNumber) return Lower(at, input, time, order, initial);
        int delayTime = at.Aux("delay time", time);
        var dt = Apply(BuiltinCatalogue.Dt, at.Call);
        IrExpr StageTime(int stepsAgo) => at.Operand(Divide(
            stepsAgo == 0 ? at.Ref(delayTime) : at.Ref(at.FixedDelay($"delay time {stepsAgo} steps before", delayTime, Multiply(at.Number(stepsAgo), dt), null)),
            at.Number(order)), $"stage time {stepsAgo} steps before");
        // Stage k drains by the delay time of k − 1 steps before; the output reads that of one step before.
        var stageTimes = Enumerable.Range(0, Math.Max(order, 2)).Select(StageTime).ToList();
        var inputRef = at.Operand(input, "input");
        var initialOutflow = at.Operand(initial, "initial value");
        int inflow = at.Flow("inflow", inputRef);
        int last = -1;
        for (int k = 1; k <= order; k++)
        {
            last = at.Stock($"stage {k}", Multiply(initialOutflow, stageTimes[k - 1]));
            int outflow = at.Flow($"stage {k} outflow", Divide(at.Ref(last), stageTimes[k - 1]));
            at.Fill(last, inflow);
            at.Drain(last, outflow);
            inflow = outflow;
        }
        return at.Ref(at.Aux("output", Divide(at.Ref(last), stageTimes[1])));
    }
}