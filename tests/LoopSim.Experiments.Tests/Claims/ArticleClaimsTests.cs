using Xunit.Abstractions;
using static LoopSim.Experiments.Tests.Claims.ShippedScenarios;

namespace LoopSim.Experiments.Tests.Claims;

/// <summary>
/// The article's claims (docs/ecosystem-model.md §5) as behaviour of the shipped scenarios, for every city,
/// on deterministic runs over the 156-week horizon. The directions are the article's; the thresholds are the
/// modeller's and are documented, with the measured figures, in scenarios/README.md.
/// </summary>
public class ArticleClaimsTests(ITestOutputHelper output)
{
    // (1) Conventional stalls.
    /// <summary>"Engagement ends low": fewer than one member in five contributes at the horizon (the alliance ends near 0.7).</summary>
    private const double LowEngagement = 0.20;
    /// <summary>"Familiarity stays low": never above a quarter of the network known (the alliance settles near 0.65) ...</summary>
    private const double LowFamiliarityCeiling = 0.25;
    /// <summary>"Referrals stop growing": the least-squares trend over the last 26 weeks adds at most 5% of their mean level.</summary>
    private const double StalledGrowth = 0.05;
    private const int TrendWeeks = 26;

    // (2) The alliance works, after a lag.
    /// <summary>"Well above": at least three times the conventional engagement ...</summary>
    private const double EngagementRatio = 3;
    /// <summary>... and at least five times the conventional weekly referrals at the horizon.</summary>
    private const double ReferralRatio = 5;
    /// <summary>"Months, not weeks": PerceivedValue needs more than a quarter to cover half its rise ...</summary>
    private const double MinHalfRiseWeeks = 13;
    /// <summary>... yet less than a year and a half, so the alliance pays off within the horizon.</summary>
    private const double MaxHalfRiseWeeks = 78;

    // (3) The commission race does not sustain.
    /// <summary>"Far less": doubling the commission adds at most a quarter of the referrals per week the alliance adds.</summary>
    private const double RaceGainShare = 0.25;

    // (4) Delay.
    /// <summary>"About the mean close delay": the lag of commissions behind referrals within ±30% of close_delay.</summary>
    private const double LagTolerance = 0.30;

    // (5) Spam.
    /// <summary>"Markedly": without moderation and screening, engagement and PerceivedValue end at most 70% of the alliance's.</summary>
    private const double SpamRemainingShare = 0.70;

    // (6) Purge.
    /// <summary>"Lower": without the purge the engaged share is lower every week after the first purge, by at least two points at the horizon.</summary>
    private const double PurgeMargin = 0.02;

    // (7) Transparency.
    /// <summary>The "long close delay" of the transparency test: a year, the article's "以年为单位".</summary>
    private const double LongCloseDelay = 52;
    /// <summary>"Collapses": without updates, Trust when the first deal is won is at most half its starting level ...</summary>
    private const double CollapsedTrustShare = 0.5;
    /// <summary>... "holds": with updates it never falls below 80% of its starting level before then.</summary>
    private const double HeldTrustShare = 0.8;

    public static TheoryData<string> Cities => CityNames();

    [Theory, MemberData(nameof(Cities))]
    public void Conventional_stalls(string city)
    {
        var run = For(Conventional, city);
        Assert.True(run.Final("engagement") < LowEngagement,
            $"{city}: conventional engagement ends at {run.Final("engagement"):F3}, not below {LowEngagement}");
        Assert.True(run["Familiarity"].Max() <= LowFamiliarityCeiling,
            $"{city}: conventional Familiarity rises to {run["Familiarity"].Max():F3}, above {LowFamiliarityCeiling}");
        // ... and ends below where the founders started: it is diluted and forgotten faster than it is built.
        Assert.True(run.Final("Familiarity") < run["Familiarity"][0],
            $"{city}: conventional Familiarity ends at {run.Final("Familiarity"):F3}, not below its start {run["Familiarity"][0]:F3}");
        double growth = Claims.RelativeTrend(run["referrals_per_week"], TrendWeeks);
        output.WriteLine($"{city}: engagement {run.Final("engagement"):F3}, Familiarity max {run["Familiarity"].Max():F3} end {run.Final("Familiarity"):F3}, " +
            $"referrals {run.Final("referrals_per_week"):F3}/week, last-{TrendWeeks}-week trend {growth:+0.0%;-0.0%}");
        Assert.True(growth <= StalledGrowth,
            $"{city}: conventional referrals still grow {growth:P1} over the last {TrendWeeks} weeks (limit {StalledGrowth:P0})");
    }

    [Theory, MemberData(nameof(Cities))]
    public void Alliance_works_after_a_lag(string city)
    {
        var alliance = For(Alliance, city);
        var conventional = For(Conventional, city);
        double engagementRatio = alliance.Final("engagement") / conventional.Final("engagement");
        double referralRatio = alliance.Final("referrals_per_week") / conventional.Final("referrals_per_week");
        Assert.True(engagementRatio >= EngagementRatio, $"{city}: alliance engagement only {engagementRatio:F2}x conventional");
        Assert.True(referralRatio >= ReferralRatio, $"{city}: alliance referrals per week only {referralRatio:F2}x conventional");

        var value = alliance["PerceivedValue"];
        Assert.True(value[^1] > value[0], $"{city}: PerceivedValue does not rise ({value[0]:F3} -> {value[^1]:F3})");
        double halfRise = Claims.HalfRiseTime(alliance.Times, value);
        output.WriteLine($"{city}: engagement {alliance.Final("engagement"):F3} ({engagementRatio:F1}x conventional), " +
            $"referrals {alliance.Final("referrals_per_week"):F2}/week ({referralRatio:F1}x), PerceivedValue {value[0]:F2} -> {value[^1]:F3}, half-rise week {halfRise:F1}");
        Assert.True(halfRise > MinHalfRiseWeeks && halfRise < MaxHalfRiseWeeks,
            $"{city}: PerceivedValue covers half its rise at week {halfRise:F1}, outside ({MinHalfRiseWeeks}, {MaxHalfRiseWeeks})");
    }

    [Theory, MemberData(nameof(Cities))]
    public void Commission_race_buys_far_less_than_the_alliance(string city)
    {
        var conventional = For(Conventional, city);
        var race = For(CommissionRace, city);
        var alliance = For(Alliance, city);
        Assert.Equal(2 * conventional.Constant("commission_rate"), race.Constant("commission_rate"), 12);

        double raceGain = race.Final("referrals_per_week") - conventional.Final("referrals_per_week");
        double allianceGain = alliance.Final("referrals_per_week") - conventional.Final("referrals_per_week");
        output.WriteLine($"{city}: race adds {raceGain:F3} referrals/week, alliance adds {allianceGain:F2} (share {raceGain / allianceGain:P1}); " +
            $"race engagement {race.Final("engagement"):F3}");
        Assert.True(raceGain <= RaceGainShare * allianceGain,
            $"{city}: doubling the commission adds {raceGain:F3} referrals/week, more than {RaceGainShare:P0} of the alliance's {allianceGain:F3}");
        Assert.True(race.Final("engagement") < LowEngagement,
            $"{city}: commission-race engagement ends at {race.Final("engagement"):F3}, not below {LowEngagement}");
    }

    [Theory, MemberData(nameof(Cities))]
    public void Commissions_lag_referrals_by_the_close_delay(string city)
    {
        var alliance = For(Alliance, city);
        // Commissions in referral units: each won deal pays deal_value × commission_rate and is win_rate of a referral.
        double perReferral = alliance.Constant("win_rate") * alliance.Constant("deal_value") * alliance.Constant("commission_rate");
        var paid = alliance["commissions_paid"].Select(c => c / perReferral).ToArray();
        double lag = Claims.MeanHorizontalLag(alliance.Times, alliance["cumulative_referrals"], paid);
        double delay = alliance.Constant("close_delay");
        output.WriteLine($"{city}: commissions lag referrals by {lag:F1} weeks (close_delay {delay})");
        Assert.True(Math.Abs(lag - delay) <= LagTolerance * delay,
            $"{city}: commissions lag referrals by {lag:F1} weeks, not within {LagTolerance:P0} of close_delay = {delay}");
    }

    [Theory, MemberData(nameof(Cities))]
    public void Spam_without_moderation_or_screening_drains_the_alliance(string city)
    {
        var alliance = For(Alliance, city);
        var spammed = For(Alliance, city, ("moderation_strictness", 0), ("screening", 0));
        output.WriteLine($"{city}: engagement {spammed.Final("engagement"):F3} vs {alliance.Final("engagement"):F3}, " +
            $"PerceivedValue {spammed.Final("PerceivedValue"):F3} vs {alliance.Final("PerceivedValue"):F3}, Spammers {spammed.Final("Spammers"):F1}");
        foreach (var name in new[] { "engagement", "PerceivedValue" })
            Assert.True(spammed.Final(name) <= SpamRemainingShare * alliance.Final(name),
                $"{city}: without moderation and screening {name} ends at {spammed.Final(name):F3}, " +
                $"more than {SpamRemainingShare:P0} of the alliance's {alliance.Final(name):F3}");
    }

    [Theory, MemberData(nameof(Cities))]
    public void Purge_keeps_the_engaged_share_higher(string city)
    {
        var alliance = For(Alliance, city);
        var unpurged = For(Alliance, city, ("purge_interval", 0));
        double firstPurge = alliance.Constant("purge_interval");
        output.WriteLine($"{city}: engagement at the horizon {unpurged.Final("engagement"):F3} unpurged vs {alliance.Final("engagement"):F3}; " +
            $"mean over weeks 52-156 {unpurged["engagement"][52..].Average():F3} vs {alliance["engagement"][52..].Average():F3}; " +
            $"referrals {unpurged.Final("referrals_per_week"):F2} vs {alliance.Final("referrals_per_week"):F2}/week");
        for (int i = 0; i < alliance.Times.Length; i++)
        {
            if (alliance.Times[i] <= firstPurge) continue;
            Assert.True(unpurged["engagement"][i] < alliance["engagement"][i],
                $"{city}: at week {alliance.Times[i]} the unpurged engagement {unpurged["engagement"][i]:F3} is not below the alliance's {alliance["engagement"][i]:F3}");
        }
        Assert.True(unpurged.Final("engagement") <= alliance.Final("engagement") - PurgeMargin,
            $"{city}: without the purge engagement ends at {unpurged.Final("engagement"):F3}, not {PurgeMargin} below {alliance.Final("engagement"):F3}");
    }

    [Theory, MemberData(nameof(Cities))]
    public void Status_updates_hold_trust_through_a_long_close_delay(string city)
    {
        var silent = For(Alliance, city, ("close_delay", LongCloseDelay), ("transparency", 0));
        var updated = For(Alliance, city, ("close_delay", LongCloseDelay));
        Assert.True(updated.Constant("transparency") > 0, $"{city}: the alliance sends no status updates");

        int silentFirst = Claims.FirstIndexAtLeast(silent["deals_won"], 1);
        double silentStart = silent["Trust"][0];
        Assert.True(silent["Trust"][silentFirst] <= CollapsedTrustShare * silentStart,
            $"{city}: without updates Trust is {silent["Trust"][silentFirst]:F3} at the first won deal (week {silent.Times[silentFirst]}), " +
            $"above {CollapsedTrustShare:P0} of its start {silentStart:F3}");

        int updatedFirst = Claims.FirstIndexAtLeast(updated["deals_won"], 1);
        double lowest = updated["Trust"].Take(updatedFirst + 1).Min();
        output.WriteLine($"{city}: first won deal week {silent.Times[silentFirst]} (silent) / {updated.Times[updatedFirst]} (updates); " +
            $"Trust there {silent["Trust"][silentFirst]:F3} silent vs lowest {lowest:F3} with updates (start {silentStart:F2})");
        Assert.True(lowest >= HeldTrustShare * updated["Trust"][0],
            $"{city}: with updates Trust falls to {lowest:F3} before the first won deal (week {updated.Times[updatedFirst]}), " +
            $"below {HeldTrustShare:P0} of its start {updated["Trust"][0]:F3}");
    }
}

/// <summary>The measurements the claims use, on saved series.</summary>
internal static class Claims
{
    /// <summary>Least-squares slope over the last <paramref name="weeks"/> saved points, times the span, over their mean.</summary>
    public static double RelativeTrend(double[] series, int weeks)
    {
        var tail = series[^(weeks + 1)..];
        double meanX = weeks / 2.0, meanY = tail.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < tail.Length; i++)
        {
            sxy += (i - meanX) * (tail[i] - meanY);
            sxx += (i - meanX) * (i - meanX);
        }
        return sxy / sxx * weeks / meanY;
    }

    /// <summary>The time a rising series first covers half the way from its first to its last value (interpolated).</summary>
    public static double HalfRiseTime(double[] times, double[] series)
    {
        double level = series[0] + 0.5 * (series[^1] - series[0]);
        return Crossing(times, series, level);
    }

    /// <summary>
    /// The mean horizontal distance between two cumulative curves in the same units, measured where the lagging
    /// one reaches 25%, 50% and 75% of its final value: for a material delay it approaches the mean delay.
    /// </summary>
    public static double MeanHorizontalLag(double[] times, double[] leading, double[] lagging)
    {
        double[] fractions = [0.25, 0.5, 0.75];
        return fractions.Average(f => Crossing(times, lagging, f * lagging[^1]) - Crossing(times, leading, f * lagging[^1]));
    }

    public static int FirstIndexAtLeast(double[] series, double level)
    {
        int index = Array.FindIndex(series, v => v >= level);
        Assert.True(index >= 0, $"the series never reaches {level}");
        return index;
    }

    private static double Crossing(double[] times, double[] series, double level)
    {
        int i = FirstIndexAtLeast(series, level);
        if (i == 0) return times[0];
        return times[i - 1] + (level - series[i - 1]) / (series[i] - series[i - 1]) * (times[i] - times[i - 1]);
    }
}
