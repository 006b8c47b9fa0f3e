using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sampling;
using LoopSim.Experiments.Sweeps;

namespace LoopSim.Experiments.Tests;

/// <summary>The Monte Carlo and sweeps on the engine's compiled model, with a random function in an equation.</summary>
public class RealModelTests
{
    /// <summary>members' = members·growth_rate + NORMAL(0, noise_sd), from start; weekly for 52 weeks.</summary>
    private static CompiledModel Model()
    {
        var model = new SdModel { Name = "noisy growth", Specs = new SimSpecs { Start = 0, Stop = 52, Dt = 0.25, SaveStep = 1 } };
        var members = new Variable { Name = "Members", Kind = VariableKind.Stock, Equation = Equation.Parse("start") };
        members.Inflows.Add("joining");
        model.Variables.Add(members);
        model.Variables.Add(new Variable { Name = "joining", Kind = VariableKind.Flow, Equation = Equation.Parse("Members * growth_rate + NORMAL(0, noise_sd)") });
        model.Variables.Add(new Variable { Name = "growth rate", Kind = VariableKind.Aux, Equation = Equation.Parse("0.02") });
        model.Variables.Add(new Variable { Name = "start", Kind = VariableKind.Aux, Equation = Equation.Parse("100") });
        model.Variables.Add(new Variable { Name = "noise sd", Kind = VariableKind.Aux, Equation = Equation.Parse("5") });
        return ModelCompiler.Compile(model);
    }

    private static MonteCarloSetup Setup(int threads) => new()
    {
        City = "杭州",
        CityParameters = new Dictionary<string, double> { ["noise_sd"] = 8 },
        Uncertain = [DistributionSpec.Parse("start", new Dictionary<string, object?> { ["dist"] = "lognormal", ["median"] = 100, ["spread"] = 1.2 })],
        Runs = 500,
        Seed = 2024,
        Threads = threads,
    };

    [Fact]
    public void Monte_carlo_on_a_compiled_model_is_thread_count_independent_and_reproduces_single_runs()
    {
        var model = Model();
        var one = MonteCarloRunner.Run(model, Setup(1), ["members", "joining"]);
        var two = MonteCarloRunner.Run(model, Setup(2), ["members", "joining"]);
        Assert.Equal(53, one.Times.Count);
        Assert.Equal(["Members", "joining"], one.OutputNames);
        for (int r = 0; r < one.Runs; r++)
            for (int k = 0; k < 2; k++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(one.FinalValue(r, k)), BitConverter.DoubleToInt64Bits(two.FinalValue(r, k)));
        for (int j = 0; j < one.Times.Count; j++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(one.Summary(0, j).P50), BitConverter.DoubleToInt64Bits(two.Summary(0, j).P50));

        // Run 123 again on its own through CompiledModel.Run with the documented inputs.
        var parameters = model.DefaultParameters.ToArray();
        parameters[model.ParameterIndex("noise sd")] = 8;
        parameters[model.ParameterIndex("start")] = one.Samples[123, 0];
        var single = model.Run(parameters, RandomStreams.EquationSeed(2024, "杭州", 123));
        Assert.Equal(single["members"][^1], one.FinalValue(123, 0));
        Assert.Equal(single["joining"][^1], one.FinalValue(123, 1));

        // The equation noise differs between runs: joining at t = 0 is start·0.02 + noise.
        var noise = Enumerable.Range(0, one.Runs).Select(r => one.FinalValue(r, 1)).Distinct().Count();
        Assert.Equal(one.Runs, noise);
    }

    [Fact]
    public void Sweep_on_a_compiled_model()
    {
        var model = Model();
        var result = SweepRunner.Run(model, Setup(2), [SweepAxis.Parse("growth_rate=0:0.04:0.02")], MetricSpec.Parse("Members@26:p50"));
        Assert.Equal(3, result.Points.Count);
        Assert.True(result.Value(result.Points[0]) < result.Value(result.Points[1]));
        Assert.True(result.Value(result.Points[1]) < result.Value(result.Points[2]));
        // With growth 0 the median is the median start plus median accumulated noise, close to 100.
        Assert.InRange(result.Value(result.Points[0]), 90, 110);
    }
    [Fact]
    public void Check_reports_the_mistakes_run_would_without_running()
    {
        var model = Model();
        MonteCarloRunner.Check(model, Setup(1), ["members"], [26]);
        SweepRunner.Check(model, Setup(1), [SweepAxis.Parse("growth_rate=0,1")], MetricSpec.Parse("Members@26"));

        var fixedAndUncertain = Setup(1) with
        {
            Uncertain = [DistributionSpec.Parse("noise_sd", new Dictionary<string, object?> { ["dist"] = "uniform", ["min"] = 1, ["max"] = 2 })],
        };
        var e = Assert.Throws<ModelException>(() => MonteCarloRunner.Check(model, fixedAndUncertain, ["members"]));
        Assert.Equal("uncertain parameter is also set for city '杭州'.", e.Diagnostics[0].Message);
        e = Assert.Throws<ModelException>(() => MonteCarloRunner.Check(model, Setup(1), ["members"], [26.5]));
        Assert.StartsWith("time 26.5 is not a saved time", e.Diagnostics[0].Message);
        e = Assert.Throws<ModelException>(() => SweepRunner.Check(model, Setup(1), [SweepAxis.Parse("growth_rat=0,1")], MetricSpec.Parse("Members")));
        Assert.Equal("unknown parameter in sweep.", e.Diagnostics[0].Message);
        Assert.Equal("Did you mean 'growth rate'?", e.Diagnostics[0].Hint);
    }
}
