using LoopSim.Engine.Diagnostics;
using System.Globalization;
using LoopSim.Engine.Syntax;
using LoopSim.Engine.Model;

namespace LoopSim.Experiments.Validation;

/// <summary>What an assertion measured: both sides of its comparison and whether it holds (a measurement: its value, always holding).</summary>
public sealed record AssertionResult(Assertion Assertion, bool Holds, double Left, double Right)
{
    /// <summary>"0.524 ≥ 0.309": the measured sides, as the assertion compares them; a measurement's value.</summary>
    public string Measured => Assertion.IsComparison ? $"{Format(Left)} {Assertion.Operator} {Format(Right)}" : Format(Left);

    internal static string Format(double value) =>
        double.IsNaN(value) ? "NaN" : Math.Abs(value) >= 1e5 || (Math.Abs(value) < 1e-3 && value != 0)
            ? value.ToString("0.###e0", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>
/// A claim about runs, written in the model's expression language: one comparison whose sides are
/// computed from series of saved values, e.g. <c>FINAL(alliance.engagement) &gt;= 3 * FINAL(conventional.engagement)</c>.
/// A name is <c>RUN.VARIABLE</c> (a named run's series) or a bare <c>VARIABLE</c> (the default run's).
/// Arithmetic works element by element on series and numbers; these functions reduce a series to a number:
/// <list type="bullet">
/// <item><c>FINAL(x)</c>, <c>INITIAL(x)</c>, <c>MAXIMUM(x)</c>, <c>MINIMUM(x)</c>, <c>AT(x, t)</c>, <c>MEAN(x, from, to)</c>;</item>
/// <item><c>HALF_RISE(x)</c>: the time x first covers half the way from its first to its last value;</item>
/// <item><c>LAG(a, b)</c>: the mean horizontal distance from cumulative a to cumulative b where b reaches 25, 50 and 75% of its final value;</item>
/// <item><c>GROWTH(x, span)</c>: the least-squares trend over the last span of time, times span, over the mean there;</item>
/// <item><c>FIRST_TIME(c)</c>, <c>AT_FIRST(x, c)</c>, <c>MIN_UNTIL(x, c)</c>: the first time condition c holds, x then, the lowest x until then;</item>
/// <item><c>ALWAYS(c, from)</c>: 1 when c holds at every saved time after <c>from</c>, else 0.</item>
/// </list>
/// ABS, MIN and MAX of two values work element by element.
/// </summary>
public sealed class Assertion
{
    private static readonly Dictionary<BinaryOp, string> Comparisons = new()
    {
        [BinaryOp.Less] = "<", [BinaryOp.LessEqual] = "≤", [BinaryOp.Greater] = ">", [BinaryOp.GreaterEqual] = "≥",
        [BinaryOp.Equal] = "=", [BinaryOp.NotEqual] = "≠",
    };

    private readonly Expr _expr;

    private Assertion(string text, Expr expr, SourceLocation? location)
    {
        Text = text;
        _expr = expr;
        Location = location;
        var names = new List<(string, string)>();
        Collect(expr, names);
        References = names.Distinct().ToList();
    }

    public string Text { get; }
    public SourceLocation? Location { get; }
    /// <summary>False for a measurement: an expression reported, not asserted.</summary>
    public bool IsComparison => _expr is BinaryExpr b && Comparisons.ContainsKey(b.Op);
    /// <summary>The comparison's operator as printed.</summary>
    public string Operator => IsComparison ? Comparisons[((BinaryExpr)_expr).Op] : "";
    /// <summary>Every (run, variable) the assertion reads; run is "" for a bare name.</summary>
    public IReadOnlyList<(string Run, string Variable)> References { get; }

    /// <summary>Parses an assertion (a comparison) or, with <paramref name="measurement"/>, any expression of a number.</summary>
    public static Assertion Parse(string text, SourceLocation? location = null, bool measurement = false)
    {
        var expr = Parser.Parse(text, location);
        var assertion = new Assertion(text, expr, location);
        if (!measurement && !assertion.IsComparison)
            throw new ModelException(DiagnosticCodes.AssertionMalformed, $"assertion '{text}' is not a comparison.", location,
                hint: "Write one comparison, e.g. \"FINAL(alliance.engagement) >= 3 * FINAL(conventional.engagement)\".");
        Check(expr, text, location);
        return assertion;
    }

    /// <summary>
    /// Evaluates the assertion; <paramref name="series"/> gives the saved values of a (run, variable) at
    /// <paramref name="times"/>. An event that never happens (a level never reached) makes both sides NaN: it does not hold.
    /// </summary>
    public AssertionResult Evaluate(Func<string, string, double[]> series, double[] times)
    {
        var context = new Context(series, times);
        if (_expr is not BinaryExpr comparison || !IsComparison)
        {
            try { return new AssertionResult(this, true, Scalar(context.Evaluate(_expr), _expr), double.NaN); }
            catch (NeverException) { return new AssertionResult(this, true, double.NaN, double.NaN); }
        }
        double left, right;
        try
        {
            left = Scalar(context.Evaluate(comparison.Left), comparison.Left);
            right = Scalar(context.Evaluate(comparison.Right), comparison.Right);
        }
        catch (NeverException)
        {
            return new AssertionResult(this, false, double.NaN, double.NaN);
        }
        bool holds = comparison.Op switch
        {
            BinaryOp.Less => left < right,
            BinaryOp.LessEqual => left <= right,
            BinaryOp.Greater => left > right,
            BinaryOp.GreaterEqual => left >= right,
            BinaryOp.Equal => left == right,
            _ => left != right,
        };
        return new AssertionResult(this, holds, left, right);
    }

    public override string ToString() => Text;

    /// <summary>
    /// Any parsed expression of the claims language over saved series (a number or a series, as an array); null when it
    /// uses a function the language does not have (e.g. a model equation's builtin).
    /// </summary>
    internal static double[]? EvaluateSeries(Expr expr, Func<string, string, double[]> series, double[] times)
    {
        try { return new Context(series, times).Evaluate(expr); }
        catch (Exception e) when (e is InvalidOperationException or ModelException or NeverException or KeyNotFoundException) { return null; }
    }

    private double Scalar(double[] value, Expr side) => value.Length == 1 ? value[0]
        : throw new ModelException(DiagnosticCodes.AssertionMalformed, $"assertion '{Text}': a side of the comparison is a whole series.", Location,
            hint: "Reduce it to a number with FINAL, AT, MAXIMUM, MEAN, ... (side starting at column " + (side.Position + 1) + ").");

    private static readonly Dictionary<string, (int Min, int Max)> Arity = new()
    {
        ["final"] = (1, 1), ["initial"] = (1, 1), ["maximum"] = (1, 1), ["minimum"] = (1, 1), ["at"] = (2, 2),
        ["mean"] = (3, 3), ["half_rise"] = (1, 1), ["lag"] = (2, 2), ["growth"] = (2, 2), ["first_time"] = (1, 1),
        ["at_first"] = (2, 2), ["min_until"] = (2, 2), ["always"] = (2, 2), ["abs"] = (1, 1), ["min"] = (2, 2), ["max"] = (2, 2),
    };

    private static void Check(Expr expr, string text, SourceLocation? location)
    {
        switch (expr)
        {
            case CallExpr call:
                if (!Arity.TryGetValue(call.Function, out var arity))
                    throw new ModelException(DiagnosticCodes.AssertionMalformed, $"assertion '{text}': unknown function '{call.Written}'.", location,
                        hint: Names.DidYouMean(call.Function, Arity.Keys) ?? "Use one of " + string.Join(", ", Arity.Keys.Select(k => k.ToUpperInvariant())) + ".");
                if (call.Args.Count < arity.Min || call.Args.Count > arity.Max)
                    throw new ModelException(DiagnosticCodes.AssertionMalformed, $"assertion '{text}': {call.Written.ToUpperInvariant()} takes {arity.Min} argument{(arity.Min == 1 ? "" : "s")}, not {call.Args.Count}.", location);
                foreach (var a in call.Args) Check(a, text, location);
                break;
            case BinaryExpr b: Check(b.Left, text, location); Check(b.Right, text, location); break;
            case UnaryExpr u: Check(u.Operand, text, location); break;
            case IfExpr i: Check(i.Condition, text, location); Check(i.Then, text, location); Check(i.Else, text, location); break;
        }
    }

    private static void Collect(Expr expr, List<(string, string)> names)
    {
        switch (expr)
        {
            case VariableExpr v: names.Add(Split(v.Name)); break;
            case CallExpr call: foreach (var a in call.Args) Collect(a, names); break;
            case BinaryExpr b: Collect(b.Left, names); Collect(b.Right, names); break;
            case UnaryExpr u: Collect(u.Operand, names); break;
            case IfExpr i: Collect(i.Condition, names); Collect(i.Then, names); Collect(i.Else, names); break;
        }
    }

    private static (string Run, string Variable) Split(string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? ("", name) : (name[..dot], name[(dot + 1)..]);
    }

    /// <summary>Values are arrays: one element for a number, one per saved time for a series.</summary>
    private sealed class Context(Func<string, string, double[]> series, double[] times)
    {
        public double[] Evaluate(Expr expr) => expr switch
        {
            NumberExpr n => [n.Value],
            VariableExpr v => Lookup(v.Name),
            UnaryExpr { Op: UnaryOp.Negate } u => Map(Evaluate(u.Operand), x => -x),
            UnaryExpr { Op: UnaryOp.Not } u => Map(Evaluate(u.Operand), x => x == 0 ? 1 : 0),
            UnaryExpr u => Evaluate(u.Operand),
            BinaryExpr b => Zip(Evaluate(b.Left), Evaluate(b.Right), Operation(b.Op)),
            IfExpr i => Select(Evaluate(i.Condition), Evaluate(i.Then), Evaluate(i.Else)),
            CallExpr call => Call(call),
            _ => throw new InvalidOperationException($"unexpected expression {expr.GetType().Name}"),
        };

        private double[] Lookup(string name)
        {
            var (run, variable) = Split(name);
            var values = series(run, variable);
            if (values.Length != times.Length)
                throw new InvalidOperationException($"series '{name}' has {values.Length} values for {times.Length} times");
            return values;
        }

        private double[] Call(CallExpr call)
        {
            double[] Arg(int i) => Evaluate(call.Args[i]);
            double Number(int i)
            {
                var value = Arg(i);
                return value.Length == 1 ? value[0] : throw new ModelException(DiagnosticCodes.AssertionMalformed, $"argument {i + 1} of {call.Written.ToUpperInvariant()} must be a number, not a series.");
            }
            double[] Series(int i)
            {
                var value = Arg(i);
                return value.Length == 1 ? Enumerable.Repeat(value[0], times.Length).ToArray() : value;
            }
            return call.Function switch
            {
                "final" => [Series(0)[^1]],
                "initial" => [Series(0)[0]],
                "maximum" => [Series(0).Max()],
                "minimum" => [Series(0).Min()],
                "at" => [Series(0)[IndexOf(Number(1))]],
                "mean" => [Mean(Series(0), Number(1), Number(2))],
                "half_rise" => [HalfRise(Series(0))],
                "lag" => [Lag(Series(0), Series(1))],
                "growth" => [Growth(Series(0), Number(1))],
                "first_time" => [times[First(Series(0))]],
                "at_first" => [Series(0)[First(Series(1))]],
                "min_until" => [Series(0).Take(First(Series(1)) + 1).Min()],
                "always" => [Always(Series(0), Number(1))],
                "abs" => Map(Arg(0), Math.Abs),
                "min" => Zip(Arg(0), Arg(1), Math.Min),
                "max" => Zip(Arg(0), Arg(1), Math.Max),
                _ => throw new InvalidOperationException($"unchecked function {call.Function}"),
            };
        }

        private int IndexOf(double time)
        {
            for (int i = 0; i < times.Length; i++)
                if (Math.Abs(times[i] - time) <= 1e-9 * Math.Max(1, Math.Abs(time))) return i;
            throw new ModelException(DiagnosticCodes.NotASavedTime, $"time {time} is not a saved time (saved from {times[0]} to {times[^1]}).");
        }

        private double Mean(double[] x, double from, double to)
        {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < times.Length; i++)
                if (times[i] >= from && times[i] <= to) { sum += x[i]; n++; }
            return n == 0 ? double.NaN : sum / n;
        }

        /// <summary>The first index where the condition holds; NaN-producing (past the end) when it never does.</summary>
        private static int First(double[] condition)
        {
            int i = Array.FindIndex(condition, c => c != 0);
            return i >= 0 ? i : throw new NeverException();
        }

        private double Always(double[] condition, double from)
        {
            for (int i = 0; i < times.Length; i++)
                if (times[i] > from && condition[i] == 0) return 0;
            return 1;
        }

        private double HalfRise(double[] x) => Crossing(x, x[0] + 0.5 * (x[^1] - x[0]));

        private double Lag(double[] leading, double[] lagging)
        {
            double[] fractions = [0.25, 0.5, 0.75];
            return fractions.Average(f => Crossing(lagging, f * lagging[^1]) - Crossing(leading, f * lagging[^1]));
        }

        private double Growth(double[] x, double span)
        {
            var indices = Enumerable.Range(0, times.Length).Where(i => times[i] >= times[^1] - span - 1e-9).ToArray();
            double meanT = indices.Average(i => times[i]), meanX = indices.Average(i => x[i]), sxy = 0, sxx = 0;
            foreach (var i in indices)
            {
                sxy += (times[i] - meanT) * (x[i] - meanX);
                sxx += (times[i] - meanT) * (times[i] - meanT);
            }
            return sxy / sxx * span / meanX;
        }

        /// <summary>The time a rising series first reaches <paramref name="level"/>, interpolated between saved times.</summary>
        private double Crossing(double[] x, double level)
        {
            int i = Array.FindIndex(x, v => v >= level);
            if (i < 0) throw new NeverException();
            if (i == 0) return times[0];
            return times[i - 1] + (level - x[i - 1]) / (x[i] - x[i - 1]) * (times[i] - times[i - 1]);
        }

        private static Func<double, double, double> Operation(BinaryOp op) => op switch
        {
            BinaryOp.Add => (a, b) => a + b,
            BinaryOp.Subtract => (a, b) => a - b,
            BinaryOp.Multiply => (a, b) => a * b,
            BinaryOp.Divide => (a, b) => a / b,
            BinaryOp.Power => Math.Pow,
            BinaryOp.Mod => (a, b) => a % b,
            BinaryOp.Equal => (a, b) => a == b ? 1 : 0,
            BinaryOp.NotEqual => (a, b) => a != b ? 1 : 0,
            BinaryOp.Less => (a, b) => a < b ? 1 : 0,
            BinaryOp.LessEqual => (a, b) => a <= b ? 1 : 0,
            BinaryOp.Greater => (a, b) => a > b ? 1 : 0,
            BinaryOp.GreaterEqual => (a, b) => a >= b ? 1 : 0,
            BinaryOp.And => (a, b) => a != 0 && b != 0 ? 1 : 0,
            _ => (a, b) => a != 0 || b != 0 ? 1 : 0,
        };

        private static double[] Map(double[] a, Func<double, double> f) => a.Select(f).ToArray();

        private static double[] Zip(double[] a, double[] b, Func<double, double, double> f)
        {
            int n = Math.Max(a.Length, b.Length);
            var result = new double[n];
            for (int i = 0; i < n; i++) result[i] = f(a[a.Length == 1 ? 0 : i], b[b.Length == 1 ? 0 : i]);
            return result;
        }

        private static double[] Select(double[] c, double[] a, double[] b)
        {
            int n = Math.Max(c.Length, Math.Max(a.Length, b.Length));
            var result = new double[n];
            for (int i = 0; i < n; i++)
                result[i] = c[c.Length == 1 ? 0 : i] != 0 ? a[a.Length == 1 ? 0 : i] : b[b.Length == 1 ? 0 : i];
            return result;
        }
    }

    /// <summary>A condition or level that is never reached: the assertion's side is NaN, so it does not hold.</summary>
    private sealed class NeverException : Exception;

}
