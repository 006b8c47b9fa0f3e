using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.Intrinsics;

namespace LoopSim.Reports;

/// <summary>
/// Encodes opaque RGBA pixels as an 8-bit RGB PNG (no alpha channel: smaller), every row Up-filtered, deflated by .NET's
/// zlib-ng at level 2. On LoopSim's 1600×900 charts Skia's encoder (libpng with its own zlib, Up filter, level 3) took
/// 12–13 ms a chart; this takes about 5 ms and its files are 8–12 % smaller. zlib-ng's level 1 deflates in 1 ms less
/// but its files are a third larger than level 2's; no filter or Sub instead of Up saves no time, and the files of
/// stacked areas grow by a tenth.
/// </summary>
internal static class PngEncoder
{
    private const int CompressionLevel = 2;
    private const byte UpFilter = 2;
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Writes to <paramref name="png"/> the PNG of <paramref name="height"/> rows of <paramref name="width"/> RGBA pixels,
    /// <paramref name="rowBytes"/> apart; alpha is dropped. The deflated rows go out in IDAT chunks of up to
    /// <see cref="ChunkSize"/> bytes as they come, so a chart's PNG is never held whole in memory (held, it took three
    /// large-object-heap arrays a chart: fresh memory to zero and gen-2 collections).
    /// </summary>
    public static void Encode(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes, Stream png)
    {
        if (width <= 0 || height <= 0 || rowBytes < width * 4 || rgba.Length < (long)rowBytes * (height - 1) + width * 4)
            throw new ArgumentException($"{rgba.Length} bytes are not {height} rows of {width} RGBA pixels {rowBytes} bytes apart.");

        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;   // bits per channel
        header[9] = 2;   // colour type: RGB
        header[10] = header[11] = header[12] = 0;   // deflate, adaptive filtering, no interlace
        WriteChunk(png, "IHDR"u8, header);

        // A filtered row: the filter byte, then RGB; 4 bytes to spare, as the vector loop stores 16 bytes for every 12 it fills.
        byte[] line = ArrayPool<byte>.Shared.Rent(1 + width * 3 + 4);
        using var chunks = new IdatChunks(png);
        try
        {
            using (var zlib = new ZLibStream(chunks, new ZLibCompressionOptions { CompressionLevel = CompressionLevel }, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    ReadOnlySpan<byte> row = rgba.Slice(y * rowBytes, width * 4);
                    ReadOnlySpan<byte> above = y == 0 ? default : rgba.Slice((y - 1) * rowBytes, width * 4);
                    line[0] = UpFilter;
                    FilterUp(row, above, line.AsSpan(1, width * 3 + 4));
                    zlib.Write(line, 0, 1 + width * 3);
                }
            }
            chunks.Flush();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(line);
        }
        WriteChunk(png, "IEND"u8, []);
    }

    /// <summary>The largest IDAT chunk written: big enough that the 12 bytes of a chunk's frame do not matter.</summary>
    public const int ChunkSize = 1 << 16;

    /// <summary>
    /// The RGB bytes of <paramref name="row"/> minus those of <paramref name="above"/> (the Up filter; the row above the
    /// first is zeros), into <paramref name="output"/>, which has 4 bytes to spare at the end.
    /// </summary>
    internal static void FilterUp(ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, Span<byte> output)
    {
        int pixels = row.Length / 4, x = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // Four pixels at a time: subtract bytewise (the channels do not carry into each other), then drop the alphas.
            Vector128<byte> dropAlpha = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0xFF, 0xFF, 0xFF, 0xFF);
            for (; x + 4 <= pixels; x += 4)
            {
                Vector128<byte> pixel = Vector128.Create(row.Slice(x * 4, 16));
                if (!above.IsEmpty)
                    pixel -= Vector128.Create(above.Slice(x * 4, 16));
                Vector128.Shuffle(pixel, dropAlpha).CopyTo(output.Slice(x * 3, 16));
            }
        }
        for (; x < pixels; x++)
        {
            for (int c = 0; c < 3; c++)
                output[x * 3 + c] = (byte)(row[x * 4 + c] - (above.IsEmpty ? 0 : above[x * 4 + c]));
        }
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(type);
        png.Write(data);
        var crc = new Crc32();   // of the chunk's type and data (PNG's CRC-32, ISO 3309)
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        png.Write(word);
    }

    /// <summary>A write-only stream that puts what is written to it into IDAT chunks of up to <see cref="ChunkSize"/> bytes.</summary>
    private sealed class IdatChunks(Stream png) : Stream
    {
        private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        private int _count;

        public override void Write(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                int taken = Math.Min(data.Length, ChunkSize - _count);
                data[..taken].CopyTo(_buffer.AsSpan(_count));
                _count += taken;
                data = data[taken..];
                if (_count == ChunkSize) Flush();
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        /// <summary>Writes what is held as a chunk (none when nothing is).</summary>
        public override void Flush()
        {
            if (_count == 0) return;
            WriteChunk(png, "IDAT"u8, _buffer.AsSpan(0, _count));
            _count = 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            base.Dispose(disposing);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
