using System.Buffers.Binary;
using LoopSim.Engine.Model;

namespace LoopSim.Experiments.MonteCarlo;

/// <summary>
/// The per-run values of one Monte Carlo (or one shard of it): <see cref="Columns"/> columns of float64, one value
/// per run, in run order. Runs arrive in blocks; within a block of n runs column c occupies [c·n, (c + 1)·n), so a
/// group of adjacent columns is one contiguous read per block.
///
/// In memory (when every value fits the budget) the store is one block of all runs, the array the runner writes
/// into. On disk it is a file of blocks of <see cref="BlockRuns"/> runs, written by a background thread while the
/// next block computes (two block buffers), and read back a group of columns at a time to summarise.
///
/// File layout (little-endian): the header "LSRUNS01", int32 columns, int32 block runs, int64 first run; then the
/// blocks; then the trailer "LSEND001", int64 runs. A file without its trailer, or whose length disagrees with it,
/// is an incomplete write and is refused by <see cref="Open"/>.
/// </summary>
public sealed class RunStore : IDisposable
{
    private static readonly byte[] HeaderMagic = "LSRUNS01"u8.ToArray();
    private static readonly byte[] TrailerMagic = "LSEND001"u8.ToArray();
    private const int HeaderBytes = 24, TrailerBytes = 16;

    private readonly string? _path;
    private readonly bool _temporary;
    private FileStream? _file;
    private double[]? _memory;
    private readonly double[][] _buffers = [];
    private readonly Task[] _writes = [Task.CompletedTask, Task.CompletedTask];
    private int _blocks;
    private bool _completed;

    private RunStore(string? path, bool temporary, int columns, int blockRuns, long firstRun, bool writing)
    {
        _path = path; _temporary = temporary; Columns = columns; BlockRuns = blockRuns; FirstRun = firstRun;
        if (writing && path is not null) _buffers = [new double[(long)columns * blockRuns], new double[(long)columns * blockRuns]];
    }

    /// <summary>Values per run.</summary>
    public int Columns { get; }
    /// <summary>Runs per block (the last block may hold fewer).</summary>
    public int BlockRuns { get; }
    /// <summary>The index of the store's first run in the whole experiment (a shard's offset).</summary>
    public long FirstRun { get; }
    /// <summary>Runs stored so far.</summary>
    public long Runs { get; private set; }
    /// <summary>The file's path, or null in memory.</summary>
    public string? Path => _path;

    /// <summary>
    /// A store of <paramref name="runs"/> runs held in memory: one block. Not zeroed first: the runs write every value
    /// (zeroing was 2 % of the main command's CPU).
    /// </summary>
    public static RunStore InMemory(int columns, int runs, long firstRun = 0)
    {
        int length = checked(columns * runs);
        var memory = Interlocked.Exchange(ref s_spare, null);
        if (memory is null || memory.Length < length)
        {
            memory = GC.AllocateUninitializedArray<double>(length);
            HugePages.Advise(memory);
        }
        return new(null, false, columns, Math.Max(runs, 1), firstRun, writing: true) { _memory = memory };
    }

    /// <summary>
    /// The memory of the last in-memory store disposed, for the next one: a command runs its cities (a sweep its points)
    /// one after another, and memory the process already has costs neither page faults nor the kernel's zeroing of fresh
    /// pages (a quarter of a second of the main command). One store at most, which the memory budget bounds.
    /// </summary>
    private static double[]? s_spare;

    /// <summary>
    /// A store written to <paramref name="path"/> in blocks of <paramref name="blockRuns"/> runs; a
    /// <paramref name="temporary"/> one deletes its file when disposed.
    /// </summary>
    public static RunStore Create(string path, int columns, int blockRuns, long firstRun = 0, bool temporary = false)
    {
        var store = new RunStore(path, temporary, columns, blockRuns, firstRun, writing: true);
        store._file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        var header = new byte[HeaderBytes];
        HeaderMagic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), columns);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), blockRuns);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), firstRun);
        store._file.Write(header);
        return store;
    }

    /// <summary>Opens a completed store file for reading; a truncated or foreign file is a <see cref="ModelException"/> naming it.</summary>
    public static RunStore Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        try
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            Span<byte> trailer = stackalloc byte[TrailerBytes];
            if (file.Length < HeaderBytes + TrailerBytes || RandomAccess.Read(file.SafeFileHandle, header, 0) != HeaderBytes || !header[..8].SequenceEqual(HeaderMagic))
                throw Incomplete(path, "it is not a LoopSim run store");
            int columns = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            int blockRuns = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
            long firstRun = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
            RandomAccess.Read(file.SafeFileHandle, trailer, file.Length - TrailerBytes);
            long runs = BinaryPrimitives.ReadInt64LittleEndian(trailer[8..]);
            if (!trailer[..8].SequenceEqual(TrailerMagic) || columns < 1 || blockRuns < 1 || runs < 0
                || HeaderBytes + runs * columns * sizeof(double) + TrailerBytes != file.Length)
                throw Incomplete(path, "it was not written completely (no end marker, or its length disagrees with it)");
            return new RunStore(path, false, columns, blockRuns, firstRun, writing: false) { Runs = runs, _file = file, _completed = true };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static ModelException Incomplete(string path, string why) =>
        new(DiagnosticCodes.ShardDamaged, $"run store '{path}' cannot be read: {why}.", hint: "Run the shard again; a shard folder is usable only as its run wrote it.");

    /// <summary>
    /// The buffer to fill with the next block of <paramref name="runs"/> runs (column c at [c·runs, (c + 1)·runs)).
    /// On disk it waits until the write of the block before last, which used the same buffer, is done.
    /// </summary>
    public Memory<double> NextBlock(int runs)
    {
        if (_memory is not null) return _memory.AsMemory(0, Columns * runs);
        int slot = _blocks & 1;
        _writes[slot].GetAwaiter().GetResult();
        return _buffers[slot].AsMemory(0, Columns * runs);
    }

    /// <summary>Stores the block just filled in <see cref="NextBlock"/>: on disk, starts writing it in the background.</summary>
    public void CommitBlock(int runs)
    {
        if (_memory is not null)
        {
            Runs = runs;
            return;
        }
        int slot = _blocks++ & 1;
        long offset = HeaderBytes + Runs * Columns * sizeof(double);
        var buffer = _buffers[slot];
        int length = Columns * runs;
        var handle = _file!.SafeFileHandle;
        _writes[slot] = Task.Run(() => RandomAccess.Write(handle, System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan(0, length)), offset));
        Runs += runs;
    }

    /// <summary>Waits for the writes and ends the file with its trailer; the store can then be read.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        if (_file is null) return;
        Task.WaitAll(_writes);
        Span<byte> trailer = stackalloc byte[TrailerBytes];
        TrailerMagic.CopyTo(trailer);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[8..], Runs);
        RandomAccess.Write(_file.SafeFileHandle, trailer, HeaderBytes + Runs * Columns * sizeof(double));
        _file.Flush();
        for (int i = 0; i < _buffers.Length; i++) _buffers[i] = [];
    }

    /// <summary>Column <paramref name="column"/> of every run, without copying: only for a store in memory.</summary>
    public ReadOnlySpan<double> MemoryColumn(int column) =>
        _memory is null ? throw new InvalidOperationException("Only a store in memory hands out its columns.") : _memory.AsSpan((int)((long)column * Runs), (int)Runs);

    /// <summary>
    /// Copies columns [<paramref name="first"/>, first + count) of every run into <paramref name="target"/>: column
    /// first + i of run r goes to target[i · stride + offset + r].
    /// </summary>
    public void ReadColumns(int first, int count, Span<double> target, long stride, long offset)
    {
        if (!_completed) throw new InvalidOperationException("Complete the store before reading it.");
        if (_memory is not null)
        {
            for (int i = 0; i < count; i++) MemoryColumn(first + i).CopyTo(target.Slice((int)(i * stride + offset)));
            return;
        }
        var scratch = new double[(long)count * BlockRuns];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(scratch.AsSpan());
        long done = 0;
        while (done < Runs)
        {
            int n = (int)Math.Min(BlockRuns, Runs - done);
            long position = HeaderBytes + (done * Columns + (long)first * n) * sizeof(double);
            var part = bytes[..(count * n * sizeof(double))];
            for (int read = 0; read < part.Length;)
            {
                int got = RandomAccess.Read(_file!.SafeFileHandle, part[read..], position + read);
                if (got == 0) throw Incomplete(_path ?? "", "it ends early");
                read += got;
            }
            for (int i = 0; i < count; i++)
                scratch.AsSpan(i * n, n).CopyTo(target.Slice((int)(i * stride + offset + done), n));
            done += n;
        }
    }

    public void Dispose()
    {
        Task.WaitAll(_writes.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)).ToArray());
        _file?.Dispose();
        _file = null;
        if (_memory is not null) Volatile.Write(ref s_spare, _memory);
        _memory = null;
        if (_temporary && _path is not null)
        {
            try { File.Delete(_path); }
            catch (IOException) { }
        }
    }
}
