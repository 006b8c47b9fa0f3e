using static LoopSim.Experiments.Tests.Claims.ShippedScenarios;

namespace LoopSim.Experiments.Tests.Claims;

/// <summary>Every shipped scenario, every city: values finite, indices in 0..1, people conserved and never overdrawn.</summary>
public class ScenarioSanityTests
{
    private static readonly string[] Indices =
        ["engagement", "PerceivedValue", "Familiarity", "Trust", "signal_ratio", "value_delivered", "motivation", "waiting_share", "room"];

    public static TheoryData<string, string> ScenarioCities()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in new[] { Conventional, CommissionRace, Alliance })
            foreach (var city in Load(file).Cities) data.Add(file, city.Name);
        return data;
    }

    [Theory, MemberData(nameof(ScenarioCities))]
    public void Reported_variables_stay_in_range(string file, string city)
    {
        var run = For(file, city);
        var result = run.Result;
        for (int k = 0; k < result.Names.Count; k++)
            Assert.True(result.Series[k].All(double.IsFinite), $"{file} {city}: {result.Names[k]} is not finite");
        foreach (var name in Indices)
        {
            var series = run[name];
            Assert.True(series.All(v => v >= 0 && v <= 1), $"{file} {city}: {name} leaves 0..1 (min {series.Min():G4}, max {series.Max():G4})");
        }
        foreach (var name in Load(file).Report)
            Assert.True(run[name].All(v => v >= 0), $"{file} {city}: {name} goes negative");
    }

    /// <summary>
    /// Everyone is a prospect, a member, or has left by one of three doors; a non-negative stock clamped at zero
    /// (an outflow overdrawing it) would break the sum. Closed referrals split into won and lost at the win rate.
    /// </summary>
    [Theory, MemberData(nameof(ScenarioCities))]
    public void People_and_referrals_are_conserved(string file, string city)
    {
        var run = For(file, city);
        double pool = run.Constant("prospect_pool");
        for (int i = 0; i < run.Times.Length; i++)
        {
            double people = run["Prospects"][i] + run["members"][i] + run["members_quit"][i] + run["members_purged"][i] + run["spammers_removed"][i];
            Assert.True(Math.Abs(people - pool) < 1e-6 * pool, $"{file} {city}: at week {run.Times[i]} people add up to {people:R}, not {pool}");
        }
        double closed = run.Final("deals_won") + run.Final("deals_lost");
        Assert.True(Math.Abs(run.Final("deals_won") - run.Constant("win_rate") * closed) <= 1e-9 * Math.Max(1, closed),
            $"{file} {city}: {run.Final("deals_won"):R} won of {closed:R} closed is not the win rate {run.Constant("win_rate")}");
    }
}
