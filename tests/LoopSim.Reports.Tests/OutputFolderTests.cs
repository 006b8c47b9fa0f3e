namespace LoopSim.Reports.Tests;

/// <summary>An output folder is written all or nothing, replaced as a whole, and checked before any work.</summary>
public sealed class OutputFolderTests
{
    private static void Write(OutputFolder folder, string file, string text) => File.WriteAllText(folder.PathFor(file), text);

    private static string[] Tree(string folder) => Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
        .Select(p => Path.GetRelativePath(folder, p)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Nothing_appears_until_commit_and_nothing_stays_without_it()
    {
        using var temp = new TempFolder();
        using (var folder = new OutputFolder(temp.File("out/a")))
        {
            Write(folder, "x.csv", "1");
            Assert.DoesNotContain("out", temp.Entries());   // not even the parent is created before the commit
        }
        Assert.Empty(temp.Entries());                        // disposed without commit: the staging folder is gone too
    }

    [Fact]
    public void A_rerun_replaces_the_folder_as_a_whole()
    {
        using var temp = new TempFolder();
        using (var first = new OutputFolder(temp.File("out")))
        {
            Write(first, "runs.csv", "monte carlo");
            Write(first, "summary.csv", "old");
            first.Commit(default);
        }
        using (var second = new OutputFolder(temp.File("out")))
        {
            Write(second, "summary.csv", "new");
            Write(second, "charts/a.png", "png");
            second.Commit(default);
        }
        Assert.Equal([".loopsim", "charts", "charts/a.png", "summary.csv"], Tree(temp.File("out")));  // no runs.csv of the first run
        Assert.Equal("new", File.ReadAllText(temp.File("out/summary.csv")));
        Assert.Equal(["out"], temp.Entries());                                                       // no staging or old folder left
    }

    [Fact]
    public void A_folder_LoopSim_did_not_write_is_refused_before_any_work()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("mine"));
        File.WriteAllText(temp.File("mine/notes.txt"), "my own file");
        var e = Assert.Throws<ModelException>(() => new OutputFolder(temp.File("mine"), "--output 'mine'"));
        Assert.Equal("LS5005", e.Diagnostics[0].Code.Id);
        Assert.StartsWith("--output 'mine' is a folder that LoopSim did not write", e.Diagnostics[0].Message);
        Assert.Equal("my own file", File.ReadAllText(temp.File("mine/notes.txt")));

        Directory.CreateDirectory(temp.File("empty"));
        using var empty = new OutputFolder(temp.File("empty"));                                    // an empty folder is fine
    }

    [Fact]
    public void Unusable_targets_are_named_as_the_user_gave_them()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("file"), "");
        var isFile = Assert.Throws<ModelException>(() => new OutputFolder(temp.File("file"), "--output 'file'")).Diagnostics[0];
        Assert.Equal("--output 'file' is a file; it must name a folder.", isFile.Message);
        var under = Assert.Throws<ModelException>(() => new OutputFolder(temp.File("file/sub/out"), "--output 'file/sub/out'")).Diagnostics[0];
        Assert.Equal($"--output 'file/sub/out' cannot be created: '{temp.File("file")}' is a file.", under.Message);
        Assert.DoesNotContain(".partial", under.ToString());
    }

    [Fact]
    public void Leftovers_of_a_killed_run_are_removed_by_the_next_one()
    {
        using var temp = new TempFolder();
        // A process id that cannot be running: ids are positive and well below int.MaxValue.
        var leftover = temp.File($".loopsim-out-{int.MaxValue}-0123456789abcdef0123456789abcdef.partial");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, "runs.csv"), "370 MB of it");
        var mine = temp.File($".loopsim-other-{Environment.ProcessId}-0123456789abcdef0123456789abcdef.partial");  // a live run's staging
        Directory.CreateDirectory(mine);
        using (var folder = new OutputFolder(temp.File("out")))
        {
            Assert.False(Directory.Exists(leftover));
            Assert.True(Directory.Exists(mine));
        }
    }
}
