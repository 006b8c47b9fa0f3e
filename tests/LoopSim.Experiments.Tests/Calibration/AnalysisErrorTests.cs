using LoopSim.Engine.Diagnostics;
using LoopSim.Experiments.Calibration;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.Discovery;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Sensitivity;
using LoopSim.Experiments.Tests.Sensitivity;

namespace LoopSim.Experiments.Tests.Calibration;

/// <summary>Each coded error of the analyses (LS43xx and the shared codes they use), provoked once.</summary>
public class AnalysisErrorTests
{
    private static DiagnosticCode Code(Action action) => Assert.Throws<ModelException>(action).Diagnostics[0].Code;

    private static AnalysisSetup Setup(params DistributionSpec[] parameters) => new() { City = "c", Parameters = parameters, Threads = 1 };

    private static readonly DistributionSpec X1 = new ParameterRange("x1", 0, 1).Uniform();

    private static SensitivityOptions Sobol(int samples = 8) => new() { Samples = samples, Metrics = [new RunMetric("y", null)] };

    [Fact]
    public void Parameter_ranges() =>
        Assert.All(new[] { "x1=1..0", "x1=a..b", "x1=0.5", "=0..1" }, text => Assert.Equal(DiagnosticCodes.ParameterRangeMalformed, Code(() => ParameterRange.Parse(text, "--param"))));

    [Fact]
    public void A_name_without_a_distribution() =>
        Assert.Equal(DiagnosticCodes.NoDistribution, Code(() => AnalysisSetup.Choose([], [new ParameterRange("x1", null, null)], "--param")));

    [Fact]
    public void Nothing_to_vary() =>
        Assert.Equal(DiagnosticCodes.NothingToVary, Code(() => SensitivityRunner.Run(new FunctionModel(1, (x, _) => x[0]), Setup(), Sobol(), null, default)));

    [Fact]
    public void Settings_out_of_range()
    {
        var model = new FunctionModel(1, (x, _) => x[0]);
        Assert.Equal(DiagnosticCodes.AnalysisSetting, Code(() => SensitivityRunner.Run(model, Setup(X1), Sobol(1), null, default)));
        Assert.Equal(DiagnosticCodes.AnalysisSetting, Code(() => SensitivityRunner.Run(model, Setup(X1), Sobol() with { Method = SensitivityMethod.Morris, Levels = 3 }, null, default)));
        Assert.Equal(DiagnosticCodes.AnalysisSetting, Code(() => DiscoveryRunner.Run(model, Setup(X1), 5, WhereCondition.Parse("y > 0.5"), null, new PrimOptions(), null, default)));
    }

    [Fact]
    public void Too_many_parameters_for_the_sequence()
    {
        var many = Enumerable.Range(1, 29).Select(i => new ParameterRange($"x{i}", 0, 1).Uniform()).ToArray();
        Assert.Equal(DiagnosticCodes.DesignTooLarge, Code(() => SensitivityRunner.Run(new FunctionModel(29, (x, _) => x[0]), Setup(many), Sobol(), null, default)));
    }

    [Fact]
    public void Conditions_and_versus()
    {
        Assert.Equal(DiagnosticCodes.ConditionMalformed, Code(() => WhereCondition.Parse("y")));
        Assert.Equal(DiagnosticCodes.VersusMissing, Code(() =>
            DiscoveryRunner.Run(new FunctionModel(1, (x, _) => x[0]), Setup(X1), 20, WhereCondition.Parse("y / versus.y > 1"), null, new PrimOptions(), null, default)));
    }

    [Fact]
    public void Data_files()
    {
        var folder = Directory.CreateTempSubdirectory("loopsim-data-").FullName;
        try
        {
            string Write(string text) { var path = Path.Combine(folder, Guid.NewGuid() + ".csv"); File.WriteAllText(path, text); return path; }
            Assert.Equal(DiagnosticCodes.DataOptionFileUnusable, Code(() => ObservedData.Load(Path.Combine(folder, "none.csv"))));
            foreach (var notATable in new[] { "time\n1\n", "time,y\n", "# only a comment\n" })
                Assert.Equal(DiagnosticCodes.DataOptionFileUnusable, Code(() => ObservedData.Load(Write(notATable))));
            foreach (var bad in new[] { "time,y\n1,2\n1,3\n", "time,y\n1,two\n", "time,y\n1,1e999\n", "time,y\n,2\n" })
                Assert.Equal(DiagnosticCodes.DataOptionValueInvalid, Code(() => ObservedData.Load(Write(bad))));
            Assert.Equal(DiagnosticCodes.PosteriorMalformed, Code(() => PosteriorSample.Load(Write("a,b\n1,x\n"))));
            // Observations in a .tab file read as the same in a .csv (one reader for every --data file).
            var tab = Path.Combine(folder, "observed.tab");
            File.WriteAllText(tab, "# source\ntime\ty\n1\t2\n2\tNA\n");
            var fromTab = ObservedData.Load(tab);
            var fromCsv = ObservedData.Load(Write("# source\ntime,y\n1,2\n2,\n"));
            Assert.Equal(fromCsv.Times, fromTab.Times);
            Assert.Equal(fromCsv.Columns, fromTab.Columns);
            Assert.Equal(fromCsv.Values, fromTab.Values);
            Assert.Equal(1, fromTab.Observations);
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void Data_that_cannot_be_fitted()
    {
        var model = new FunctionModel(1, (x, _) => x[0]);   // saves y at times 0 and 1
        var options = new CalibrationOptions { Starts = 1 };
        Assert.Equal(DiagnosticCodes.DataTimeNotSaved, Code(() => Calibrator.Run(model, Setup(X1), ObservedData.Create("d", [0.5], ["y"], [[1]]), options, null, default)));
        Assert.Equal(DiagnosticCodes.DataTooFew, Code(() => Calibrator.Run(model, Setup(X1), ObservedData.Create("d", [1], ["y"], [[1]]), options, null, default)));
        Assert.Equal(DiagnosticCodes.DataNotCounts, Code(() => Calibrator.Run(model, Setup(X1), ObservedData.Create("d", [0, 1], ["y"], [[0.5, 1]]), options with { Payoff = Payoff.Poisson }, null, default)));
        var broken = new FunctionModel(1, (_, _) => double.NaN);
        Assert.Equal(DiagnosticCodes.FitFailed, Code(() => Calibrator.Run(broken, Setup(X1), ObservedData.Create("d", [0, 1], ["y"], [[0.5, 1]]), options, null, default)));
    }
}
