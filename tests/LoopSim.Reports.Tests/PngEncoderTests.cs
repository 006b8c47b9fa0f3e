using System.IO.Compression;
using System.IO.Hashing;
using SkiaSharp;

namespace LoopSim.Reports.Tests;

public class PngEncoderTests
{
    [Theory]
    [InlineData(1, 1, 4)]       // a single pixel
    [InlineData(7, 5, 28)]      // a width that is not a multiple of the four pixels the vector loop takes
    [InlineData(37, 11, 160)]   // rows with padding after the pixels
    [InlineData(1600, 3, 6400)]
    [InlineData(300, 200, 1200)]  // random pixels deflate to more than one IDAT chunk
    public void Libpng_decodes_the_pixels_it_was_given(int width, int height, int rowBytes)
    {
        var random = new Random(width * 1000 + height);
        byte[] rgba = new byte[rowBytes * height];
        random.NextBytes(rgba);
        // Rows that repeat the one above, as most of a chart's rows do, so the Up filter leaves zeros.
        if (height > 2)
            rgba.AsSpan(0, rowBytes).CopyTo(rgba.AsSpan(rowBytes));

        byte[] png = Encode(rgba, width, height, rowBytes);

        using SKBitmap decoded = SKBitmap.Decode(png) ?? throw new InvalidDataException("libpng could not decode the PNG");
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = y * rowBytes + x * 4;
                Assert.Equal(new SKColor(rgba[i], rgba[i + 1], rgba[i + 2]), decoded.GetPixel(x, y));
            }
    }

    [Fact]
    public void Chunks_carry_their_crc_and_the_image_data_is_rgb_rows_each_with_the_up_filter()
    {
        byte[] rgba = new byte[3 * 2 * 4];
        new Random(7).NextBytes(rgba);
        var (types, idat) = Chunks(Encode(rgba, 3, 2, 12));
        Assert.Equal(["IHDR", "IDAT", "IEND"], types);

        using var inflate = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflate.CopyTo(raw);
        // Filter type 2 (Up), then each channel minus the one above it (zero above the first row), alpha dropped.
        byte[] expected = new byte[2 * (1 + 3 * 3)];
        for (int y = 0; y < 2; y++)
        {
            expected[y * 10] = 2;
            for (int x = 0; x < 3; x++)
                for (int c = 0; c < 3; c++)
                    expected[y * 10 + 1 + x * 3 + c] = (byte)(rgba[y * 12 + x * 4 + c] - (y == 0 ? 0 : rgba[(y - 1) * 12 + x * 4 + c]));
        }
        Assert.Equal(expected, raw.ToArray());
    }

    [Fact]
    public void Image_data_larger_than_a_chunk_is_split_into_full_idat_chunks_then_the_rest()
    {
        const int width = 300, height = 200;
        byte[] rgba = new byte[width * 4 * height];
        new Random(11).NextBytes(rgba);
        var (types, idat) = Chunks(Encode(rgba, width, height, width * 4));

        int count = types.Count(t => t == "IDAT");
        Assert.Equal(["IHDR", .. Enumerable.Repeat("IDAT", count), "IEND"], types);
        Assert.Equal((idat.Length + PngEncoder.ChunkSize - 1) / PngEncoder.ChunkSize, count);
        Assert.True(count > 1, $"{idat.Length} bytes of image data took {count} chunk");
    }

    private static byte[] Encode(byte[] rgba, int width, int height, int rowBytes)
    {
        var png = new MemoryStream();
        PngEncoder.Encode(rgba, width, height, rowBytes, png);
        return png.ToArray();
    }

    /// <summary>The PNG's chunk types in order, each chunk's CRC checked, and its IDAT chunks' data joined.</summary>
    private static (List<string> Types, byte[] ImageData) Chunks(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int at = 8;
        var types = new List<string>();
        var idat = new MemoryStream();
        while (at < png.Length)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            uint crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(crc, Crc32.HashToUInt32(png.AsSpan(at + 4, 4 + length)));
            if (type == "IDAT") idat.Write(png, at + 8, length);
            types.Add(type);
            at += 12 + length;
        }
        return (types, idat.ToArray());
    }
}
