using LoopSim.Engine.Model;
using LoopSim.Experiments.Distributions;
using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Sampling;
using MathNet.Numerics.Statistics;

namespace LoopSim.Experiments.Tests;

public class MonteCarloTests
{
    private static DistributionSpec Spec(string parameter, params (string Key, object? Value)[] fields) =>
        DistributionSpec.Parse(parameter, fields.ToDictionary(f => f.Key, f => f.Value), new SourceLocation("s.yaml", 4, 3));

    private static MonteCarloSetup Setup(int runs = 1003, int threads = 1, SamplingMethod sampling = SamplingMethod.LatinHypercube) => new()
    {
        City = "上海",
        CityParameters = new Dictionary<string, double> { ["CAP"] = 250 },
        Uncertain = [Spec("growth_rate", ("dist", "normal"), ("mean", 2), ("sd", 0.5)), Spec("start", ("dist", "uniform"), ("min", 0), ("max", 20))],
        Runs = runs,
        Seed = 42,
        Sampling = sampling,
        Threads = threads,
    };

    private static readonly string[] Outputs = ["level", "noise", "cap"];

    private static void AssertBitIdentical(MonteCarloResult a, MonteCarloResult b)
    {
        Assert.Equal(a.Times, b.Times);
        for (int k = 0; k < a.OutputNames.Count; k++)
        {
            for (int j = 0; j < a.Times.Count; j++)
            {
                Summary x = a.Summary(k, j), y = b.Summary(k, j);
                foreach (Statistic s in Enum.GetValues<Statistic>())
                    Assert.Equal(BitConverter.DoubleToInt64Bits(x[s]), BitConverter.DoubleToInt64Bits(y[s]));
            }
            for (int r = 0; r < a.Runs; r++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.FinalValue(r, k)), BitConverter.DoubleToInt64Bits(b.FinalValue(r, k)));
        }
    }

    [Theory]
    [InlineData(SamplingMethod.LatinHypercube)]
    [InlineData(SamplingMethod.SimpleRandom)]
    public void Results_are_bit_identical_whatever_the_thread_count(SamplingMethod sampling)
    {
        var one = MonteCarloRunner.Run(new FakeModel(), Setup(threads: 1, sampling: sampling), Outputs, null, null, default);
        var two = MonteCarloRunner.Run(new FakeModel(), Setup(threads: 2, sampling: sampling), Outputs, null, null, default);
        var five = MonteCarloRunner.Run(new FakeModel(), Setup(threads: 5, sampling: sampling), Outputs, null, null, default);
        AssertBitIdentical(one, two);
        AssertBitIdentical(one, five);
    }

    [Fact]
    public void Results_do_not_depend_on_how_many_runs_a_runner_takes_at_once()
    {
        var oneByOne = MonteCarloRunner.Run(new FakeModel(), Setup(threads: 2), Outputs, null, null, default);
        var inThrees = MonteCarloRunner.Run(new FakeModel { BatchSize = 3 }, Setup(threads: 2), Outputs, null, null, default);
        var inEights = MonteCarloRunner.Run(new FakeModel { BatchSize = 8 }, Setup(threads: 1), Outputs, null, null, default);
        AssertBitIdentical(oneByOne, inThrees);
        AssertBitIdentical(oneByOne, inEights);
    }

    [Fact]
    public void Statistics_and_final_values_follow_from_each_runs_inputs()
    {
        var result = MonteCarloRunner.Run(new FakeModel(), Setup(threads: 2), Outputs, null, null, default);
        Assert.Equal(["Growth Rate", "start"], result.SampledParameters);
        Assert.Equal(["level", "noise", "cap"], result.OutputNames);
        Assert.Equal(10, result.FinalTime);
        var samples = result.Samples;
        for (int j = 0; j < result.Times.Count; j++)
        {
            double t = result.Times[j];
            // Independently: each run's value from its sampled inputs and seed, then R7 quantiles.
            for (int k = 0; k < 2; k++)
            {
                var column = Enumerable.Range(0, result.Runs).Select(r =>
                    FakeModel.Value(k, t, [samples[r, 0], samples[r, 1], 250], samples.EquationSeeds[r], j)).ToArray();
                var s = result.Summary(k, j);
                Assert.Equal(column.Average(), s.Mean, 9);
                var sorted = column.Order().ToArray();
                Assert.Equal(SortedArrayStatistics.QuantileCustom(sorted, 0.05, QuantileDefinition.R7), s.P5, 9);
                Assert.Equal(SortedArrayStatistics.QuantileCustom(sorted, 0.50, QuantileDefinition.R7), s.P50, 9);
                Assert.Equal(SortedArrayStatistics.QuantileCustom(sorted, 0.95, QuantileDefinition.R7), s.P95, 9);
            }
            Assert.Equal(new Summary(250, 250, 250, 250, 250, 250), result.Summary(2, j));
        }
        for (int r = 0; r < result.Runs; r++)
        {
            Assert.Equal(samples[r, 1] + samples[r, 0] * 10, result.FinalValue(r, 0));
            Assert.Equal(FakeModel.Value(1, 10, [], RandomStreams.EquationSeed(42, "上海", r), 10), result.FinalValue(r, 1));
        }
    }

    [Fact]
    public void Only_the_requested_times_are_summarised()
    {
        var all = MonteCarloRunner.Run(new FakeModel(), Setup(runs: 100), Outputs, null, null, default);
        var some = MonteCarloRunner.Run(new FakeModel(), Setup(runs: 100), Outputs, [3, 10.0000000001], null, default);
        Assert.Equal([3.0, 10], some.Times);
        Assert.Equal(all.Summary(0, 3), some.Summary(0, 0));
        Assert.Equal(all.Summary(1, 10), some.Summary(1, 1));
        var e = Assert.Throws<ModelException>(() => MonteCarloRunner.Run(new FakeModel(), Setup(runs: 100), Outputs, [3.5], null, default));
        Assert.Contains("time 3.5 is not a saved time", e.Message);
        Assert.Contains("3 or 4", e.Message);
    }

    [Fact]
    public void Progress_counts_every_run_in_increasing_order()
    {
        var reports = new List<int>();
        var progress = new SynchronousProgress(reports);
        MonteCarloRunner.Run(new FakeModel(), Setup(runs: 1003, threads: 2), Outputs, null, progress, default);
        Assert.Equal(1003, reports[^1]);
        Assert.Equal(reports.Order(), reports);
        Assert.Equal((1003 + MonteCarloRunner.ChunkRuns - 1) / MonteCarloRunner.ChunkRuns, reports.Count);
    }

    [Fact]
    public void Cancelling_stops_promptly_and_throws()
    {
        using var cancel = new CancellationTokenSource();
        var model = new FakeModel { AfterRun = n => { if (n == 100) cancel.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            MonteCarloRunner.Run(model, Setup(runs: 100_000, threads: 2), Outputs, null, null, cancel.Token));
        // Each thread finishes the chunk it is in; the other thread may have taken one more chunk just before the
        // cancellation, so at most three chunks run past the 100th run.
        Assert.InRange(model.RunsStarted, 100, 100 + 3 * MonteCarloRunner.ChunkRuns);
    }

    [Fact]
    public void An_error_inside_a_run_surfaces_as_itself()
    {
        var model = new FakeModel { AfterRun = n => { if (n == 50) throw new ModelException(DiagnosticCodes.InternalError, "division by zero in 'level'"); } };
        var e = Assert.Throws<ModelException>(() => MonteCarloRunner.Run(model, Setup(runs: 200, threads: 2), Outputs, null, null, default));
        Assert.Contains("division by zero", e.Message);
    }

    [Fact]
    public void Setup_mistakes_are_reported_before_any_run()
    {
        var model = new FakeModel();
        ModelException Fails(MonteCarloSetup setup, string[]? outputs = null) =>
            Assert.Throws<ModelException>(() => MonteCarloRunner.Run(model, setup, outputs ?? Outputs, null, null, default));

        var unknown = Fails(Setup() with { Uncertain = [Spec("growht_rate", ("dist", "uniform"), ("min", 0), ("max", 1))] });
        Assert.Equal("s.yaml:4:3: variable 'growht_rate': unknown parameter in uncertain:. Did you mean 'Growth Rate'?", unknown.Message);
        Assert.Contains("is also set for city '上海'", Fails(Setup() with { Uncertain = [Spec("cap", ("dist", "uniform"), ("min", 0), ("max", 1))] }).Message);
        Assert.Contains("given twice", Fails(Setup() with { Uncertain = [Spec("start", ("dist", "uniform"), ("min", 0), ("max", 1)), Spec("START", ("dist", "uniform"), ("min", 0), ("max", 1))] }).Message);
        Assert.Contains("Did you mean 'level'", Fails(Setup(), ["levle"]).Message);
        Assert.Contains("unknown parameter in city '上海'", Fails(Setup() with { CityParameters = new Dictionary<string, double> { ["capacity"] = 1 } }).Message);
        // Runs and threads are checked where the user gives them; a setup cannot even hold fewer than 1.
        Assert.Throws<ArgumentOutOfRangeException>(() => Setup(runs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Setup(threads: 0));
        Assert.Equal(0, model.RunsStarted);
    }

    [Fact]
    public void Storage_figures()
    {
        // The ecosystem model: 13 outputs at 157 saved weeks and their 13 final values, float64 per value.
        Assert.Equal(164_320_000, MonteCarloRunner.StorageBytes(10_000, 13, 157));
        Assert.Equal(16_432_000_000, MonteCarloRunner.StorageBytes(1_000_000, 13, 157));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_Monte_Carlo_spilled_to_disk_equals_one_in_memory_and_leaves_no_file(int threads)
    {
        var spill = Directory.CreateTempSubdirectory("loopsim-spill-test-").FullName;
        try
        {
            var inMemory = MonteCarloRunner.Run(new FakeModel(), Setup(threads: threads), Outputs, null, null, default);
            // 1,003 runs × 36 values × 8 bytes = 289 KB; a 40 KB budget spills, in blocks of 16 runs, 70 columns' worth at a time.
            var spilled = MonteCarloRunner.Run(new FakeModel(), Setup(threads: threads) with { MemoryBudget = 40_000, SpillFolder = spill }, Outputs, null, null, default);
            AssertBitIdentical(inMemory, spilled);
            Assert.Empty(Directory.EnumerateFileSystemEntries(spill));
            using var cancel = new CancellationTokenSource();
            var model = new FakeModel { AfterRun = n => { if (n == 500) cancel.Cancel(); } };
            Assert.ThrowsAny<OperationCanceledException>(() => MonteCarloRunner.Run(model,
                Setup(threads: threads) with { MemoryBudget = 40_000, SpillFolder = spill }, Outputs, null, null, cancel.Token));
            Assert.Empty(Directory.EnumerateFileSystemEntries(spill));
        }
        finally
        {
            Directory.Delete(spill, recursive: true);
        }
    }

    [Theory]
    [InlineData(1003, 1)]
    [InlineData(1003, 2)]
    [InlineData(1003, 3)]
    [InlineData(1003, 7)]
    [InlineData(5, 7)]
    public void The_union_of_the_shards_is_the_whole_experiment(int runs, int shards)
    {
        var folder = Directory.CreateTempSubdirectory("loopsim-shard-test-").FullName;
        try
        {
            foreach (var sampling in new[] { SamplingMethod.LatinHypercube, SamplingMethod.SimpleRandom })
            {
                var setup = Setup(runs: runs, threads: 2, sampling: sampling);
                var whole = MonteCarloRunner.Run(new FakeModel(), setup, Outputs, null, null, default);
                var paths = new List<string>();
                long total = 0;
                for (int i = 0; i < shards; i++)
                {
                    paths.Add(Path.Combine(folder, $"{sampling}-{i}.runs"));
                    // Small blocks, so a shard spans several blocks with a short last one.
                    total += MonteCarloRunner.RunShard(new FakeModel(), setup with { MemoryBudget = 20_000 }, new Shard(i, shards), paths[^1], Outputs, null, null, default);
                }
                Assert.Equal(runs, total);
                AssertBitIdentical(whole, MonteCarloRunner.Merge(new FakeModel(), setup, paths, Outputs, null, default));
                if (shards > 1)
                {
                    var e = Assert.Throws<ModelException>(() => MonteCarloRunner.Merge(new FakeModel(), setup, paths[..^1], Outputs, null, default));
                    Assert.Contains($"the shards hold {runs - new Shard(shards - 1, shards).Slice(runs).Count} runs", e.Message);
                    e = Assert.Throws<ModelException>(() => MonteCarloRunner.Merge(new FakeModel(), setup, [paths[^1], .. paths[..^1]], Outputs, null, default));
                    Assert.Contains("expected runs from 0", e.Message);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_in_memory_store_on_the_memory_of_a_larger_one_disposed_holds_its_own_runs_only()
    {
        using (var large = RunStore.InMemory(columns: 7, runs: 100))
        {
            large.NextBlock(100).Span.Fill(-1);   // what the next store must not show
            large.CommitBlock(100);
            large.Complete();
        }
        using var store = RunStore.InMemory(columns: 3, runs: 5);
        var block = store.NextBlock(5);
        Assert.Equal(15, block.Length);
        for (int i = 0; i < block.Length; i++) block.Span[i] = i;
        store.CommitBlock(5);
        store.Complete();
        for (int c = 0; c < 3; c++) Assert.Equal([5.0 * c, 5 * c + 1, 5 * c + 2, 5 * c + 3, 5 * c + 4], store.MemoryColumn(c).ToArray());
        var read = new double[10];
        store.ReadColumns(1, 2, read, stride: 5, offset: 0);
        Assert.Equal(Enumerable.Range(5, 10).Select(i => (double)i), read);
    }

    [Fact]
    public void Shards_split_the_runs_evenly_and_in_order()
    {
        Assert.Equal([(0L, 3L), (3L, 3L), (6L, 4L)], Enumerable.Range(0, 3).Select(i => new Shard(i, 3).Slice(10)).ToArray());
        Assert.Equal((0L, 0L), new Shard(0, 7).Slice(5));
        Assert.Equal(new Shard(2, 8), Shard.Parse("2/8"));
        foreach (var bad in new[] { "8/8", "-1/3", "1", "a/b", "1/0" })
            Assert.Contains("is not I/N", Assert.Throws<ModelException>(() => Shard.Parse(bad)).Message);
    }

    [Fact]
    public void A_truncated_store_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("loopsim-store-test-").FullName;
        try
        {
            var path = Path.Combine(folder, "0.runs");
            MonteCarloRunner.RunShard(new FakeModel(), Setup(runs: 100), Shard.Whole, path, Outputs, null, null, default);
            using (var file = new FileStream(path, FileMode.Open)) file.SetLength(file.Length - 8);
            var e = Assert.Throws<ModelException>(() => MonteCarloRunner.Merge(new FakeModel(), Setup(runs: 100), [path], Outputs, null, default));
            Assert.Contains("was not written completely", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class SynchronousProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
