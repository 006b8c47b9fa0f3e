using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Runtime;
using LoopSim.Engine.Simulation;
using LoopSim.Engine.Tests.Conformance;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>
/// The fast paths compute exactly what the plain path does: the fused Euler loop equals the phase-by-phase run, and
/// a batch of runs in vector lanes equals the same runs one by one, bit for bit (NaNs included), for every
/// conformance model, the supply-chain yardstick and a model using every builtin, with varied parameters and seeds.
/// </summary>
public class FastPathTests
{
    private static readonly CompileOptions Euler = new() { Method = IntegrationMethod.Euler };

    [SuiteTheory]
    [MemberData(nameof(SdxorgSuite.ConformanceCases), MemberType = typeof(SdxorgSuite))]
    public void Conformance_model_fused_Euler_equals_phase_by_phase(string id) =>
        FusedEqualsPhaseByPhase(ModelCompiler.Compile(XmileReader.Load(SdxorgSuite.ById(id).ModelPath), Euler));

    [SuiteTheory]
    [MemberData(nameof(SdxorgSuite.ConformanceCases), MemberType = typeof(SdxorgSuite))]
    public void Conformance_model_batch_equals_runs_one_by_one(string id)
    {
        var model = XmileReader.Load(SdxorgSuite.ById(id).ModelPath);
        foreach (var method in new[] { IntegrationMethod.Euler, IntegrationMethod.RK2, IntegrationMethod.RK4 })
            BatchEqualsOneByOne(ModelCompiler.Compile(model, new CompileOptions { Method = method }));
    }

    [BenchFact]
    public void Supply_chain_fused_and_batch_equal_the_plain_path()
    {
        var model = ModelCompiler.Compile(XmileReader.Load(BenchFiles.SupplyChain));
        FusedEqualsPhaseByPhase(model);
        BatchEqualsOneByOne(model);
        // The yardstick's own variation: Base Demand, Production Delay and Hiring Time differ run to run.
        int p = model.ParameterNames.Count;
        var parameters = new double[8 * p];
        for (int r = 0; r < 8; r++)
        {
            model.DefaultParameters.CopyTo(parameters, r * p);
            parameters[r * p + model.ParameterIndex("Base Demand")] = 50 + 12.5 * r;
            parameters[r * p + model.ParameterIndex("Production Delay")] = 2 + r;
            parameters[r * p + model.ParameterIndex("Hiring Time")] = 20 - 2 * r;
        }
        BatchEqualsOneByOne(model, parameters, 8);
    }

    [Theory]
    [InlineData(IntegrationMethod.Euler)]
    [InlineData(IntegrationMethod.RK2)]
    [InlineData(IntegrationMethod.RK4)]
    public void Every_builtin_fused_and_batch_equal_the_plain_path(IntegrationMethod method)
    {
        var model = EveryBuiltin(method).Compile();
        FusedEqualsPhaseByPhase(model);
        BatchEqualsOneByOne(model);
        // Lanes that all hold the same arguments take the lane-uniform shortcut; it must not change a value either.
        BatchEqualsOneByOne(model, Enumerable.Range(0, 8).SelectMany(_ => model.DefaultParameters).ToArray(), 8, sameSeed: true);
    }

    [Theory]
    [InlineData(IntegrationMethod.Euler)]
    [InlineData(IntegrationMethod.RK2)]
    [InlineData(IntegrationMethod.RK4)]
    public void Limited_outflows_fused_and_batch_equal_the_plain_path(IntegrationMethod method)
    {
        var model = NonNegativeStockTests.Chain(method).Compile();
        FusedEqualsPhaseByPhase(model);
        BatchEqualsOneByOne(model);
    }

    /// <summary>
    /// CI runs these tests again with DOTNET_EnableAVX512=0 (.NET 10's name: DOTNET_EnableAVX512F no longer turns it
    /// off), the path of machines without AVX-512; this proves that run really is one.
    /// </summary>
    [Fact]
    public void With_DOTNET_EnableAVX512_0_the_runtime_has_no_AVX512()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
            Assert.False(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, "DOTNET_EnableAVX512=0 did not turn AVX-512 off: has the runtime's knob been renamed?");
    }

    [Fact]
    public void A_batch_with_fewer_runs_than_lanes_writes_only_its_runs()
    {
        var model = EveryBuiltin(IntegrationMethod.Euler).Compile();
        var batch = model.CreateBatchSimulation();
        var outputs = Enumerable.Range(0, model.OutputNames.Count).ToArray();
        int perRun = batch.SaveCount * outputs.Length;
        var buffer = Enumerable.Repeat(-7.0, 4 * perRun).ToArray();
        batch.Run(Varied(model, 3), [1, 2, 3], outputs, buffer);
        Assert.All(buffer[(3 * perRun)..], v => Assert.Equal(-7.0, v));
        Assert.Throws<ArgumentException>(() => batch.Run(Varied(model, 9), Enumerable.Range(0, 9).Select(i => (ulong)i).ToArray(), outputs, new double[9 * perRun]));
        Assert.Throws<ArgumentException>(() => batch.Run(Varied(model, 2), [1, 2, 3], outputs, buffer));
    }

    [Fact]
    public void Lookups_in_a_batch_cover_long_tables_ends_and_NaN()
    {
        // 20 points: too long for one permute, so lanes pick their segment through selects.
        var xs = Enumerable.Range(0, 20).Select(i => i * 0.5).ToArray();
        var ys = xs.Select(x => Math.Sin(x) * 10).ToArray();
        foreach (var type in new[] { GraphType.Continuous, GraphType.Extrapolate, GraphType.Discrete })
        {
            var model = new TestModel(start: -2, stop: 12, dt: 0.25)
                .Aux("spread", "1")
                .Aux("long", "TIME * spread", new GraphicalFunction(type, xs, ys))
                .Aux("short", "TIME * spread", new GraphicalFunction(type, xs[..5], ys[..5]))
                .Aux("one point", "TIME", new GraphicalFunction(type, [1], [4]))
                .Aux("nan", "SQRT(TIME - 5)", new GraphicalFunction(type, xs, ys))
                .Compile();
            BatchEqualsOneByOne(model);
            var one = model.Run();
            double belowTable = type == GraphType.Extrapolate ? ys[0] + (ys[1] - ys[0]) / (xs[1] - xs[0]) * (-2 - xs[0]) : ys[0];
            Assert.Equal(belowTable, one["long"][0], 12);
            Assert.True(double.IsNaN(one["nan"][0]));
        }
    }

    [Fact]
    public void A_run_and_a_batch_allocate_nothing_after_set_up()
    {
        var model = EveryBuiltin(IntegrationMethod.Euler).Compile();
        var outputs = Enumerable.Range(0, model.OutputNames.Count).ToArray();
        var simulator = model.CreateSimulation();
        var batch = model.CreateBatchSimulation();
        var parameters = Varied(model, 8);
        var buffer = new double[8 * simulator.SaveCount * outputs.Length];
        ulong[] seeds = [1, 2, 3, 4, 5, 6, 7, 8];
        void Both()
        {
            simulator.Run(parameters.AsSpan(0, model.ParameterNames.Count), 1, outputs, buffer);
            batch.Run(parameters, seeds, outputs, buffer);
        }
        Both();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Both();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Every builtin of the language, with inputs that reach the edges (zero divisors, negative stocks, NaN).</summary>
    private static TestModel EveryBuiltin(IntegrationMethod method) => new TestModel(start: 0, stop: 12, dt: 0.25, method: method, saveStep: 0.5)
        .Aux("a", "2").Aux("b", "0.5").Aux("period", "3")
        .Stock("level", "a * 10", inflows: ["inflow"], outflows: ["drain"])
        .Flow("inflow", "a + SIN(TIME * b) * 3")
        .Flow("drain", "level / period + STEP(a, 4) - RAMP(b, 6, 9)", nonNegative: true)
        .Stock("floor", "1", outflows: ["leak"], nonNegative: true)
        .Flow("leak", "a")
        .Aux("math", "ABS(-a) + MIN(a, b) + MAX(a, b) + EXP(b) + LN(a) + LOG10(a * 5) + SQRT(level) + INT(level / 7) + MOD(TIME, period) + (TIME MOD 2)")
        .Aux("trig", "SIN(TIME) + COS(TIME * b) + TAN(b) + ARCSIN(b) + ARCCOS(b / 2) + ARCTAN(TIME) + PI + a ^ b + 2 ^ -TIME")
        .Aux("clock", "TIME + DT + STARTTIME + STOPTIME + time()")
        .Aux("pulses", "PULSE(a, 1, period) + PULSE(b, 5) + RAMP(a, 2)")
        .Aux("logic", "IF (TIME > 3 AND level >= a) OR NOT (TIME <> 5) THEN SAFEDIV(a, TIME - 4, -1) ELSE SAFEDIV(b, TIME - 2) + (a = b) + (a < b) + (a <= b)")
        .Aux("snapshot", "INIT(level) + level - level")
        .Aux("smooth", "SMTH1(inflow, a) + SMTH3(inflow, period, 1) + SMTHN(inflow, a, 4)")
        .Aux("material", "DELAY1(inflow, a) + DELAY3(inflow, period, 2) + DELAYN(inflow, a, 2)")
        .Aux("pipeline", "DELAY(inflow, a * 0.6) + DELAY(level, period, 7)")
        .Aux("trends", "TREND(inflow, a) + FORCST(inflow, period, a)")
        .Aux("random", "UNIFORM(0, a) + RANDOM(1, 2) + NORMAL(a, b) + LOGNORMAL(a, b) + POISSON(a) + EXPRND(b)")
        .Aux("nan", "SQRT(TIME - 6) + LN(b - 1)")
        .Aux("table", "", new GraphicalFunction(GraphType.Continuous, [0, 1, 2, 4], [0, 3, 2, 8]))
        .Aux("looked up", "table(TIME / period) + LOOKUP(table, level / 10)")
        .Aux("extrapolated", "TIME - 6", new GraphicalFunction(GraphType.Extrapolate, [-1, 0, 1], [5, 0, 2]))
        .Aux("stepped", "TIME / 2", new GraphicalFunction(GraphType.Discrete, [1, 2, 3], [10, 20, 30]));

    private static void FusedEqualsPhaseByPhase(CompiledModel model)
    {
        var outputs = Enumerable.Range(0, model.OutputNames.Count).ToArray();
        var fused = model.CreateSimulation();
        var phased = model.CreateSimulation();
        phased.PhaseByPhase = true;
        var parameters = Varied(model, 1);
        var expected = new double[fused.SaveCount * outputs.Length];
        var actual = new double[expected.Length];
        phased.Run(parameters, 42, outputs, expected);
        fused.Run(parameters, 42, outputs, actual);
        AssertSameBits(model, expected, actual, "fused Euler loop vs phase by phase");
    }

    private static void BatchEqualsOneByOne(CompiledModel model)
    {
        BatchEqualsOneByOne(model, Varied(model, 8), 8);
        BatchEqualsOneByOne(model, Varied(model, 5), 5);
    }

    /// <summary>The batch's runs (fused and phase by phase) against the same runs one at a time.</summary>
    private static void BatchEqualsOneByOne(CompiledModel model, double[] parameters, int runs, bool sameSeed = false)
    {
        var outputs = Enumerable.Range(0, model.OutputNames.Count).ToArray();
        int p = model.ParameterNames.Count;
        var seeds = Enumerable.Range(0, runs).Select(r => sameSeed ? 5UL : 1000UL + (ulong)r * 7919).ToArray();
        var single = model.CreateSimulation();
        int perRun = single.SaveCount * outputs.Length;
        var expected = new double[runs * perRun];
        for (int r = 0; r < runs; r++) single.Run(parameters.AsSpan(r * p, p), seeds[r], outputs, expected.AsSpan(r * perRun, perRun));
        foreach (bool phaseByPhase in new[] { false, true })
        {
            var batch = model.CreateBatchSimulation();
            batch.PhaseByPhase = phaseByPhase;
            var actual = new double[runs * perRun];
            batch.Run(parameters, seeds, outputs, actual);
            AssertSameBits(model, expected, actual, $"batch of {runs} ({(phaseByPhase ? "phase by phase" : "fused")}) vs one by one");
            // The Monte Carlo's columns, with room before and between the runs.
            var columns = new double[2 + outputs.Length * single.SaveCount * ColumnStride(runs)];
            batch.Run(parameters, seeds, outputs, columns.AsSpan(2), SaveLayout.Columns(single.SaveCount, ColumnStride(runs)));
            AssertSameBits(model, expected, RunAfterRun(columns.AsSpan(2), runs, single.SaveCount, outputs.Length),
                $"batch of {runs} into columns ({(phaseByPhase ? "phase by phase" : "fused")}) vs one by one");
        }
        var alone = new double[2 + outputs.Length * single.SaveCount * ColumnStride(runs)];
        for (int r = 0; r < runs; r++)
            single.Run(parameters.AsSpan(r * p, p), seeds[r], outputs, alone.AsSpan(2 + r), SaveLayout.Columns(single.SaveCount, ColumnStride(runs)));
        AssertSameBits(model, expected, RunAfterRun(alone.AsSpan(2), runs, single.SaveCount, outputs.Length), "one by one into columns vs run after run");
    }

    private static int ColumnStride(int runs) => runs + 3;

    /// <summary>Values saved as <see cref="SaveLayout.Columns"/> with <see cref="ColumnStride"/>, rearranged run after run.</summary>
    private static double[] RunAfterRun(ReadOnlySpan<double> columns, int runs, int saves, int outputs)
    {
        var rows = new double[runs * saves * outputs];
        for (int r = 0; r < runs; r++)
            for (int i = 0; i < saves; i++)
                for (int k = 0; k < outputs; k++)
                    rows[(r * saves + i) * outputs + k] = columns[(k * saves + i) * ColumnStride(runs) + r];
        return rows;
    }

    /// <summary>Each run's parameters: the defaults scaled by a factor between 0.9 and 1.1 that differs run to run and parameter to parameter.</summary>
    private static double[] Varied(CompiledModel model, int runs)
    {
        int p = model.ParameterNames.Count;
        var result = new double[runs * p];
        for (int r = 0; r < runs; r++)
            for (int i = 0; i < p; i++)
                result[r * p + i] = model.DefaultParameters[i] * (1 + 0.025 * ((r * 3 + i) % 9 - 4));
        return result;
    }

    /// <summary>
    /// Equal bit for bit; a NaN equals any NaN (which NaN's payload survives a + b of two NaNs depends on the operand
    /// order the JIT picks, and no result depends on a payload).
    /// </summary>
    private static void AssertSameBits(CompiledModel model, double[] expected, double[] actual, string what)
    {
        int outputs = model.OutputNames.Count, perRun = model.SaveTimes.Length * outputs;
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]) && !(double.IsNaN(expected[i]) && double.IsNaN(actual[i])))
                Assert.Fail($"{model.Source.Name}, {model.Specs.Method}, {what}: run {i / perRun}, '{model.OutputNames[i % outputs]}' at t = " +
                    $"{model.SaveTimes[i % perRun / outputs]}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}

/// <summary>The speed yardstick's files: $LOOPSIM_BENCH, else ../shared/bench next to the repository root.</summary>
public static class BenchFiles
{
    public static string? Folder { get; } = Find();

    public static string SupplyChain => Path.Combine(RequiredFolder, "supplychain.xmile");

    /// <summary>The kit's folder; a test that runs without it (under CI) fails with the reason.</summary>
    public static string RequiredFolder => Folder ?? throw new InvalidOperationException(MissingReason);

    public const string MissingReason = "../shared/bench (the supply-chain yardstick) not found: set LOOPSIM_BENCH to its folder.";

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("LOOPSIM_BENCH") is { Length: > 0 } fromEnvironment)
            return File.Exists(Path.Combine(fromEnvironment, "supplychain.xmile")) ? fromEnvironment : null;
        return Repository.Shared("bench", "supplychain.xmile");
    }
}

/// <summary>A fact that is skipped, with the reason, when the speed yardstick's files are not on this machine (and fails then under CI).</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (BenchFiles.Folder is null && !Repository.SharedRequired) Skip = BenchFiles.MissingReason;
    }
}
