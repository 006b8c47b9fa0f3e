using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LoopSim.Reports;

/// <summary>A variable on a causal loop diagram; stocks are drawn as boxes.</summary>
public sealed record DiagramNode(string Name, bool IsStock);

/// <summary>A causal link: polarity '+', '-' or '?', and the delay mark "||" when it passes through a delay (its builtin named).</summary>
public sealed record DiagramLink(string From, string To, char Polarity, bool IsDelay, string? Through = null);

/// <summary>A loop to label: its id (R1, B2…) is placed among its variables.</summary>
public sealed record DiagramLoop(string Id, IReadOnlyList<string> Variables);

/// <summary>
/// A causal loop diagram as Graphviz DOT, laid out by neato the way the LTM authors recommend for CLDs
/// (Kamada–Kawai, shortest-path spring lengths, curved edges): stocks boxed, polarity at each arrowhead,
/// "||" on delayed links, and each loop's id in a circle: pulled to the middle of its variables by invisible springs,
/// or, once laid out (<see cref="Pin"/>), pinned inside its loop with every variable where the layout put it.
/// </summary>
public sealed record CausalLoopDiagram(string Title, IReadOnlyList<DiagramNode> Nodes, IReadOnlyList<DiagramLink> Links, IReadOnlyList<DiagramLoop> Loops)
{
    /// <summary>Positions in inches, when pinned: each variable's, then each loop label's (in <see cref="Loops"/> order).</summary>
    public IReadOnlyDictionary<string, (double X, double Y)>? NodePositions { get; init; }
    public IReadOnlyList<(double X, double Y)>? LabelPositions { get; init; }

    /// <summary>
    /// This diagram with every variable at the position a first layout gave it (<see cref="Graphviz.Layout"/>, keyed by
    /// DOT node id) and each loop's label at the middle of its variables, pushed just clear of the variables and of the
    /// other labels, so that it sits inside its loop.
    /// </summary>
    public CausalLoopDiagram Pin(IReadOnlyDictionary<string, (double X, double Y)> layout)
    {
        var nodes = new Dictionary<string, (double X, double Y)>();
        for (int i = 0; i < Nodes.Count; i++)
            if (layout.TryGetValue(NodeId(i), out var at)) nodes[Nodes[i].Name] = at;
        if (nodes.Count < Nodes.Count) return this;
        var labels = Loops.Select(loop =>
        {
            var points = loop.Variables.Distinct().Select(v => nodes[v]).ToList();
            return (X: points.Average(p => p.X), Y: points.Average(p => p.Y));
        }).ToArray();
        // Push labels off variables (0.6 inch) and off each other (0.8 inch: a label's circle is about 0.75 inch across, so
        // two closer ones overlap), a little at a time, never far from the middle.
        var middles = labels.ToArray();
        for (int round = 0; round < 60; round++)
            for (int i = 0; i < labels.Length; i++)
            {
                var (x, y) = labels[i];
                var obstacles = nodes.Values.Select(p => (p, 0.6)).Concat(labels.Where((_, j) => j != i).Select(p => (p, 0.8)));
                foreach (var ((ox, oy), clearance) in obstacles)
                {
                    double dx = x - ox, dy = y - oy, d = Math.Sqrt(dx * dx + dy * dy);
                    if (d >= clearance) continue;
                    if (d < 1e-6) (dx, dy, d) = (0.01 * (i + 1), 0.01, 0.01 * Math.Sqrt((i + 1) * (i + 1) + 1));
                    double push = (clearance - d) / 2;
                    x += dx / d * push;
                    y += dy / d * push;
                }
                double radius = Math.Max(0.5, Loops[i].Variables.Distinct().Average(v => Distance(nodes[v], middles[i])) * 0.5);
                double away = Distance((x, y), middles[i]);
                if (away > radius) (x, y) = (middles[i].X + (x - middles[i].X) * radius / away, middles[i].Y + (y - middles[i].Y) * radius / away);
                labels[i] = (x, y);
            }
        return this with { NodePositions = nodes, LabelPositions = labels };
    }

    private static double Distance((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    /// <summary>The DOT id of the i-th variable (labels are loop_0, loop_1, …).</summary>
    public static string NodeId(int index) => "n" + index.ToString(CultureInfo.InvariantCulture);

    public string ToDot()
    {
        var dot = new StringBuilder();
        dot.Append("digraph \"causal loop diagram\" {\n");
        // Pinned, the layout is done: packing components would move them off their pins.
        var layout = NodePositions is null ? "mode=KK, model=shortpath, overlap=false, pack=true" : "overlap=true";
        dot.Append($"  graph [layout=neato, {layout}, splines=curved, sep=\"+12\", fontname=\"DejaVu Sans\", fontsize=22, labelloc=t, label={Quote(Title)}];\n");
        dot.Append("  node [fontname=\"DejaVu Sans\", fontsize=16, shape=plaintext];\n");
        dot.Append("  edge [fontname=\"DejaVu Sans\", fontsize=16, arrowsize=0.8, len=1.6];\n");
        var ids = new Dictionary<string, string>();
        foreach (var node in Nodes)
        {
            ids[node.Name] = NodeId(ids.Count);
            var pin = NodePositions is { } at ? $", pos=\"{Inches(at[node.Name].X)},{Inches(at[node.Name].Y)}!\"" : "";
            dot.Append($"  {ids[node.Name]} [label={Quote(node.Name)}{(node.IsStock ? ", shape=box, style=rounded" : "")}{pin}];\n");
        }
        foreach (var link in Links)
        {
            var sign = link.Polarity == '-' ? "−" : link.Polarity.ToString();
            var color = link.Polarity switch { '+' => "#1F3A5F", '-' => "#C0392B", _ => "#888888" };
            var delay = link.IsDelay ? $", label={Quote("||" + (link.Through is null ? "" : " " + link.Through))}, fontsize=13" : "";
            dot.Append($"  {Id(link.From)} -> {Id(link.To)} [headlabel={Quote(sign)}, labeldistance=1.6, labelangle=35, color=\"{color}\", fontcolor=\"{color}\"{delay}];\n");
        }
        for (int i = 0; i < Loops.Count; i++)
        {
            var loop = Loops[i];
            var label = "loop_" + i.ToString(CultureInfo.InvariantCulture);
            var color = loop.Id.StartsWith('R') ? "#2E7D32" : loop.Id.StartsWith('B') ? "#C0392B" : "#666666";
            if (LabelPositions is { } labels)
            {
                // Pinned inside its loop: no springs needed.
                dot.Append($"  {label} [label={Quote(loop.Id)}, shape=circle, fontsize=16, color=\"{color}\", fontcolor=\"{color}\", pos=\"{Inches(labels[i].X)},{Inches(labels[i].Y)}!\"];\n");
                continue;
            }
            dot.Append($"  {label} [label={Quote(loop.Id)}, shape=circle, fontsize=16, color=\"{color}\", fontcolor=\"{color}\"];\n");
            foreach (var v in loop.Variables.Distinct())
                dot.Append($"  {label} -> {Id(v)} [style=invis, len=0.8];\n");
        }
        dot.Append("}\n");
        return dot.ToString();

        string Id(string name) => ids.TryGetValue(name, out var id) ? id
            : throw new ArgumentException($"'{name}' is linked but not a node of the diagram");
    }

    /// <summary>Writes the DOT file completely or not at all.</summary>
    public void Save(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, stream =>
        {
            var bytes = new UTF8Encoding(false).GetBytes(ToDot());
            stream.Write(bytes);
        }, cancellationToken);

    private static string Inches(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", " ") + "\"";
}

/// <summary>Graphviz's <c>dot</c> program, when installed (Debian: apt-get install graphviz).</summary>
public static class Graphviz
{
    /// <summary>The path of <c>dot</c> on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, OperatingSystem.IsWindows() ? "dot.exe" : "dot");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// Lays out DOT text with <paramref name="dot"/> (the graph's own layout engine) and returns each node's position in
    /// inches, by DOT id; throws with Graphviz's message when it fails.
    /// </summary>
    public static IReadOnlyDictionary<string, (double X, double Y)> Layout(string dot, string dotText, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(dot) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("-Tplain");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dot}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(dotText);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Graphviz took longer than {(timeout ?? TimeSpan.FromMinutes(1)).TotalSeconds:F0} s to lay out the diagram");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"Graphviz failed to lay out the diagram: {errors.Result.Trim()}");
        var positions = new Dictionary<string, (double, double)>();
        // -Tplain: "node NAME X Y WIDTH HEIGHT LABEL ..." in inches.
        foreach (var line in output.Result.Split('\n'))
        {
            var parts = line.Split(' ', 5);
            if (parts.Length >= 4 && parts[0] == "node"
                && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                && double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                positions[parts[1].Trim('"')] = (x, y);
        }
        return positions;
    }

    /// <summary>Renders a DOT file to PNG with <paramref name="dot"/>, completely or not at all; throws with Graphviz's message when it fails.</summary>
    public static void RenderPng(string dot, string dotFile, string pngFile, TimeSpan? timeout = null)
    {
        var target = Path.GetFullPath(pngFile);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var start = new ProcessStartInfo(dot) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-Tpng", "-Gdpi=110", "-o", temporary, dotFile }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dot}");
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Graphviz took longer than {(timeout ?? TimeSpan.FromMinutes(1)).TotalSeconds:F0} s to lay out {dotFile}");
            }
            if (process.ExitCode != 0 || !File.Exists(temporary))
                throw new InvalidOperationException($"Graphviz failed on {dotFile}: {errors.Result.Trim()}");
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
