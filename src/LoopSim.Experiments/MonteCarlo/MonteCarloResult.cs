using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Sampling;

namespace LoopSim.Experiments.MonteCarlo;

/// <summary>The Monte Carlo of one city: per output and summarised time the mean and percentiles; per run the sampled values and final values.</summary>
public sealed class MonteCarloResult
{
    private readonly Summary[] _summaries;
    private readonly double[] _finalValues;

    internal MonteCarloResult(string city, IReadOnlyList<string> sampledParameters, SampleSet samples,
        IReadOnlyList<string> outputNames, double[] times, double finalTime, Summary[] summaries, double[] finalValues)
    {
        City = city; SampledParameters = sampledParameters; Samples = samples; OutputNames = outputNames;
        Times = times; FinalTime = finalTime; _summaries = summaries; _finalValues = finalValues;
    }

    public string City { get; }
    public int Runs => Samples.Runs;
    /// <summary>Display names of the uncertain parameters, in the order of <see cref="Samples"/>' dimensions.</summary>
    public IReadOnlyList<string> SampledParameters { get; }
    public SampleSet Samples { get; }
    /// <summary>Display names of the reported variables.</summary>
    public IReadOnlyList<string> OutputNames { get; }
    /// <summary>The summarised saved times.</summary>
    public IReadOnlyList<double> Times { get; }
    /// <summary>The last saved time: the time of <see cref="FinalValue"/>.</summary>
    public double FinalTime { get; }

    /// <summary>The first value of the reported variables, at any saved time of any run, that is NaN or infinite; null if none.</summary>
    public NonFiniteValue? FirstNonFinite { get; init; }

    /// <summary>Statistics of output <paramref name="output"/> at <c>Times[time]</c>.</summary>
    public Summary Summary(int output, int time) => _summaries[output * Times.Count + time];

    /// <summary>The value of output <paramref name="output"/> at the final time in run <paramref name="run"/>, in full double precision.</summary>
    public double FinalValue(int run, int output) => _finalValues[(long)output * Runs + run];
}
