using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LoopSim.Engine.Analysis;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Scenarios;
using LoopSim.Reports;
using Spectre.Console;
using YamlDotNet.RepresentationModel;

namespace LoopSim.Cli;

/// <summary>
/// `loopsim loops MODEL|SCENARIO [--city NAME] [--output DIR]`: every feedback loop with its polarity and its
/// share of the behaviour over the run (Loops That Matter), the dominance periods, CSVs, a chart of relative
/// loop scores and a causal loop diagram (Graphviz).
/// </summary>
internal static class LoopsCommand
{
    /// <summary>Loops drawn on the chart and labelled on the diagram: the most important ones.</summary>
    private const int ChartLoops = 8, DiagramLoops = 12;

    public static Command Create()
    {
        var input = new Argument<string>("model") { Description = "A model file (.xmile, .stmx, .mdl, .yaml, .yml), or a scenario file (.yaml with cities)." };
        var city = new Option<string?>("--city") { Description = "With a scenario: the city whose settings apply (name or label; default: the first city)." };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for the outputs; default: NAME-loops next to the current folder." };
        var show = new Option<int>("--show") { Description = "Loops to print, most important first (all are in loops.csv).", DefaultValueFactory = _ => 20 };
        var maxLoops = new Option<int>("--max-loops") { Description = "List every loop when the model has at most this many (loops inside SMTH/DELAY builtins do not count); beyond, find the loops that matter by strongest-path search.", DefaultValueFactory = _ => 5000 };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the random functions (default: the scenario's, else 42)." };
        var data = DataOption.Create();
        var maxMemory = new Option<double>("--max-memory") { Description = "Refuse an analysis estimated to need more memory than this many GB (it names what fits).", DefaultValueFactory = _ => LoopAnalysisMemory.DefaultBudget / 1e9 };

        var command = new Command("loops", "Find every feedback loop, its polarity, and which loops dominate when (Loops That Matter).");
        command.Arguments.Add(input);
        command.Options.Add(city);
        command.Options.Add(output);
        command.Options.Add(show);
        command.Options.Add(maxLoops);
        command.Options.Add(seed);
        command.Options.Add(maxMemory);
        command.Options.Add(data);
        command.SetAction((parse, cancel) => Task.FromResult(Commands.Guard(() =>
        {
            if (parse.GetValue(show) < 0) throw new ModelException(DiagnosticCodes.OptionInvalid, "--show must be 0 or more.");
            if (parse.GetValue(maxLoops) < 1) throw new ModelException(DiagnosticCodes.OptionInvalid, "--max-loops must be at least 1.");
            if (!(parse.GetValue(maxMemory) is > 0 and < 1e9)) throw new ModelException(DiagnosticCodes.OptionInvalid, "--max-memory must be a positive number of GB, e.g. 4.");
            var target = Resolve(parse.GetValue(input)!, parse.GetValue(city), DataOption.Read(parse, data));
            var compiled = ModelCompiler.Compile(target.Model, new CompileOptions { Overrides = target.Overrides });
            var folderName = parse.GetValue(output) ?? target.Name + "-loops";
            using var folder = Output.Folder(parse.GetValue(output), folderName);
            var clock = Stopwatch.StartNew();
            var analysis = LoopAnalyzer.Analyze(compiled, new LoopAnalysisOptions
            {
                LoopCap = parse.GetValue(maxLoops), Seed = parse.GetValue(seed) ?? target.Seed, MemoryBudget = (long)(parse.GetValue(maxMemory) * 1e9),
            });
            clock.Stop();
            var namedFile = NamedLoops.FileFor(target.ModelPath);
            var families = namedFile is null ? null : NamedLoops.Match(analysis, NamedLoops.Load(namedFile, target.Model));
            Print(target, compiled, analysis, families, clock.Elapsed, parse.GetValue(show));
            if (families is not null) PrintNamed(namedFile!, analysis, families);
            foreach (var warning in analysis.Warnings) Output.Report(warning);
            var files = Write(folder, target, compiled, analysis, families, cancel);
            folder.Commit(cancel);
            Console.WriteLine();
            Output.Wrote(folderName, files, 0);
            return 0;
        })));
        return command;
    }

    /// <summary>
    /// The loop-dominance chart of a scenario's city (its single run, default analysis options): the named loops' scores
    /// where the model names its loops, else the relative scores of the most important loops; null for a model without loops.
    /// </summary>
    public static LoopScoreChart? DominanceChart(Scenario scenario, City city)
    {
        var target = ForCity(scenario, city);
        var compiled = ModelCompiler.Compile(target.Model, new CompileOptions { Overrides = target.Overrides });
        var analysis = LoopAnalyzer.Analyze(compiled, new LoopAnalysisOptions { Seed = target.Seed, MeasureCoverage = false });
        if (analysis.Loops.Count == 0) return null;
        var namedFile = NamedLoops.FileFor(target.ModelPath);
        var named = namedFile is null ? null : NamedLoops.Match(analysis, NamedLoops.Load(namedFile, target.Model));
        return named is { Families.Count: > 0 } ? NamedChart(target, compiled, analysis, named) : ScoreChart(target, compiled, analysis);
    }

    /// <summary>What to analyse: a model as it is, or a scenario's model with one city's settings.</summary>
    internal sealed record Target(SdModel Model, string ModelPath, string Name, string Title, IReadOnlyDictionary<string, double>? Overrides, ulong Seed);

    internal static Target Resolve(string path, string? cityName, IReadOnlyList<string> dataFiles)
    {
        if (!IsScenario(path))
        {
            if (cityName is not null)
                throw new ModelException(DiagnosticCodes.CityWithoutScenario, $"--city needs a scenario file, and '{path}' is a model.", hint: "Give a scenario (e.g. scenarios/alliance.yaml), or leave out --city.");
            var model = ModelLoader.Load(path, dataFiles);
            return new Target(model, path, Path.GetFileNameWithoutExtension(path), model.Name, null, 42);
        }
        var scenario = ScenarioLoader.Load(path, dataFiles);
        if (scenario.Cities.Count == 0) throw new ModelException(DiagnosticCodes.NoCities, $"scenario '{path}' has no cities.", new SourceLocation(path, 0, 0));
        var city = cityName is null ? scenario.Cities[0]
            : scenario.Cities.FirstOrDefault(c => Names.Canonical(c.Name) == Names.Canonical(cityName) || c.Label == cityName)
              ?? throw new ModelException(DiagnosticCodes.UnknownCity, $"scenario '{scenario.Name}' has no city '{cityName}'.", new SourceLocation(path, 0, 0),
                  hint: "Its cities: " + string.Join(", ", scenario.Cities.Select(c => c.Name)) + ".");
        return ForCity(scenario, city);
    }

    /// <summary>A scenario's model with the settings of one of its cities.</summary>
    private static Target ForCity(Scenario scenario, City city) =>
        new(scenario.Model, scenario.ModelPath, $"{scenario.Name}-{city.Name}", $"{scenario.Title ?? scenario.Name}, {city.DisplayName}",
            scenario.OverridesFor(city), scenario.Seed);

    /// <summary>A scenario file is YAML with cities (a YAML model has stocks and flows instead).</summary>
    internal static bool IsScenario(string path)
    {
        if (!File.Exists(path) || Path.GetExtension(path).ToLowerInvariant() is not (".yaml" or ".yml")) return false;
        return YamlFile.Load(path, "model or scenario file").Root is YamlMappingNode root
               && root.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value is "cities" or "scenario");
    }

    private static void Print(Target target, CompiledModel compiled, LoopAnalysis analysis, LoopFamilies? families, TimeSpan elapsed, int show)
    {
        if (analysis.Loops.Count == 0)
        {
            Console.WriteLine($"{target.Title}: no feedback loops.");
            return;
        }
        Console.WriteLine($"{target.Title}: {analysis.Method}; {analysis.Partitions.Count} partition{(analysis.Partitions.Count == 1 ? "" : "s")} "
                          + $"(analysed in {elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s)");
        if (!analysis.Exhaustive && analysis.Coverage.Count > 0)
        {
            var measured = analysis.Coverage.Where(c => !double.IsNaN(c.Explained)).ToList();
            Console.WriteLine(measured.Count == 0
                ? "How much of the stocks' change the loops found explain is not measured (partitions of too many stocks); relative scores are shares of what they explain."
                : $"The loops found explain {Percent(measured.Average(c => c.Explained))} of the stocks' change on average (least: {measured.MinBy(c => c.Explained)!.Stock}, "
                  + $"{Percent(measured.Min(c => c.Explained))}); relative scores are shares of what they explain (coverage.csv).");
        }
        var table = new SummaryTable($"Loops by share of the behaviour over the run, t = {compiled.Specs.Start.ToString(CultureInfo.InvariantCulture)}…{compiled.Specs.Stop.ToString(CultureInfo.InvariantCulture)} {compiled.Specs.TimeUnits}",
            families is null ? ["loop", "polarity", "length", "share", "dominant", "path"] : ["loop", "polarity", "length", "share", "dominant", "family", "path"]);
        foreach (var loop in analysis.Loops.Take(show))
        {
            SummaryCell[] cells = [loop.Id, PolarityText(loop), loop.Length, Percent(loop.Share), Percent(loop.DominantFraction), loop.Path];
            // A loop's id ranks it (R2: the second strongest reinforcing one); its family is the article's loop it belongs to.
            table.AddRow(families is null ? cells : [.. cells[..5], families.Families.FirstOrDefault(r => r.Members.Contains(loop))?.Named.Label ?? "other", cells[5]]);
        }
        table.Write(Output.Console());
        if (analysis.Loops.Count > show) Console.WriteLine($"… and {analysis.Loops.Count - show} more loops in loops.csv.");

        foreach (var partition in analysis.Partitions)
        {
            var phases = Phases(analysis.Dominance.Where(d => d.Partition == partition.Index).ToList());
            Console.WriteLine();
            Console.WriteLine($"Dominance in partition {partition.Index} ({string.Join(", ", partition.Stocks.DefaultIfEmpty("no model stock"))}; {partition.LoopIds.Count} loops): "
                              + "the fewest loops explaining at least half of the change, grouped by the strongest of them");
            foreach (var phase in phases.Take(40))
                Console.WriteLine($"  {Time(phase.From),8} – {Time(phase.To),-8} {phase.Text}");
            if (phases.Count > 40) Console.WriteLine($"  … {phases.Count - 40} more switches in dominance.csv.");
        }
    }

    private static void PrintNamed(string file, LoopAnalysis analysis, LoopFamilies families)
    {
        Console.WriteLine();
        var table = new SummaryTable($"Loop families ({Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}): each loop in the first family it passes through; share = mean sum of their |relative scores|",
            new[] { "family", "mechanism", "named loop", "loops (R/B)", "share", "strongest" });
        foreach (var r in families.Families)
            table.AddRow(r.Named.Id, r.Named.Name, NamedLoopText(r), Counts(r.Members), Percent(r.Share), r.Members.Count > 0 ? r.Members[0].Id : "");
        table.AddRow("other", "no family", "", Counts(families.Others), Percent(families.OtherShare), families.Others.Count > 0 ? families.Others[0].Id : "");
        table.Write(Output.Console());
        if (families.Others.Count > 0)
            Console.WriteLine("In no family: " + string.Join("; ", families.Others.Take(3).Select(l => $"{l.Id} {l.Path}")) + (families.Others.Count > 3 ? $"; … {families.Others.Count - 3} more" : ""));
        Console.WriteLine("Strongest family over time:");
        foreach (var phase in FamilyPhases(analysis, families).Take(40))
            Console.WriteLine($"  {Time(phase.From),8} – {Time(phase.To),-8} {phase.Text}");

        static string Counts(IReadOnlyList<FeedbackLoop> loops) =>
            $"{loops.Count} ({loops.Count(l => l.Polarity == LoopPolarity.Reinforcing)}/{loops.Count(l => l.Polarity == LoopPolarity.Balancing)})";
    }

    /// <summary>"reinforcing, 12 found, structure agrees" for a family that names a loop; "" for one that does not.</summary>
    private static string NamedLoopText(NamedLoopResult r) => r.Named.Polarity is not { } polarity ? ""
        : $"{polarity.ToString().ToLowerInvariant()}: " + (r.Loops.Count == 0 ? "not found"
            : $"{r.Loops.Count} found, " + (r.Confirmed ? "structure agrees" : $"not: {string.Join(" ", r.Loops.Where(l => l.Polarity != polarity).Select(l => l.Id).Take(5))}"));

    /// <summary>Runs of save times with the same strongest family (by the sum of its loops' |relative scores|), the loops of no family counted as one.</summary>
    private static List<Phase> FamilyPhases(LoopAnalysis analysis, LoopFamilies families)
    {
        var phases = new List<Phase>();
        string? current = null;
        double from = 0, sum = 0;
        int count = 0;
        foreach (var k in Enumerable.Range(0, analysis.Times.Length))
        {
            double other = families.Others.Sum(l => Math.Abs(l.RelativeScores[k]));
            double Activity(NamedLoopResult r) => r.Members.Sum(l => Math.Abs(l.RelativeScores[k]));
            var best = families.Families.MaxBy(Activity)!;
            double strongest = Activity(best);
            var (leader, value) = strongest == 0 && other == 0 ? ("nothing changes", 0.0)
                : strongest >= other ? (best.Named.Label, strongest) : ("loops of no family", other);
            if (leader != current)
            {
                // A phase runs from the start of its first step to the start of the next phase, as dominance.csv's periods.
                if (current is not null) phases.Add(new Phase(from, analysis.Times[k], $"{current} ({Percent(sum / count)})"));
                (current, from, sum, count) = (leader, analysis.Times[k], 0, 0);
            }
            sum += value;
            count++;
        }
        if (current is not null) phases.Add(new Phase(from, analysis.End, $"{current} ({Percent(sum / count)})"));
        return phases;
    }

    private static string PolarityText(FeedbackLoop loop) => (loop.Polarity, loop.ObservedPolarity) switch
    {
        (LoopPolarity.Reinforcing, _) => "reinforcing",
        (LoopPolarity.Balancing, _) => "balancing",
        (_, LoopPolarity.Reinforcing) => "undetermined, acted reinforcing",
        (_, LoopPolarity.Balancing) => "undetermined, acted balancing",
        _ => "undetermined",
    };

    private static string Percent(double share) => (100 * share).ToString(share < 0.001 && share > 0 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "%";

    private static string Time(double t) => t.ToString("0.##", CultureInfo.InvariantCulture);

    private sealed record Phase(double From, double To, string Text);

    /// <summary>Consecutive dominance periods led by the same loop, as one line: the leader, and how many loops it took.</summary>
    private static List<Phase> Phases(List<DominancePeriod> periods)
    {
        var phases = new List<Phase>();
        for (int i = 0; i < periods.Count;)
        {
            string? leader = (periods[i].LoopIds.Count > 0 ? periods[i].LoopIds[0] : null);
            int j = i;
            while (j + 1 < periods.Count && (periods[j + 1].LoopIds.Count > 0 ? periods[j + 1].LoopIds[0] : null) == leader) j++;
            var run = periods.Skip(i).Take(j - i + 1).ToList();
            string text;
            if (leader is null) text = "no loop active (nothing changes)";
            else
            {
                int fewest = run.Min(p => p.LoopIds.Count), most = run.Max(p => p.LoopIds.Count);
                var alone = string.Join(" + ", run[0].LoopIds.Take(4)) + (run[0].LoopIds.Count > 4 ? $" + {run[0].LoopIds.Count - 4} more" : "");
                double weighted = run.Sum(p => p.Share * (p.To - p.From)) / Math.Max(run.Sum(p => p.To - p.From), 1e-300);
                text = fewest == most && run.Count == 1
                    ? $"{alone} ({Percent(weighted)})"
                    : $"led by {leader}; {(fewest == most ? $"{fewest}" : $"{fewest}–{most}")} loops explain half ({Percent(weighted)})";
            }
            phases.Add(new Phase(periods[i].From, periods[j].To, text));
            i = j + 1;
        }
        return phases;
    }

    /// <returns>The files written, by name in the folder.</returns>
    private static List<string> Write(OutputFolder folder, Target target, CompiledModel compiled, LoopAnalysis analysis, LoopFamilies? families, CancellationToken cancel)
    {
        var written = new List<string>();
        string Out(string file) { written.Add(file); return folder.PathFor(file); }

        // The diagram is laid out and rendered by Graphviz, processes of their own (0.4 s on the alliance), while the tables
        // and charts are written.
        var diagram = analysis.Loops.Count > 0 ? Task.Run(() => WriteDiagram(folder, target, analysis, families, cancel)) : Task.FromResult(new List<string>());
        try
        {
            LoopsTable(analysis, families).Save(Out("loops.csv"), cancel);
            ScoresTable(analysis).Save(Out("loop-scores.csv"), cancel);
            DominanceTable(analysis).Save(Out("dominance.csv"), cancel);
            CoverageTable(analysis).Save(Out("coverage.csv"), cancel);
            if (analysis.Loops.Count > 0)
            {
                new ChartWriter(warn: Output.FontWarning).Save(Out("loop-scores.png"), ScoreChart(target, compiled, analysis), cancel);
                if (families is { Families.Count: > 0 })
                {
                    NamedScoresTable(analysis, families).Save(Out("named-loop-scores.csv"), cancel);
                    new ChartWriter(warn: Output.FontWarning).Save(Out("named-loop-scores.png"), NamedChart(target, compiled, analysis, families), cancel);
                }
            }
        }
        catch
        {
            // Nothing keeps writing into the folder that is about to be removed.
            try { diagram.Wait(CancellationToken.None); }
            catch (AggregateException) { }   // the first failure is the one reported
            throw;
        }
        written.AddRange(diagram.GetAwaiter().GetResult());
        return written;
    }

    /// <summary>loops.dot, and loops.png when Graphviz is installed; returns the names of the files written.</summary>
    private static List<string> WriteDiagram(OutputFolder folder, Target target, LoopAnalysis analysis, LoopFamilies? families, CancellationToken cancel)
    {
        var diagram = Diagram(target, analysis, families);
        var dotPath = folder.PathFor("loops.dot");
        var written = new List<string> { "loops.dot" };
        var dot = Graphviz.Find();
        try
        {
            // With Graphviz: laid out once, then every loop's label pinned inside its loop (see CausalLoopDiagram.Pin).
            if (dot is not null) diagram = diagram.Pin(Graphviz.Layout(dot, diagram.ToDot()));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            Output.Report(new Diagnostic(DiagnosticCodes.DiagramNotRendered, $"the causal loop diagram could not be laid out, so its labels are placed by springs: {e.Message}"));
        }
        diagram.Save(dotPath, cancel);
        if (dot is not null)
        {
            try
            {
                Graphviz.RenderPng(dot, dotPath, folder.PathFor("loops.png"));
                written.Add("loops.png");
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                Output.Report(new Diagnostic(DiagnosticCodes.DiagramNotRendered, $"loops.dot was written but not rendered: {e.Message}"));
            }
        }
        else
            Output.Report(new Diagnostic(DiagnosticCodes.GraphvizMissing, "Graphviz's 'dot' is not on PATH, so loops.dot was not rendered to loops.png",
                Hint: "Install Graphviz (Debian: apt-get install graphviz)."));
        return written;
    }

    /// <summary>Per stock, the share of its change the loops listed explain: mean over the run, and the lowest and when.</summary>
    private static CsvTable CoverageTable(LoopAnalysis analysis) => new(
        new[] { "partition", "stock", "explained", "lowest", "lowest_at" },
        analysis.Coverage.Select(c => new CsvCell[] { c.Partition, c.Stock, c.Explained, c.Lowest, c.LowestAt }));

    private static CsvTable LoopsTable(LoopAnalysis analysis, LoopFamilies? families) => new(
        new[] { "id", "polarity", "observed_polarity", "length", "partition", "share", "dominant_fraction", "family", "named", "path", "variables", "delays" },
        analysis.Loops.Select(l => new CsvCell[]
        {
            l.Id, l.Polarity.ToString().ToLowerInvariant(), l.ObservedPolarity.ToString().ToLowerInvariant(), l.Length, l.Partition,
            l.Share, l.DominantFraction, families?.Families.FirstOrDefault(r => r.Members.Contains(l))?.Named.Id ?? "",
            string.Join(" ", (families?.Families ?? []).Where(r => r.Loops.Contains(l)).Select(r => r.Named.Id)), l.Path,
            string.Join("; ", l.Variables),
            string.Join("; ", l.Links.Where(k => k.Through is not null).Select(k => $"{k.From} → {k.To} ({k.Through})")),
        }));

    /// <summary>Each family's composite relative score (the sum of its loops') at the save times, and that of the loops of no family.</summary>
    private static CsvTable NamedScoresTable(LoopAnalysis analysis, LoopFamilies families) => new(
        new[] { "time" }.Concat(families.Families.Select(r => r.Named.Label)).Append("other"),
        Enumerable.Range(0, analysis.Times.Length).Select(k => new CsvCell[] { analysis.Times[k] }.Concat(families.Families.Select(r => (CsvCell)r.CompositeScores[k]))
            .Append(families.OtherScores[k]).ToArray()));

    /// <summary>The families' composite scores stacked (reinforcing up, balancing down), those that ever matter, and the loops of no family.</summary>
    private static LoopScoreChart NamedChart(Target target, CompiledModel compiled, LoopAnalysis analysis, LoopFamilies families)
    {
        var steps = Enumerable.Range(0, analysis.Times.Length).ToArray();
        var times = steps.Select(k => analysis.Times[k]).ToArray();
        var series = families.Families.Where(r => r.Members.Count > 0)
            .Select(r => new Series(r.Named.Label, times, steps.Select(k => r.CompositeScores[k]).ToArray())).ToList();
        if (families.Others.Count > 0) series.Add(new Series("other", times, steps.Select(k => families.OtherScores[k]).ToArray()));
        return new LoopScoreChart($"Loop families: {target.Title}", new Quantity("time", compiled.Specs.TimeUnits), series, Stacked: true);
    }

    /// <summary>Relative loop scores at the model's save times, each for the DT starting then (see <see cref="LoopAnalysis.Times"/>).</summary>
    private static CsvTable ScoresTable(LoopAnalysis analysis) => new(
        new[] { "time" }.Concat(analysis.Loops.Select(l => l.Id)),
        Enumerable.Range(0, analysis.Times.Length).Select(k => new CsvCell[] { analysis.Times[k] }.Concat(analysis.Loops.Select(l => (CsvCell)l.RelativeScores[k])).ToArray()));

    private static CsvTable DominanceTable(LoopAnalysis analysis) => new(
        new[] { "partition", "from", "to", "loops", "share" },
        analysis.Dominance.Select(d => new CsvCell[] { d.Partition, d.From, d.To, string.Join(" ", d.LoopIds), d.Share }));

    private static LoopScoreChart ScoreChart(Target target, CompiledModel compiled, LoopAnalysis analysis)
    {
        var steps = Enumerable.Range(0, analysis.Times.Length).ToArray();
        var times = steps.Select(k => analysis.Times[k]).ToArray();
        var loops = analysis.Loops.Where(l => l.Partition == analysis.Loops[0].Partition).Take(ChartLoops);
        var series = loops.Select(l => new Series(Label(l), times, steps.Select(k => l.RelativeScores[k]).ToArray())).ToList();
        return new LoopScoreChart($"Relative loop scores: {target.Title}", new Quantity("time", compiled.Specs.TimeUnits), series);

        static string Label(FeedbackLoop loop)
        {
            var path = loop.Path.Replace("→(", "→ (").Replace(")→", ") →");
            return loop.Id + ": " + (path.Length <= 48 ? path : path[..46] + "…");
        }
    }

    /// <summary>
    /// The causal loop diagram: with a named-loops file, the strongest instance of each loop it names (R1–R5 and B1–B4 of
    /// the ecosystem model), labelled with those names, as in the tables; without one, the 12 most important loops.
    /// </summary>
    private static CausalLoopDiagram Diagram(Target target, LoopAnalysis analysis, LoopFamilies? families)
    {
        var labelled = (families?.Families ?? []).Where(r => r.Named.Loop is not null && r.Loops.Count > 0)
            .Select(r => (Id: r.Named.Id, Loop: r.Loops.MaxBy(l => l.Share)!)).ToList();
        labelled = labelled.OrderBy(l => l.Id.StartsWith('R') ? 0 : 1).ThenBy(l => l.Id, StringComparer.Ordinal).ToList();
        bool named = labelled.Count > 0;
        if (!named) labelled = analysis.Loops.Take(DiagramLoops).Select(l => (l.Id, Loop: l)).ToList();
        var loops = labelled.Select(l => l.Loop).ToList();
        var stocks = analysis.Partitions.SelectMany(p => p.Stocks).ToHashSet();
        var nodes = loops.SelectMany(l => l.Variables).Distinct().Select(v => new DiagramNode(v, stocks.Contains(v))).ToList();
        var links = loops.SelectMany(l => l.Links).GroupBy(k => (k.From, k.To))
            .Select(g =>
            {
                var polarities = g.Select(k => k.Polarity).Distinct().ToList();
                char sign = polarities.Count > 1 ? '?' : polarities[0] switch { LinkPolarity.Positive => '+', LinkPolarity.Negative => '-', _ => '?' };
                var through = g.Select(k => k.Through).OfType<string>().Distinct().ToList();
                return new DiagramLink(g.Key.From, g.Key.To, sign, g.Any(k => k.IsDelay), through.Count > 0 ? string.Join("/", through) : null);
            }).ToList();
        var title = named
            ? $"{target.Title}: the named loops ({string.Join(", ", labelled.Select(l => l.Id))}), each by its strongest instance"
            : loops.Count < analysis.Loops.Count
                ? $"{target.Title}: the {loops.Count} most important of {analysis.Loops.Count} loops"
                : $"{target.Title}: {loops.Count} loop{(loops.Count == 1 ? "" : "s")}";
        return new CausalLoopDiagram(title, nodes, links, labelled.Select(l => new DiagramLoop(l.Id, l.Loop.Variables)).ToList());
    }
}
