using System.Buffers.Binary;
using SkiaSharp;

namespace LoopSim.Reports.Tests;

/// <summary>Reads back what a chart wrote.</summary>
internal static class Png
{
    /// <summary>Width and height from the IHDR chunk, checking the PNG signature first.</summary>
    public static (int Width, int Height) Size(string path)
    {
        byte[] head = new byte[24];
        using (var stream = File.OpenRead(path))
            stream.ReadExactly(head);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(head, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(20)));
    }

    public static SKBitmap Decode(string path) =>
        SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not a decodable image.");

    /// <summary>Variance of the grey level over all pixels: 0 for a blank image.</summary>
    public static double LuminanceVariance(SKBitmap bitmap)
    {
        double sum = 0, sumSquares = 0;
        long n = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                double l = Luminance(bitmap.GetPixel(x, y));
                sum += l;
                sumSquares += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return sumSquares / n - mean * mean;
    }

    public static double Luminance(SKColor c) => 0.2126 * c.Red + 0.7152 * c.Green + 0.0722 * c.Blue;

    /// <summary>How many pixels are within <paramref name="tolerance"/> of <paramref name="color"/> in every channel.</summary>
    public static int CountNear(SKBitmap bitmap, SKColor color, int tolerance = 6)
    {
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - color.Red) <= tolerance && Math.Abs(p.Green - color.Green) <= tolerance && Math.Abs(p.Blue - color.Blue) <= tolerance)
                    count++;
            }
        }
        return count;
    }

    /// <summary>Copies the chart to $LOOPSIM_KEEP_CHARTS (when set) so a person can look at what the tests drew.</summary>
    public static void Keep(string path)
    {
        string? folder = Environment.GetEnvironmentVariable("LOOPSIM_KEEP_CHARTS");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        File.Copy(path, Path.Combine(folder, Path.GetFileName(path)), overwrite: true);
    }
}
