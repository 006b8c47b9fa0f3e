using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;
using static LoopSim.Engine.Compilation.BuiltinLowering;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// TREND (XMILE 1.0 §3.5.3): the fractional growth rate (input − average) / (averaging time × |average|), the average
/// a first-order smooth of the input started at input / (1 + initial trend × averaging time), so that the trend
/// starts at the initial trend (default 0).
/// </summary>
internal static class Trend
{
    public static IrExpr Lower(BuiltinLowering at, IrExpr input, IrExpr averagingTime, IrExpr? initialTrend)
    {
        var inputRef = at.Operand(input, "input");
        var timeRef = at.Operand(averagingTime, "averaging time");
        var trendStart = initialTrend ?? at.Number(0);
        var averageStart = Divide(inputRef, Add(at.Number(1), Multiply(trendStart, timeRef)));
        int average = at.Stock("average", averageStart);
        var averageRef = at.Ref(average);
        int change = at.Flow("average change", Divide(Subtract(inputRef, averageRef), timeRef));
        at.Fill(average, change);
        var trend = Apply(BuiltinCatalogue.SafeDiv, at.Call, Subtract(inputRef, averageRef),
            Multiply(timeRef, Apply(BuiltinCatalogue.Abs, at.Call, averageRef)));
        return at.Ref(at.Aux("trend", trend));
    }
}
