using System.Globalization;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Tests.Conformance;

/// <summary>
/// Runs a model and compares it with an expected output: every column the output shares with
/// the model (names matched as XMILE matches them), at every time of the output, with relative
/// tolerance 1e-4 and absolute 1e-6 (times the variable's largest value, when above 1) near zero:
/// the suite's values carry about 6 digits.
/// </summary>
public static class OutputComparison
{
    public const double Relative = 1e-4;
    public const double Absolute = 1e-6;
    /// <summary>Vensim's :NA:, −2^109.</summary>
    private const double VensimNotAvailable = -6.490371073168535e+32;

    /// <summary>The problems found (one line each naming the model, the variable, the time, expected and actual) and how much was compared.</summary>
    public sealed record Outcome(List<string> Problems, int Columns, int Values)
    {
        public bool Passed => Problems.Count == 0;
        public override string ToString() => string.Join(Environment.NewLine, Problems);
    }

    public static Outcome Run(string label, Func<SdModel> load, ExpectedOutput expected, CompileOptions? options = null, double absolute = Absolute)
    {
        SimulationResult result;
        try
        {
            result = ModelCompiler.Compile(load(), options).Run();
        }
        catch (ModelException e)
        {
            return new Outcome(new List<string> { $"{label}: {e.Message}" }, 0, 0);
        }
        return Compare(label, result, expected, absolute);
    }

    public static Outcome Compare(string label, SimulationResult result, ExpectedOutput expected, double absolute = Absolute)
    {
        var problems = new List<string>();
        var series = new Dictionary<string, int>();
        for (int k = 0; k < result.Names.Count; k++)
            series.TryAdd(Names.Canonical(result.Names[k]), k);

        var rows = expected.Times.Select(t => RowAt(result.Times, t)).ToArray();
        var missingTimes = expected.Times.Where((t, i) => rows[i] < 0).ToList();
        if (missingTimes.Count > 0)
            problems.Add($"{label}: the run saved no value at time {F(missingTimes[0])}" +
                         (missingTimes.Count > 1 ? $" (and {missingTimes.Count - 1} more expected times)" : "") +
                         $"; it saved {result.Times.Length} times from {F(result.Times.FirstOrDefault())} to {F(result.Times.LastOrDefault())}");

        int columns = 0, compared = 0;
        for (int c = 0; c < expected.Columns.Count; c++)
        {
            var (header, values) = expected.Columns[c];
            if (!series.TryGetValue(Names.Canonical(header), out var k)) continue;
            columns++;
            // "Near zero" is relative to the variable's scale: a stock that passes through 0 on its
            // way from -5 to 5 carries the rounding of numbers of size 5 (test_exp: -2.52e-6 for 0).
            double scale = Math.Max(1, values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max());
            for (int i = 0; i < values.Length; i++)
            {
                if (rows[i] < 0 || double.IsNaN(values[i])) continue;
                double actual = result.Series[k][rows[i]], wanted = values[i];
                compared++;
                // Vensim writes :NA: as a blank cell.
                if (actual == VensimNotAvailable && expected.Blank[c][i]) continue;
                if (Math.Abs(actual - wanted) <= absolute * scale + Relative * Math.Abs(wanted)) continue;
                problems.Add($"{label}: variable '{Names.Display(header)}' at time {F(expected.Times[i])}: expected {F(wanted)}, actual {F(actual)}");
                break; // the first difference of a variable says most; later ones follow from it
            }
        }
        if (columns == 0)
            problems.Add($"{label}: no column of the expected output is a variable of the model");
        return new Outcome(problems, columns, compared);
    }

    /// <summary>The saved row nearest to an expected time, or -1 if none is within the precision times are printed with (10.0312 for 10.03125).</summary>
    private static int RowAt(double[] times, double t)
    {
        int i = Array.BinarySearch(times, t);
        if (i >= 0) return i;
        i = ~i;
        int nearest = i == times.Length || (i > 0 && t - times[i - 1] < times[i] - t) ? i - 1 : i;
        return nearest >= 0 && Math.Abs(times[nearest] - t) <= 1e-4 * Math.Max(1, Math.Abs(t)) ? nearest : -1;
    }

    private static string F(double x) => x.ToString("G9", CultureInfo.InvariantCulture);
}
