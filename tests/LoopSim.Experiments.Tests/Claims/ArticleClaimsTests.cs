using System.Collections.Concurrent;
using LoopSim.Experiments.Validation;
using Xunit.Abstractions;

namespace LoopSim.Experiments.Tests.Claims;

/// <summary>
/// The article's claims (docs/ecosystem-model.md §5) as the reference modes of scenarios/models/checks/sales-ecosystem.yaml,
/// where each mode's assertions and thresholds are written once: each must hold in every city, on single runs and at the
/// median of 200 Monte Carlo runs, as `loopsim check` requires. The measured sides of every assertion are printed
/// (dotnet test --filter ArticleClaims --logger "console;verbosity=detailed").
/// </summary>
public class ArticleClaimsTests(ITestOutputHelper output)
{
    /// <summary>Monte Carlo runs behind each median: as many as `loopsim check` uses by default.</summary>
    private static readonly int MedianRuns = new CheckSettings().MedianRuns;

    private static readonly Lazy<CheckSubject> Subject = new(() =>
        CheckSubject.Load(Path.Combine(ShippedScenarios.Folder, ShippedScenarios.Alliance), new CheckSettings { MedianRuns = MedianRuns }));

    private static readonly ConcurrentDictionary<(string City, int Runs), Lazy<IReadOnlyList<ModeResult>>> Results = new();

    private static ModeResult Result(string mode, string city, int runs)
    {
        var results = Results.GetOrAdd((city, runs), key => new Lazy<IReadOnlyList<ModeResult>>(() =>
            ReferenceModes.Evaluate(Subject.Value, Subject.Value.Cities.Single(c => c.Name == key.City), key.Runs))).Value;
        return results.Single(r => r.Mode.Id == mode);
    }

    public static TheoryData<string, string> ModesAndCities()
    {
        var data = new TheoryData<string, string>();
        foreach (var mode in Subject.Value.Checks!.Modes)
            foreach (var city in Subject.Value.Cities) data.Add(mode.Id, city.Name);
        return data;
    }

    [Fact]
    public void The_checks_file_states_the_eight_modes_of_the_article_and_where_the_eighth_holds_per_member()
    {
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8", "8b"], Subject.Value.Checks!.Modes.Select(m => m.Id));
        Assert.Equal(5, Subject.Value.Cities.Count);
    }

    [Theory, MemberData(nameof(ModesAndCities))]
    public void Mode_holds_on_single_runs(string mode, string city) => AssertHolds(Result(mode, city, 0), "single runs");

    [Theory, MemberData(nameof(ModesAndCities))]
    public void Mode_holds_at_the_Monte_Carlo_median(string mode, string city) => AssertHolds(Result(mode, city, MedianRuns), $"median of {MedianRuns} runs");

    private void AssertHolds(ModeResult result, string way)
    {
        foreach (var a in result.Asserts.Concat(result.Reports))
            output.WriteLine($"{result.City.Name} ({way}): {a.Assertion.Text} → {a.Measured}{(a.Holds ? "" : "  FAILS")}");
        Assert.True(result.Holds, $"mode {result.Mode.Id} ({result.Mode.Name}) fails in {result.City.Name} ({way}): " +
            string.Join("; ", result.Asserts.Where(a => !a.Holds).Select(a => $"{a.Assertion.Text} → {a.Measured}")));
    }
}
