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
/// "||" on delayed links, and each loop's id in a circle pulled to the middle of its variables by invisible springs.
/// </summary>
public sealed record CausalLoopDiagram(string Title, IReadOnlyList<DiagramNode> Nodes, IReadOnlyList<DiagramLink> Links, IReadOnlyList<DiagramLoop> Loops)
{
    public string ToDot()
    {
        var dot = new StringBuilder();
        dot.Append("digraph \"causal loop diagram\" {\n");
        dot.Append($"  graph [layout=neato, mode=KK, model=shortpath, overlap=false, splines=curved, pack=true, sep=\"+12\", fontname=\"DejaVu Sans\", fontsize=22, labelloc=t, label={Quote(Title)}];\n");
        dot.Append("  node [fontname=\"DejaVu Sans\", fontsize=16, shape=plaintext];\n");
        dot.Append("  edge [fontname=\"DejaVu Sans\", fontsize=16, arrowsize=0.8, len=1.6];\n");
        var ids = new Dictionary<string, string>();
        foreach (var node in Nodes)
        {
            ids[node.Name] = "n" + ids.Count.ToString(CultureInfo.InvariantCulture);
            dot.Append($"  {ids[node.Name]} [label={Quote(node.Name)}{(node.IsStock ? ", shape=box, style=rounded" : "")}];\n");
        }
        foreach (var link in Links)
        {
            var sign = link.Polarity == '-' ? "−" : link.Polarity.ToString();
            var color = link.Polarity switch { '+' => "#1F3A5F", '-' => "#C0392B", _ => "#888888" };
            var delay = link.IsDelay ? $", label={Quote("||" + (link.Through is null ? "" : " " + link.Through))}, fontsize=13" : "";
            dot.Append($"  {Id(link.From)} -> {Id(link.To)} [headlabel={Quote(sign)}, labeldistance=1.6, labelangle=35, color=\"{color}\", fontcolor=\"{color}\"{delay}];\n");
        }
        foreach (var loop in Loops)
        {
            var label = "loop_" + ids.Count.ToString(CultureInfo.InvariantCulture);
            ids[label] = label;
            var color = loop.Id.StartsWith('R') ? "#2E7D32" : loop.Id.StartsWith('B') ? "#C0392B" : "#666666";
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
