using LoopSim.Engine.Formats;
using LoopSim.Engine.Runtime;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Calibration;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Tests.Claims;
using MathNet.Numerics.Distributions;
using Xunit.Abstractions;

namespace LoopSim.Experiments.Tests.Calibration;

public class CalibrationTests(ITestOutputHelper output)
{
    /// <summary>Logistic growth in closed form, y(t) = K / (1 + (K / 10 − 1) e^(−r t)), saved at t = 0, 1, …, 20; parameters r and K.</summary>
    private sealed class Logistic : IRunnableModel
    {
        public IReadOnlyList<string> ParameterNames { get; } = ["r", "K"];
        public IReadOnlyList<double> DefaultParameters { get; } = [0.4, 500];
        public IReadOnlyList<string> OutputNames { get; } = ["y"];
        public IReadOnlyList<double> SaveTimes { get; } = Enumerable.Range(0, 21).Select(t => (double)t).ToArray();

        public static double Value(double r, double k, double t) => k / (1 + (k / 10 - 1) * Math.Exp(-r * t));

        public IModelRunner CreateRunner() => new Runner();

        private sealed class Runner : IModelRunner
        {
            public int BatchSize => 8;

            public void Run(ReadOnlySpan<double> parameters, ReadOnlySpan<ulong> seeds, ReadOnlySpan<int> outputs, Span<double> buffer, SaveLayout layout)
            {
                for (int run = 0; run < seeds.Length; run++)
                    for (int t = 0; t <= 20; t++) buffer[(int)(run * layout.RunStride + t * layout.RowStride)] = Value(parameters[run * 2], parameters[run * 2 + 1], t);
            }
        }
    }

    private static ObservedData Noisy(double r, double k, double sd, ulong seed, int every = 1)
    {
        var rng = new SimRandom(seed);
        var times = Enumerable.Range(1, 20).Where(t => t % every == 0).Select(t => (double)t).ToArray();
        var values = times.Select(t => Logistic.Value(r, k, t) + Normal.Sample(rng, 0, sd)).ToArray();
        return ObservedData.Create("synthetic", times, ["y"], [values]);
    }

    private static AnalysisSetup Setup(params ParameterRange[] fit) =>
        new() { City = "test", Parameters = fit.Select(f => f.Uniform()).ToList(), Seed = 1, Threads = 1 };

    private static readonly ParameterRange R = new("r", 0.05, 2), K = new("K", 100, 2000);

    [Fact]
    public void Recovers_known_parameters_from_noisy_data()
    {
        var result = Calibrator.Run(new Logistic(), Setup(R, K), Noisy(0.4, 500, 10, 3), new CalibrationOptions { Starts = 4 }, null, CancellationToken.None);
        Assert.InRange(result.Parameters[0].Value, 0.37, 0.43);
        Assert.InRange(result.Parameters[1].Value, 485, 515);
        Assert.All(result.Parameters, p => Assert.True(p.Low < p.Value && p.Value < p.High));
    }

    /// <summary>
    /// Over 200 data sets (seeds 1–200) the 95% Hessian intervals cover the true r and K at close to their nominal
    /// rate; 14 noisy points each, every other day, sd 15.
    /// </summary>
    [Fact]
    public void Hessian_intervals_cover_the_truth_at_about_their_nominal_rate()
    {
        int sets = 200;
        var covered = new int[2];
        for (ulong seed = 1; seed <= (ulong)sets; seed++)
        {
            var result = Calibrator.Run(new Logistic(), Setup(R, K), Noisy(0.4, 500, 15, seed, every: 2), new CalibrationOptions { Starts = 2 }, null, CancellationToken.None);
            if (result.Parameters[0].Low <= 0.4 && 0.4 <= result.Parameters[0].High) covered[0]++;
            if (result.Parameters[1].Low <= 500 && 500 <= result.Parameters[1].High) covered[1]++;
        }
        output.WriteLine($"coverage of r: {covered[0]}/{sets}, of K: {covered[1]}/{sets}");
        // Binomial(200, 0.95) falls in 90%–99% with probability > 0.99.
        Assert.InRange(covered[0] / (double)sets, 0.90, 0.99);
        Assert.InRange(covered[1] / (double)sets, 0.90, 0.99);
    }

    [Fact]
    public void The_posterior_is_centred_on_the_fit_and_as_wide_as_the_Hessian_says()
    {
        var options = new CalibrationOptions { Starts = 2, Generations = 1500 };
        var result = Calibrator.Run(new Logistic(), Setup(R, K), Noisy(0.4, 500, 10, 5), options, null, CancellationToken.None);
        Assert.InRange(result.Acceptance, 0.1, 0.6);
        foreach (var p in result.Parameters)
        {
            output.WriteLine($"{p.Parameter}: fit {p.Value} [{p.Low}, {p.High}], posterior {p.PosteriorMean} [{p.PosteriorLow}, {p.PosteriorHigh}]");
            Assert.Equal(p.Value, p.PosteriorMean, 0.5 * p.StdError);
            Assert.InRange((p.PosteriorHigh - p.PosteriorLow) / (p.High - p.Low), 0.7, 1.4);
        }
        var again = Calibrator.Run(new Logistic(), Setup(R, K) with { Threads = 2 }, Noisy(0.4, 500, 10, 5), options, null, CancellationToken.None);
        Assert.Equal(result.Posterior, again.Posterior);
    }

    /// <summary>
    /// The 1978 boarding-school influenza outbreak (BMJ 1978; 763 boys, 14 days of boys confined to bed), fitted with SIR:
    /// Murray (Mathematical Biology, §10.2) gives r = 0.00218 per day per person, i.e. beta = r·N = 1.66 per day, and a = gamma = 0.44 per day.
    /// </summary>
    [Fact]
    public void The_boarding_school_outbreak_fits_as_published()
    {
        var folder = ShippedScenarios.Folder;
        var model = ModelCompiler.Compile(ModelLoader.Load(Path.Combine(folder, "models", "sir.yaml")));
        var data = ObservedData.Load(Path.Combine(folder, "data", "boarding-school-flu-1978.csv"));
        var setup = Setup(new ParameterRange("beta", 0.5, 4), new ParameterRange("gamma", 0.1, 1.5));
        var result = Calibrator.Run(model, setup, data, new CalibrationOptions(), null, CancellationToken.None);
        var (beta, gamma) = (result.Parameters[0], result.Parameters[1]);
        output.WriteLine($"beta {beta.Value} [{beta.Low}, {beta.High}], gamma {gamma.Value} [{gamma.Low}, {gamma.High}]");
        Assert.Equal(1.66, beta.Value, 0.05);
        Assert.Equal(0.44, gamma.Value, 0.02);
        Assert.InRange(1.66, beta.Low, beta.High);
        Assert.InRange(0.44, gamma.Low, gamma.High);
    }

    [Fact]
    public void Data_columns_that_match_no_variable_are_an_error()
    {
        var data = ObservedData.Create("observed.csv", [1, 2, 3], ["yy"], [[1, 2, 3]]);
        var e = Assert.Throws<LoopSim.Engine.Diagnostics.ModelException>(() =>
            Calibrator.Run(new Logistic(), Setup(R, K), data, new CalibrationOptions(), null, CancellationToken.None));
        Assert.Contains("data column 'yy' matches no variable of the model", e.Message);
    }

    [Fact]
    public void Missing_values_are_left_out()
    {
        var full = Noisy(0.4, 500, 10, 9);
        var values = full.Values[0].ToArray();
        values[3] = double.NaN;
        values[10] = double.NaN;
        var gappy = ObservedData.Create("gappy", [.. full.Times], ["y"], [values]);
        var result = Calibrator.Run(new Logistic(), Setup(R, K), gappy, new CalibrationOptions { Starts = 2 }, null, CancellationToken.None);
        Assert.Equal(18, result.Observations);
        Assert.Equal(0.4, result.Parameters[0].Value, 0.04);
    }
}
