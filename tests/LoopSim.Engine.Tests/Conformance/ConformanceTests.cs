using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using Xunit.Abstractions;

namespace LoopSim.Engine.Tests.Conformance;

/// <summary>
/// The SDXorg conformance suite: every XMILE model of tier 1 with status ok or caveat, and the
/// modules sample, must reproduce its expected output. The files with status broken (named in
/// ABOUT.md: malformed XML, invalid syntax, arrays xmutil could not translate, missing macros)
/// are left out.
/// </summary>
public class ConformanceTests(ITestOutputHelper output)
{
    /// <summary>ABOUT.md: "every expected output is Euler", including the files whose sim specs say RK4.</summary>
    private static readonly CompileOptions AsTheOutputsWereMade = new() { Method = IntegrationMethod.Euler };

    private static OutputComparison.Outcome Check(SdxorgSuite.Entry entry) =>
        OutputComparison.Run(entry.Id, () => XmileReader.Load(entry.ModelPath),
            ExpectedOutput.Read(SdxorgSuite.ExpectedOutputPath(entry)), AsTheOutputsWereMade);

    [SuiteTheory]
    [MemberData(nameof(SdxorgSuite.ConformanceCases), MemberType = typeof(SdxorgSuite))]
    public void Reproduces_the_expected_output(string id)
    {
        var outcome = Check(SdxorgSuite.ById(id));
        Assert.True(outcome.Passed, outcome.ToString());
    }

    [SuiteFact]
    public void Summary_of_the_whole_suite()
    {
        var models = SdxorgSuite.ConformanceModels();
        var outcomes = models.Select(Check).ToList();
        var failing = outcomes.Where(o => !o.Passed).ToList();

        var summary = $"SDXorg conformance: {models.Count - failing.Count} of {models.Count} XMILE models pass " +
                      $"({outcomes.Sum(o => o.Values)} values in {outcomes.Sum(o => o.Columns)} columns compared)";
        output.WriteLine(summary);
        foreach (var problems in failing.Select(o => o.Problems))
            output.WriteLine("  " + problems[0] + (problems.Count > 1 ? $" (+{problems.Count - 1} more)" : ""));

        Assert.NotEmpty(models);
        Assert.True(failing.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failing.Select(o => o.Problems[0])));
    }

    /// <summary>Every XMILE file of the manifest with its status; a skipped one names what it needs and must still fail to run.</summary>
    [SuiteFact]
    public void Every_model_of_the_manifest_has_a_status()
    {
        var entries = SdxorgSuite.Manifest();
        var usable = entries.Where(e => SdxorgSuite.Status(e).Status != "unusable").ToList();
        int passing = usable.Count(e => SdxorgSuite.Status(e).Status == "pass");
        output.WriteLine($"SDXorg XMILE conformance: {passing} of {usable.Count} usable models pass ({entries.Count} in the manifest)");
        foreach (var entry in entries.Where(e => SdxorgSuite.Status(e).Status != "pass"))
            output.WriteLine($"  {entry.Id}: {SdxorgSuite.Status(entry).Status}, {SdxorgSuite.Status(entry).Reason}");

        var skippedButPassing = usable.Where(e => SdxorgSuite.Status(e).Status == "skip" && Check(e).Passed).Select(e => e.Id).ToList();
        Assert.True(skippedButPassing.Count == 0, "these pass now: give them status pass: " + string.Join(", ", skippedButPassing));
        Assert.DoesNotContain(entries, e => SdxorgSuite.Status(e).Status != "pass" && SdxorgSuite.Status(e).Reason.Trim().Length == 0);
    }
}
