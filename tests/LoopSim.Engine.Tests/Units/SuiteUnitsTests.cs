using LoopSim.Engine.Formats;
using LoopSim.Engine.Tests.Conformance;
using LoopSim.Engine.Units;
using Xunit.Abstractions;

namespace LoopSim.Engine.Tests.Units;

/// <summary>
/// The units checker on every model of the SDXorg suite that LoopSim reads (.mdl, .xmile, .stmx): no false alarm on
/// the unit-consistent ones, and each model it flags is listed here with the inconsistency the file really has.
/// </summary>
public class SuiteUnitsTests(ITestOutputHelper output)
{
    /// <summary>The suite's models whose declared units truly disagree, and how (read in each file).</summary>
    private static readonly Dictionary<string, string> Inconsistent = new()
    {
        ["samples/SIR/SIR.stmx"] = SirTime,
        ["samples/SIR/SIR.xmile"] = SirTime,
        ["samples/SIR/SIR_legacy.stmx"] = SirTime,
        ["samples/SIR/SIR_reciprocal-dt.xmile"] = SirTime,
        ["samples/teacup/teacup.stmx"] = "the model's time unit is 'Time', but the characteristic time is in minutes",
        ["samples/teacup/teacup_legacy.stmx"] = "the characteristic time is in minutes against a time unit 'Time', and the flow is in 'deg/Time' out of a stock in 'degrees'",
        ["samples/teacup/teacup_w_diagram.xmile"] = "the characteristic time is in minutes against a time unit 'Time', and the flow is in 'deg/Time' out of a stock in 'degrees'",
        ["samples/Workforce/workforce.mdl"] = "the time per task is declared Person*Hours (not per Task), so task completion gives 1/Week; 'Person Hours' (one word) stands for Person*Hours/Week",
        ["tests/except/test_except.mdl"] = "SIN of TIME in Months, and 'special giveaways' in units drains a stock of units (it needs units/Month)",
        ["tests/forecast/test_forecast.mdl"] = "the input adds 2*SIN(…), dimensionless, to widgets/Month",
        ["tests/trend/test_trend.mdl"] = TrendInput,
        ["tests/subscripted_trend/test_subscripted_trend.mdl"] = TrendInput,
        ["tests/subscript_copy/test_subscript_copy.mdl"] = DimensionlessFlow,
        ["tests/subscript_copy/test_subscript_copy2.mdl"] = DimensionlessFlow,
        ["tests/subscript_numeric_range/test_subscript_numeric_range.mdl"] = DimensionlessFlow,
        ["tests/subscript_mapping_simple/test_subscript_mapping_simple.mdl"] = DimensionlessFlow + "; aging in People/year feeds People in a model timed in Months",
        ["tests/subscript_mapping_vensim/test_subscript_mapping_vensim.mdl"] = "aging in People/year feeds People in a model timed in Months",
        ["tests/unicode_characters/unicode_test_model.mdl"] = "a variable declared 'D' is twice one declared dmnl",
    };

    private const string SirTime = "the model's time unit is 'Time', but the recovery delay is in days";
    private const string TrendInput = "the input is a number times SIN of TIME in Months (dimensionless, not widgets/Month), and TREND's initial trend is 'fraction/Month' (fraction is a unit of its own, as in Vensim)";
    private const string DimensionlessFlow = "a stock and its inflow are both declared dmnl (the flow needs 1/Month)";

    [SuiteFact]
    public void Every_readable_model_checks_clean_unless_its_units_really_disagree()
    {
        var root = SdxorgSuite.RequiredFolder;
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => ModelLoader.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).ToList();
        var flagged = new SortedDictionary<string, IReadOnlyList<UnitsIssue>>(StringComparer.Ordinal);
        int read = 0, withUnits = 0;
        foreach (var file in files)
        {
            Model.SdModel model;
            IReadOnlyList<UnitsIssue> issues;
            try
            {
                model = ModelLoader.Load(Path.Combine(root, file));
                issues = UnitsChecker.Check(model);
            }
            catch (ModelException)
            {
                continue; // a model LoopSim cannot read yet: the conformance tests say why
            }
            read++;
            if (model.Variables.Any(v => !string.IsNullOrWhiteSpace(v.Units))) withUnits++;
            if (issues.Count > 0) flagged[file] = issues;
        }
        output.WriteLine($"SDXorg units: {read - flagged.Count} of {read} readable models check clean ({withUnits} declare units on variables); {flagged.Count} have inconsistent units:");
        foreach (var (file, issues) in flagged)
        {
            output.WriteLine($"  {file}: {Inconsistent.GetValueOrDefault(file, "NOT EXPECTED")}");
            foreach (var issue in issues) output.WriteLine("    " + issue.Diagnostic.Format());
        }
        Assert.True(read >= 200, $"only {read} models of the suite were read");
        Assert.Equal(Inconsistent.Keys.Order(StringComparer.Ordinal), flagged.Keys);
    }
}
