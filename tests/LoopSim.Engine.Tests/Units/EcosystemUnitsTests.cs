using LoopSim.Engine.Builtins;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Units;

namespace LoopSim.Engine.Tests.Units;

/// <summary>The shipped ecosystem model declares units on every variable (issue 12 §5), and the checker reads them all.</summary>
public class EcosystemUnitsTests
{
    private static readonly string ModelPath = Path.Combine(Repository.Root, "scenarios", "models", "sales-ecosystem.yaml");

    [Fact]
    public void Every_variable_of_the_ecosystem_model_declares_units_that_read()
    {
        var model = YamlModelReader.Load(ModelPath);
        Assert.Empty(model.Variables.Where(v => string.IsNullOrWhiteSpace(v.Units)).Select(v => v.Name));
        Assert.DoesNotContain(UnitsChecker.Check(model), i => i.Diagnostic.Code == DiagnosticCodes.UnitsUnreadable);
    }

    /// <summary>Issue 12 §5: every variable's units agree through every equation (waiting_share's Poisson mean divides by 1 referral per referrer).</summary>
    [Fact]
    public void The_ecosystem_model_is_consistent()
    {
        var issues = UnitsChecker.Check(YamlModelReader.Load(ModelPath));
        Assert.True(issues.Count == 0, string.Join("\n", issues.Select(i => i.Diagnostic.Message)));
    }

    [Fact]
    public void Every_builtin_but_LOOKUP_has_a_units_rule()
    {
        Assert.Empty(BuiltinCatalogue.All.Where(b => b.Units is null && !b.NamesTable).Select(b => b.Name));
    }
}
