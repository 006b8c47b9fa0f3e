namespace LoopSim.Reports;

/// <summary>
/// The output folder of one command, written all or nothing: every file goes to a hidden staging folder
/// beside the target (same file system, so moves are renames) and is moved into the target only by
/// <see cref="Commit"/>, once every file is complete. Disposing without committing (an error, Ctrl-C)
/// deletes the staging folder: the target is left as it was, and is not even created.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private readonly string _staging;
    private readonly List<string> _files = [];
    private bool _done;

    public OutputFolder(string target)
    {
        Target = Path.GetFullPath(target);
        if (File.Exists(Target))
            throw new ModelException(DiagnosticCodes.OutputUnusable, $"--output '{target}' is a file; it must name a folder.", hint: "Give a folder, e.g. --output out/alliance.");
        // The nearest folder that exists already: staging there keeps the target's parents uncreated until commit.
        var existing = Path.GetDirectoryName(Target);
        while (existing is not null && !Directory.Exists(existing)) existing = Path.GetDirectoryName(existing);
        _staging = Path.Combine(existing ?? Path.GetTempPath(), $".loopsim-{Path.GetFileName(Target)}-{Guid.NewGuid():N}.partial");
    }

    /// <summary>The folder the files end up in.</summary>
    public string Target { get; }

    /// <summary>Where to write the file that will become <c>Target/relativePath</c>.</summary>
    public string PathFor(string relativePath)
    {
        var staged = Path.Combine(_staging, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        lock (_files) _files.Add(relativePath);
        return staged;
    }

    /// <summary>Moves every written file into the target, replacing older files of the same name.</summary>
    public void Commit(CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        foreach (var relative in _files)
        {
            var destination = Path.Combine(Target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(Path.Combine(_staging, relative), destination, overwrite: true);
        }
        _done = true;
        Delete();
    }

    public void Dispose()
    {
        if (!_done) Delete();
        _done = true;
    }

    private void Delete()
    {
        try
        {
            if (Directory.Exists(_staging)) Directory.Delete(_staging, recursive: true);
        }
        catch (IOException) { }                 // a leftover staging folder is hidden and harmless; the error that got us here matters more
        catch (UnauthorizedAccessException) { }
    }
}
