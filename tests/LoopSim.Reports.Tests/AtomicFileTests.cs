namespace LoopSim.Reports.Tests;

public class AtomicFileTests
{
    [Fact]
    public void Writes_the_content_and_replaces_an_existing_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("out.txt");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllBytes(path, "new content"u8.ToArray());

        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Equal(["out.txt"], folder.Entries());
    }

    [Fact]
    public void Creates_the_folder_when_missing()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "a", "b", "out.txt");

        AtomicFile.WriteAllBytes(path, [1, 2, 3]);

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }

    [Fact]
    public void A_write_that_throws_midway_leaves_the_old_file_and_no_temporary_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("out.csv");
        File.WriteAllText(path, "old");

        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[200_000]);  // more than the buffer, so bytes reach the temporary file
            stream.Flush();
            Assert.Equal(2, Directory.GetFiles(folder.Path).Length);  // the temporary file exists while writing
            throw new InvalidOperationException("disk on fire");
        }));

        Assert.Equal("disk on fire", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["out.csv"], folder.Entries());
    }

    [Fact]
    public void A_failed_first_write_leaves_nothing()
    {
        using var folder = new TempFolder();

        Assert.Throws<IOException>(() => AtomicFile.Write(folder.File("out.csv"), stream =>
        {
            stream.Write(new byte[100]);
            throw new IOException("boom");
        }));

        Assert.Empty(folder.Entries());
    }

    [Fact]
    public void Cancellation_during_the_write_leaves_nothing()
    {
        using var folder = new TempFolder();
        using var cancellation = new CancellationTokenSource();

        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(folder.File("out.png"), stream =>
        {
            stream.Write(new byte[1000]);
            cancellation.Cancel();  // Ctrl-C arrives after the content is written but before the file is in place
        }, cancellation.Token));

        Assert.Empty(folder.Entries());
    }

    [Fact]
    public void An_already_cancelled_token_writes_nothing()
    {
        using var folder = new TempFolder();
        bool called = false;

        Assert.Throws<OperationCanceledException>(() =>
            AtomicFile.Write(folder.File("out.png"), _ => called = true, new CancellationToken(canceled: true)));

        Assert.False(called);
        Assert.Empty(folder.Entries());
    }
}
