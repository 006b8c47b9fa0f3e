using LoopSim.Engine.Formats;
using LoopSim.Engine.Formats.Mdl;
using LoopSim.Engine.Simulation;
using Xunit.Abstractions;

namespace LoopSim.Engine.Tests.Conformance;

/// <summary>
/// The SDXorg suite's Vensim models, measured as PySD measures them: each .mdl with an expected output is read,
/// run and compared with it (relative 1e-4, absolute 1e-6 near zero). mdl-status.tsv gives each model's status; a
/// model is skipped only with the missing feature named, and the table must agree with what actually passes.
/// </summary>
public class MdlConformanceTests(ITestOutputHelper output)
{
    /// <summary>PySD 3.14's integration suite passes 138 of these models.</summary>
    private const int PySdPasses = 138;

    private static OutputComparison.Outcome Check(MdlSuite.Entry entry) =>
        OutputComparison.Run(entry.Id, () => MdlReader.Load(entry.ModelPath, entry.DataPaths), ExpectedOutput.Read(entry.OutputPath), absolute: entry.Absolute);

    [SuiteTheory]
    [MemberData(nameof(MdlSuite.Cases), MemberType = typeof(MdlSuite))]
    public void Reproduces_the_expected_output(string id)
    {
        var entry = MdlSuite.ById(id);
        var outcome = Check(entry);
        if (entry.ExpectedToPass)
            Assert.True(outcome.Passed, outcome.ToString());
        else
            Assert.False(outcome.Passed, $"{id} passes: mark it 'pass' in mdl-status.tsv (it is '{entry.Status}': {entry.Reason})");
    }

    /// <summary>`export --to xmile` of a Vensim model: the XMILE file reads back to the same numbers, bit for bit.</summary>
    [SuiteFact]
    public void Every_passing_model_exported_to_XMILE_reads_back_to_the_same_results()
    {
        foreach (var entry in MdlSuite.Models().Where(m => m.ExpectedToPass))
        {
            var model = MdlReader.Load(entry.ModelPath, entry.DataPaths);
            var original = ModelCompiler.Compile(model).Run();
            var exported = ModelCompiler.Compile(XmileReader.Parse(XmileWriter.Write(model), "exported.xmile")).Run();
            Assert.Equal(original.Names, exported.Names);
            for (int k = 0; k < original.Series.Length; k++)
                Assert.True(original.Series[k].SequenceEqual(exported.Series[k]), $"{entry.Id}: '{original.Names[k]}' differs after export");
        }
    }

    [SuiteFact]
    public void Summary_of_the_mdl_suite()
    {
        var models = MdlSuite.Models();
        var outcomes = models.Select(m => (Model: m, Outcome: Check(m))).ToList();
        int usable = models.Count(m => m.Status != "unusable");
        int passing = outcomes.Count(o => o.Outcome.Passed);
        output.WriteLine($"SDXorg .mdl conformance: {passing} of {usable} models with a usable expected output pass (PySD 3.14: {PySdPasses})");
        foreach (var (model, outcome) in outcomes.Where(o => !o.Outcome.Passed))
            output.WriteLine($"  {model.Id} [{model.Status}: {model.Reason}] {outcome.Problems[0].Replace('\n', ' ')}");

        var wrong = outcomes.Where(o => o.Outcome.Passed != o.Model.ExpectedToPass).Select(o => $"{o.Model.Id}: status {o.Model.Status}, passes: {o.Outcome.Passed}").ToList();
        Assert.True(wrong.Count == 0, "mdl-status.tsv disagrees with the runs:" + Environment.NewLine + string.Join(Environment.NewLine, wrong));
    }

    [SuiteFact]
    public void Every_listed_model_exists_and_every_skip_names_a_reason()
    {
        var found = MdlSuite.Models().Select(m => m.Id).ToHashSet();
        var table = MdlSuite.StatusTable();
        var absent = table.Keys.Where(id => !found.Contains(id)).ToList();
        Assert.Empty(absent);
        Assert.DoesNotContain(MdlSuite.Models(), m => m.Status == "unlisted");
        Assert.Empty(table.Where(r => r.Value.Status != "pass" && r.Value.Reason.Trim().Length == 0).Select(r => r.Key));
        Assert.Empty(table.Where(r => r.Value.Status is not ("pass" or "skip" or "unusable")).Select(r => r.Key));
    }
}
