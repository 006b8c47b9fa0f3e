using LoopSim.Experiments.MonteCarlo;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;

namespace LoopSim.Cli;

/// <summary>
/// The charts of <c>loopsim run</c>, in charts/ of the output folder. A Monte Carlo: a fan chart per reported
/// variable and city, a small-multiples page per variable with every city, and the composition of each city
/// in its median run. A single run: a line chart per variable with every city, and each city's composition.
/// A city's own charts render in the background as soon as its results are added, while the next city runs.
/// </summary>
internal sealed class RunCharts : IDisposable
{
    private readonly ScenarioPlan _plan;
    private readonly OutputFolder _folder;
    private readonly CancellationToken _cancel;
    private readonly ChartWriter _writer;
    private readonly Quantity _time;
    private readonly ChartQueue _queue;
    private readonly List<Written> _written = [];
    /// <summary>The loop-dominance chart once a chart thread has written it; null before, or when the model has no loops.</summary>
    private Written? _dominance;

    /// <summary>A chart written: its title, its path in the output folder, and whether report.html shows it (the pages that sum up every city).</summary>
    public sealed record Written(string Title, string Path, bool InReport);

    /// <summary>The charts queued so far, in order; every one is written once <see cref="Finish"/> returns.</summary>
    public IReadOnlyList<Written> Charts => _written;

    /// <param name="dominance">The loop-dominance chart's analysis, if already started (<see cref="AnalyseDominance"/>); else it starts here.</param>
    public RunCharts(ScenarioPlan plan, OutputFolder folder, CancellationToken cancel, Task<LoopScoreChart?>? dominance = null)
    {
        (_plan, _folder, _cancel) = (plan, folder, cancel);
        var scenario = plan.Scenario;
        _writer = Output.Charts(plan.Cities.Select(c => c.City.DisplayName), [], scenario.Composition.Select(Output.Label));
        _time = new Quantity("Time", scenario.Model.Specs.TimeUnits);
        _queue = new ChartQueue(plan.Cities[0].Setup.Threads, cancel);
        QueueDominance(dominance ?? AnalyseDominance(scenario, plan.Cities[0].City));
    }

    /// <summary>
    /// Which loops drive the behaviour: the first city's single run with its own values, as `loopsim loops` finds it.
    /// It needs nothing but the scenario, so it can start as soon as the scenario is read, while the plan compiles and
    /// the cities run.
    /// </summary>
    public static Task<LoopScoreChart?> AnalyseDominance(Scenario scenario, City first) => Task.Run(() => LoopsCommand.DominanceChart(scenario, first));

    private void QueueDominance(Task<LoopScoreChart?> analysis)
    {
        var path = _folder.PathFor(Path.Combine("charts", $"loop-dominance-{Output.Slug(_plan.Cities[0].City.Name)}.png"));
        _queue.Add(() =>
        {
            if (analysis.GetAwaiter().GetResult() is not { } chart) return;
            _writer.Save(path, chart, _cancel);
            _dominance = new Written(chart.Title, path, InReport: true);
        });
    }

    private void Add<T>(string name, T chart, Action<string, T, CancellationToken> save, string title, bool inReport = true)
    {
        var path = _folder.PathFor(Path.Combine("charts", name));
        _written.Add(new Written(title, path, inReport));
        _queue.Add(() => save(path, chart, _cancel));
    }

    private Quantity ValueOf(string variable) => new(Output.Label(variable), Output.Units(_plan.UnitsOf(variable)));

    /// <summary>Queues the charts of one city: its fan charts (a Monte Carlo) and its composition.</summary>
    public void AddCity(CityOutcome o)
    {
        var scenario = _plan.Scenario;
        var city = o.Run.City.DisplayName;
        if (_plan.IsMonteCarlo)
            foreach (var variable in scenario.Report)
            {
                var value = ValueOf(variable);
                var fan = new FanChart($"{value.Name} · {city} · {scenario.Name}", city, _time, value, o.Band(variable));
                Add($"{Output.Slug(variable)}-{Output.Slug(o.Run.City.Name)}.png", fan, _writer.Save, fan.Title, inReport: false);
            }
        if (scenario.Composition.Count > 0)
        {
            var units = Output.Units(_plan.UnitsOf(scenario.Composition[0]));
            var path = _folder.PathFor(Path.Combine("charts", $"composition-{Output.Slug(o.Run.City.Name)}.png"));
            _written.Add(new Written($"Composition · {city} · {scenario.Name}", path, InReport: true));
            _queue.Add(() =>
            {
                var (layers, which) = Composition(scenario.Composition, o);
                _writer.Save(path, new CompositionChart($"Composition · {city} · {scenario.Name}{which}", _time, new Quantity("Total", units), layers), _cancel);
            });
        }
    }

    /// <summary>Queues the charts across cities (a page per variable with every city), once every city's outcome is there.</summary>
    public void AddPages(IReadOnlyList<CityOutcome> outcomes)
    {
        var scenario = _plan.Scenario;
        foreach (var variable in scenario.Report)
        {
            var value = ValueOf(variable);
            var slug = Output.Slug(variable);
            if (_plan.IsMonteCarlo)
            {
                var page = new SmallMultiplesChart($"{value.Name} by city · {scenario.Title ?? scenario.Name}", _time, value,
                    outcomes.Select(o => new NamedBand(o.Run.City.DisplayName, o.Band(variable))).ToList());
                Add($"{slug}-cities.png", page, _writer.Save, page.Title);
            }
            else
            {
                var line = new LineChart($"{value.Name} by city · {scenario.Title ?? scenario.Name}", _time, value,
                    outcomes.Select(o => new Series(o.Run.City.DisplayName, o.Times, o.Band(variable).P50)).ToList());
                Add($"{slug}.png", line, _writer.Save, line.Title);
            }
        }
    }

    /// <summary>Waits for every chart queued, and returns how many were written.</summary>
    public int Finish()
    {
        _queue.Finish();
        if (_dominance is not null) _written.Add(_dominance);   // last, after the pages of every city
        return _written.Count;
    }

    public void Dispose() => _queue.Dispose();

    /// <summary>
    /// The layers of a composition chart. A Monte Carlo shows one real run, the one whose final total of the
    /// parts is the median (medians of each part would not add up to any run's total); it is run again to get
    /// its whole trajectory.
    /// </summary>
    private static (IReadOnlyList<Series> Layers, string Which) Composition(IReadOnlyList<string> parts, CityOutcome outcome)
    {
        if (outcome.MonteCarlo is not { } mc)
            return (parts.Select(p => new Series(Output.Label(p), outcome.Times, outcome.Band(p).P50)).ToList(), "");
        var columns = parts.Select(outcome.IndexOf).ToArray();
        var byTotal = Enumerable.Range(0, mc.Runs)
            .Select(run => (Total: columns.Sum(k => mc.FinalValue(run, k)), Run: run))
            .Order().ToArray();
        int median = byTotal[(byTotal.Length - 1) / 2].Run;
        var result = ScenarioPlan.Rerun(outcome, median);
        return (parts.Select(p => new Series(Output.Label(p), result.Times, result[p])).ToList(), $" (median run, #{median})");
    }
}
