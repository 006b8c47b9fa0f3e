using Xunit.Abstractions;
using LoopSim.Experiments.Designs;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.Sensitivity;

namespace LoopSim.Experiments.Tests.Sensitivity;

public class SensitivityTests(ITestOutputHelper output)
{
    private static DistributionSpec Uniform(string name, double min, double max) => new(name, new UniformDistribution(min, max), null);

    private static SensitivityResult Analyse(FunctionModel model, IReadOnlyList<DistributionSpec> parameters, SensitivityMethod method, int samples, int threads = 2) =>
        SensitivityRunner.Run(model, new AnalysisSetup { City = "test", Parameters = parameters, Seed = 7, Threads = threads },
            new SensitivityOptions { Method = method, Samples = samples, Metrics = [new RunMetric("y", null)] }, null, CancellationToken.None);

    private static void AssertCovers(double expected, Estimate estimate, double maxWidth, string what)
    {
        Assert.True(estimate.Low <= expected && expected <= estimate.High,
            $"{what}: {expected} outside [{estimate.Low:F4}, {estimate.High:F4}] (estimate {estimate.Value:F4})");
        Assert.True(estimate.High - estimate.Low < maxWidth, $"{what}: interval [{estimate.Low:F4}, {estimate.High:F4}] wider than {maxWidth}");
    }

    /// <summary>Ishigami (a = 7, b = 0.1) at N = 4096 (20,480 runs): the analytic indices lie inside the 95% bootstrap intervals.</summary>
    [Fact]
    public void Ishigami_indices_are_within_their_intervals()
    {
        var parameters = new[] { Uniform("x1", -Math.PI, Math.PI), Uniform("x2", -Math.PI, Math.PI), Uniform("x3", -Math.PI, Math.PI) };
        var result = Analyse(FunctionModel.Ishigami(), parameters, SensitivityMethod.Sobol, 4096);
        var indices = result.Metrics[0].Sobol;
        double[] first = [0.3139, 0.4424, 0], total = [0.5576, 0.4424, 0.2437];
        foreach (var index in indices) output.WriteLine($"{index.Parameter}: S1 {index.First}, ST {index.Total}");
        for (int j = 0; j < 3; j++)
        {
            AssertCovers(first[j], indices[j].First, 0.1, $"S1 of x{j + 1}");
            AssertCovers(total[j], indices[j].Total, 0.1, $"ST of x{j + 1}");
        }
        Assert.Equal(4096 * 5 + 7, result.Runs);
    }

    /// <summary>Sobol's G-function with a = (0, 1, 4.5, 9, 99, 99) at N = 8192: analytic S_i = V_i / V, ST_i = V_i Π_(j≠i)(1 + V_j) / V, V_i = 1 / (3(1 + a_i)²).</summary>
    [Fact]
    public void G_function_indices_are_within_their_intervals()
    {
        double[] a = [0, 1, 4.5, 9, 99, 99];
        var vi = a.Select(x => 1 / (3 * (1 + x) * (1 + x))).ToArray();
        double v = vi.Aggregate(1.0, (p, x) => p * (1 + x)) - 1;
        var parameters = a.Select((_, i) => Uniform($"x{i + 1}", 0, 1)).ToArray();
        var indices = Analyse(FunctionModel.GFunction(a), parameters, SensitivityMethod.Sobol, 8192).Metrics[0].Sobol;
        foreach (var index in indices) output.WriteLine($"{index.Parameter}: S1 {index.First}, ST {index.Total}");
        for (int i = 0; i < a.Length; i++)
        {
            double total = vi[i] * vi.Where((_, j) => j != i).Aggregate(1.0, (p, x) => p * (1 + x)) / v;
            AssertCovers(vi[i] / v, indices[i].First, 0.1, $"S1 of x{i + 1}");
            AssertCovers(total, indices[i].Total, 0.1, $"ST of x{i + 1}");
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_numbers_on_one_thread_or_two()
    {
        var parameters = new[] { Uniform("x1", -Math.PI, Math.PI), Uniform("x2", -Math.PI, Math.PI), Uniform("x3", -Math.PI, Math.PI) };
        foreach (var method in new[] { SensitivityMethod.Sobol, SensitivityMethod.Morris })
        {
            var one = Analyse(FunctionModel.Ishigami(), parameters, method, 256, threads: 1);
            var two = Analyse(FunctionModel.Ishigami(), parameters, method, 256, threads: 2);
            Assert.Equal(one.Metrics[0].Sobol, two.Metrics[0].Sobol);
            Assert.Equal(one.Metrics[0].Morris, two.Metrics[0].Morris);
            Assert.Equal(one.Metrics[0].Swings, two.Metrics[0].Swings);
        }
    }

    /// <summary>On y = 3·x1 − 2·x2 + 0·x3 with uniform [0, 1] inputs every elementary effect is the coefficient: μ = c, μ* = |c|, σ = 0.</summary>
    [Fact]
    public void Morris_effects_of_a_linear_function_are_its_coefficients()
    {
        var model = new FunctionModel(3, (x, _) => 3 * x[0] - 2 * x[1]);
        var parameters = new[] { Uniform("x1", 0, 1), Uniform("x2", 0, 1), Uniform("x3", 0, 1) };
        var effects = Analyse(model, parameters, SensitivityMethod.Morris, 20).Metrics[0].Morris;
        double[] c = [3, -2, 0];
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(c[j], effects[j].Mu, 1e-9);
            Assert.Equal(Math.Abs(c[j]), effects[j].MuStar, 1e-9);
            Assert.Equal(0, effects[j].Sigma, 1e-9);
        }
    }

    /// <summary>On the G-function μ* ranks the inputs as their importance (smaller a, more important), and x3 of Ishigami has μ ≈ 0 but a large σ (it acts only through its interaction with x1).</summary>
    [Fact]
    public void Morris_ranks_the_inputs_of_known_functions()
    {
        double[] a = [0, 1, 4.5, 9, 99, 99];
        var g = Analyse(FunctionModel.GFunction(a), a.Select((_, i) => Uniform($"x{i + 1}", 0, 1)).ToArray(), SensitivityMethod.Morris, 200).Metrics[0].Morris;
        for (int i = 0; i < 4; i++) Assert.True(g[i].MuStar > g[i + 1].MuStar, $"μ* of x{i + 1} should exceed x{i + 2}'s");

        var parameters = new[] { Uniform("x1", -Math.PI, Math.PI), Uniform("x2", -Math.PI, Math.PI), Uniform("x3", -Math.PI, Math.PI) };
        var ishigami = Analyse(FunctionModel.Ishigami(), parameters, SensitivityMethod.Morris, 400).Metrics[0].Morris;
        Assert.True(Math.Abs(ishigami[2].Mu) < 0.25 * ishigami[2].MuStar);
        Assert.True(ishigami[2].Sigma > 0.9 * ishigami[2].MuStar);   // |effects| nearly equal, signs random: σ ≈ μ*
    }

    [Fact]
    public void One_at_a_time_swings_move_one_parameter_between_its_5th_and_95th_percentiles()
    {
        var model = new FunctionModel(2, (x, _) => 10 * x[0] + x[1]);
        var result = Analyse(model, [Uniform("x1", 0, 1), Uniform("x2", 0, 1)], SensitivityMethod.Morris, 4);
        var swing = result.Metrics[0].Swings;
        Assert.Equal(5.5, result.Metrics[0].BaseValue, 1e-12);
        Assert.Equal(0.05, swing[0].LowValue, 1e-12);
        Assert.Equal(10 * 0.05 + 0.5, swing[0].AtLow, 1e-12);
        Assert.Equal(10 * 0.95 + 0.5, swing[0].AtHigh, 1e-12);
        Assert.Equal(0.9, swing[1].Width, 1e-12);
    }

    [Fact]
    public void Every_run_of_a_base_point_shares_its_equation_seed()
    {
        // y = the seed's low bits: if A, B and A_B^j of a base point share one seed, f(A_B^j) − f(A) = 0 and every index is 0 (or NaN if nothing varies).
        var model = new FunctionModel(2, (x, seed) => x[0] + (seed % 1000) / 1000.0);
        var result = Analyse(model, [Uniform("x1", 0, 1), Uniform("x2", 0, 1)], SensitivityMethod.Sobol, 512);
        Assert.Equal(0, result.Metrics[0].Sobol[1].Total.Value, 12);
        Assert.True(result.Metrics[0].Sobol[0].Total.Value > 0.1);
    }
}
