using System.Diagnostics;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace LoopSim.Cli.Tests;

/// <summary>
/// report.html: one self-contained file that headless Chromium (Debian's package, installed by .ci/run) renders with the
/// summary table, the charts and the Chinese city labels.
/// </summary>
[Collection("Console")]
public sealed partial class ReportTests : CliTest
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Headless Chromium with a fresh profile and nothing that reaches the network; returns what it printed.</summary>
    private static string Headless(params string[] args)
    {
        Assert.True(File.Exists(Chromium), "headless Chromium is needed to check report.html: apt-get install chromium (.ci/run does)");
        var start = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1", $"--user-data-dir={Directory.CreateTempSubdirectory("loopsim-chromium-").FullName}", .. args])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "chromium did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {error.Result}");
        return output;
    }

    [Fact]
    public void The_report_is_one_file_that_Chromium_renders_with_charts_table_and_Chinese_labels()
    {
        var (exit, output, error) = CliRunner.Run("run", Shipped.Scenario("alliance"), "--runs", "40", "--city", "Shanghai", "--city", "Chengdu", "--output", Out("r"));
        Assert.True(exit == 0, error);
        Assert.Contains("report.html", output);
        var report = Out("r/report.html");
        var html = File.ReadAllText(report);
        // Self-contained: nothing fetched from elsewhere, no script.
        Assert.DoesNotMatch(@"(src|href)=""(?!data:)", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // The pages that sum up every city (13 variables), both compositions and the loop-dominance chart, as in charts/.
        var images = EmbeddedImage().Matches(html).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        Assert.Equal(13 + 2 + 1, images.Count);
        Assert.Equal(File.ReadAllBytes(Out("r/charts/members-cities.png")), images[0]);
        Assert.Contains(images, i => i.AsSpan().SequenceEqual(File.ReadAllBytes(Out("r/charts/loop-dominance-shanghai.png"))));
        foreach (var text in new[] { "Summary", "Which loops dominate", "Assumptions", "win rate", "triangular", "上海", "成都", "commissions paid" })
            Assert.Contains(text, html);

        // Chromium parses it into a table with the cities' Chinese names and every image.
        var dom = Headless("--dump-dom", new Uri(report).AbsoluteUri);
        Assert.Contains("<td>上海</td>", dom);
        Assert.Equal(images.Count, Regex.Count(dom, "<img "));

        // And draws it: the screenshot of the first screens holds the table's text and the charts' colours.
        var shot = Out("shot.png");
        Headless($"--screenshot={shot}", "--window-size=1280,2200", new Uri(report).AbsoluteUri);
        using var bitmap = SKBitmap.Decode(shot);
        Assert.Equal((1280, 2200), (bitmap.Width, bitmap.Height));
        int dark = 0, coloured = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                int max = Math.Max(c.Red, Math.Max(c.Green, c.Blue)), min = Math.Min(c.Red, Math.Min(c.Green, c.Blue));
                if (max < 90) dark++;                       // text
                else if (max - min > 40) coloured++;        // the fan charts' lines and inner bands (muted colours)
            }
        int pixels = bitmap.Width * bitmap.Height / 4;
        Assert.True(dark > pixels / 500, $"only {dark} dark pixels: no table text drawn?");
        Assert.True(coloured > pixels / 400, $"only {coloured} coloured pixels of {pixels}: charts not drawn?");   // 0.7% measured; none without the charts
    }

    [GeneratedRegex(@"src=""data:image/png;base64,([A-Za-z0-9+/=]+)""")]
    private static partial Regex EmbeddedImage();
}
