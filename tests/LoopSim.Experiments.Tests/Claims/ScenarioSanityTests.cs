using LoopSim.Experiments.Validation;

namespace LoopSim.Experiments.Tests.Claims;

/// <summary>
/// `loopsim check` passes on every shipped scenario: every city's run and every extreme condition of the checks file is
/// finite, in bounds and conserves people; stocks balance their flows; the integration error is within the stated
/// tolerance. (The reference modes, the same for every scenario, are ArticleClaimsTests'.)
/// </summary>
public class ScenarioSanityTests
{
    public static TheoryData<string> Scenarios() =>
        new() { ShippedScenarios.Conventional, ShippedScenarios.CommissionRace, ShippedScenarios.Alliance, ShippedScenarios.LargeGroup, ShippedScenarios.GroupSize };

    [Theory, MemberData(nameof(Scenarios))]
    public void The_validation_suite_passes(string file)
    {
        var subject = CheckSubject.Load(Path.Combine(ShippedScenarios.Folder, file),
            new CheckSettings { MedianRuns = 0, Skip = ["reference modes", "sensitivity"] });
        var reports = ValidationSuite.Run(subject);
        var failed = reports.Where(r => r.Status == CheckStatus.Fail).ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed.SelectMany(r => r.Rows.Where(row => row.Status == CheckStatus.Fail)
            .Select(row => $"{r.Check}: {row.Subject}: {row.Measured}"))));
        Assert.Equal(CheckStatus.Pass, reports.Single(r => r.Check == "extreme conditions").Status);
    }
}
