using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;
using static LoopSim.Engine.Compilation.BuiltinLowering;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// FORCST (XMILE 1.0 §3.5.3): the input extrapolated over the horizon at its trend, input × (1 + TREND × horizon),
/// the TREND of <see cref="Trend"/> over the averaging time.
/// </summary>
internal static class Forecast
{
    public static IrExpr Lower(BuiltinLowering at, IrExpr input, IrExpr averagingTime, IrExpr horizon, IrExpr? initialTrend)
    {
        var inputRef = at.Operand(input, "input");
        var trend = Trend.Lower(at, inputRef, averagingTime, initialTrend);
        var forecast = Multiply(inputRef, Add(at.Number(1), Multiply(trend, horizon)));
        return at.Ref(at.Aux("forecast", forecast));
    }
}
