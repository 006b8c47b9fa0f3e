using BenchmarkDotNet.Attributes;
using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Benchmarks;

/// <summary>
/// Percentiles.Summarise (mean and the five exact percentiles) over the columns of a 10,000-run Monte Carlo: 2,355
/// columns (a fifth of the alliance's 11,775) of lognormal values of varied location and spread, every tenth column
/// instead a few distinct values with most runs on one (a saturated or floored output). One thread; times are per
/// column. Run with <c>dotnet run -c Release --project benchmarks/LoopSim.Benchmarks -- --filter '*PercentileBenchmarks*'</c>.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class PercentileBenchmarks
{
    private const int Columns = 2_355, Runs = 10_000;
    private double[] _values = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        _values = new double[Columns * Runs];
        for (int c = 0; c < Columns; c++)
        {
            double location = rng.NextDouble() * 12 - 2, spread = 0.05 + rng.NextDouble();
            var column = _values.AsSpan(c * Runs, Runs);
            for (int r = 0; r < Runs; r++)
                column[r] = c % 10 == 0
                    ? (rng.Next(10) < 7 ? 400 : rng.Next(4) * 25.0)
                    : Math.Exp(location + spread * Normal());
        }
    }

    [Benchmark(Description = "Summarise 10,000 runs (per column)", OperationsPerInvoke = Columns)]
    public double Summarise()
    {
        double check = 0;
        for (int c = 0; c < Columns; c++) check += Percentiles.Summarise(_values.AsSpan(c * Runs, Runs)).P50;
        return check;
    }
}
