using System.Diagnostics;

namespace LoopSim.Reports;

/// <summary>
/// The output folder of one command, written all or nothing and replaced as a whole. Every file goes to a hidden
/// staging folder beside the target (same file system, so moves are renames); <see cref="Commit"/>, once every file
/// is complete, swaps the staging folder in for the target, so no file of an earlier run survives beside the new
/// ones. Disposing without committing (an error, Ctrl-C) deletes the staging folder: the target is left as it was,
/// and is not even created.
/// <para>
/// Everything that can make the folder unusable is checked when it is created, before the work starts. A folder
/// LoopSim wrote holds a <see cref="Marker"/> file; an existing folder without it (and not empty) is refused rather
/// than replaced, since it may hold the user's own files. Staging folders left by a killed run are removed by the
/// next one.
/// </para>
/// </summary>
public sealed class OutputFolder : IDisposable
{
    /// <summary>The file that marks a folder as LoopSim's output, which a rerun may replace.</summary>
    public const string Marker = ".loopsim";

    private const string MarkerText = "This folder was written by LoopSim; the next run into it replaces it as a whole.\n";
    private const string Prefix = ".loopsim-";

    private readonly string _staging;
    private readonly string _describedAs;
    private bool _done;

    /// <param name="target">The folder to write.</param>
    /// <param name="describedAs">How messages name it, as the user gave it: "--output 'out/alliance'".</param>
    public OutputFolder(string target, string? describedAs = null)
    {
        Target = Path.GetFullPath(target);
        _describedAs = describedAs ?? $"the output folder '{target}'";
        if (File.Exists(Target))
            throw Unusable("is a file; it must name a folder.", "Give a folder, e.g. --output out/alliance.");
        if (Directory.Exists(Target) && !IsReplaceable(Target))
            throw Unusable($"is a folder that LoopSim did not write (it has no {Marker} file), so replacing it could delete other files.",
                "Name a new folder, or empty this one.");
        if (Path.GetRelativePath(Target, Environment.CurrentDirectory) is var inside && !inside.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(inside))
            throw Unusable("holds the current folder, which a rerun would replace.", "Name a folder below the current one, e.g. --output out/alliance.");

        // The nearest folder that exists already: staging there keeps the target's parents uncreated until commit.
        var existing = Path.GetDirectoryName(Target);
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
                throw Unusable($"cannot be created: '{existing}' is a file.", "Give a path whose folders are folders.");
            existing = Path.GetDirectoryName(existing);
        }
        existing ??= Path.GetTempPath();
        RemoveLeftovers(existing);
        _staging = Path.Combine(existing, $"{Prefix}{Path.GetFileName(Target)}-{Environment.ProcessId}-{Guid.NewGuid():N}.partial");
        try
        {
            Directory.CreateDirectory(_staging);
            File.WriteAllText(Path.Combine(_staging, Marker), MarkerText);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Delete(_staging);
            throw Unusable($"cannot be written: {(e is UnauthorizedAccessException ? $"no permission to create files in '{existing}'" : e.Message.Replace(_staging, Target, StringComparison.Ordinal))}.",
                "Choose a folder you can write to.");
        }
    }

    /// <summary>The folder the files end up in.</summary>
    public string Target { get; }

    /// <summary>Where to write the file that will become <c>Target/relativePath</c>.</summary>
    public string PathFor(string relativePath)
    {
        var staged = Path.Combine(_staging, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        return staged;
    }

    /// <summary>A folder inside the staging folder for files that are not outputs (spilled run values): deleted with it, never moved into the target.</summary>
    public string Scratch()
    {
        var scratch = Path.Combine(_staging, ".scratch");
        Directory.CreateDirectory(scratch);
        return scratch;
    }

    /// <summary>Puts the written files in place of the target as a whole: an earlier run's files are gone.</summary>
    public void Commit(CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var scratch = Path.Combine(_staging, ".scratch");
        if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        string? old = null;
        if (Directory.Exists(Target))
        {
            old = Path.Combine(Path.GetDirectoryName(Target)!, $"{Prefix}{Path.GetFileName(Target)}-{Environment.ProcessId}-{Guid.NewGuid():N}.old");
            Directory.Move(Target, old);
        }
        else
            Directory.CreateDirectory(Path.GetDirectoryName(Target)!);
        Directory.Move(_staging, Target);
        _done = true;
        if (old is not null) Delete(old);
    }

    public void Dispose()
    {
        if (!_done) Delete(_staging);
        _done = true;
    }

    /// <summary>A folder LoopSim may replace: one it wrote, or an empty one.</summary>
    private static bool IsReplaceable(string folder) =>
        File.Exists(Path.Combine(folder, Marker)) || !Directory.EnumerateFileSystemEntries(folder).Any();

    /// <summary>Staging folders (and swapped-out old outputs) of runs whose process is gone: killed before they could clean up.</summary>
    private static void RemoveLeftovers(string folder)
    {
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateDirectories(folder, Prefix + "*").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var path in candidates)
        {
            // .loopsim-NAME-PID-GUID.partial|.old: NAME may hold dashes, PID and GUID do not.
            var parts = Path.GetFileNameWithoutExtension(path).Split('-');
            if (parts.Length >= 4 && int.TryParse(parts[^2], out var pid) && !IsRunning(pid))
                Delete(path);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }          // no such process
        catch (InvalidOperationException) { return false; }
    }

    private ModelException Unusable(string problem, string hint) =>
        new(DiagnosticCodes.OutputUnusable, $"{_describedAs} {problem}", hint: hint);

    private static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { }                 // a leftover is hidden, and the next run removes it; the error that got us here matters more
        catch (UnauthorizedAccessException) { }
    }
}
