using System.Globalization;
using Spectre.Console;

namespace LoopSim.Reports.Tests;

public class SummaryTableTests
{
    private static SummaryTable Cities() =>
        new SummaryTable("Alliance at week 156", ["City", "Members", "Engagement p50", "Engagement 5–95%", "Referrals/week"])
            .AddRow("Shanghai", 12345.6, 0.5234, SummaryCell.Range(0.41234, 0.63421), 38.25)
            .AddRow("上海", 980, 0.48, SummaryCell.Range(0.35, 0.6), 7.5)
            .AddRow("Chengdu", 45, double.NaN, SummaryCell.Range(0.1, 0.2), 0.123);

    /// <summary>Terminal cells a line takes: East Asian wide characters take two.</summary>
    private static int DisplayWidth(string line) =>
        line.EnumerateRunes().Sum(r => r.Value is >= 0x4E00 and <= 0x9FFF ? 2 : 1);

    [Fact]
    public void Plain_text_has_title_header_and_readable_right_aligned_numbers()
    {
        string[] lines = Cities().ToPlainText().Split('\n');
        string text = string.Join("\n", lines);

        Assert.Contains("Alliance at week 156", lines[0]);
        Assert.Contains(lines, l => l.Contains("City") && l.Contains("Referrals/week"));
        string shanghai = lines.Single(l => l.Contains("Shanghai"));
        Assert.Matches(@"Shanghai\s+12,346\s+0\.523\s+0\.412–0\.634\s+38\.3$", shanghai);
        Assert.Matches(@"Chengdu\s+45\s+n/a\s+0\.100–0\.200\s+0\.123$", lines.Single(l => l.Contains("Chengdu")));
        Assert.DoesNotContain("\u001b", text);  // no escape codes in a file
        Assert.DoesNotContain("\r", text);
    }

    [Fact]
    public void Columns_line_up_in_display_cells_with_Chinese_names()
    {
        string[] rows = Cities().ToPlainText().Split('\n').Where(l => l.Contains("Shanghai") || l.Contains("上海") || l.Contains("Chengdu")).ToArray();

        // The last column is right-aligned, so every row ends in the same display column…
        Assert.Single(rows.Select(DisplayWidth).Distinct());
        // …and 上海 (4 cells, 2 characters) is padded like an ASCII name of 4 letters.
        string shanghaiZh = rows.Single(l => l.Contains("上海"));
        Assert.Equal(rows.Single(l => l.Contains("Shanghai")).Length - 2, shanghaiZh.Length);
    }

    [Fact]
    public void A_plain_width_wraps_long_cells_and_keeps_every_word()
    {
        string sentence = string.Join(" ", Enumerable.Range(1, 40).Select(i => $"word{i}"));
        var table = new SummaryTable("Checks", ["check", "expected"]) { PlainWidth = 80 }.AddRow("mode 1", sentence);
        string[] lines = table.ToPlainText().Split('\n');

        Assert.All(lines, l => Assert.True(DisplayWidth(l) <= 80, l));
        Assert.True(lines.Count(l => l.Contains("word")) > 1);
        string words = string.Join(" ", lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.StartsWith("word")));
        Assert.Equal(sentence, words);
        // Without one, a cell is never wrapped.
        Assert.Single(new SummaryTable("Checks", ["check", "expected"]).AddRow("mode 1", sentence).ToPlainText().Split('\n'), l => l.Contains("word"));
    }

    [Fact]
    public void Write_to_a_redirected_console_gives_the_plain_text()
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        SummaryTable table = Cities();

        table.Write(console);

        Assert.Equal(table.ToPlainText(), output.ToString());
    }

    [Fact]
    public void Write_to_a_terminal_draws_rounded_borders()
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.TrueColor,
            Interactive = InteractionSupport.Yes,
            Out = new TerminalOutput(output),
        });

        Cities().Write(console);

        Assert.Contains("╭", output.ToString());
        Assert.Contains("12,346", output.ToString());
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_an_error()
    {
        var table = new SummaryTable("t", ["a", "b"]);

        var error = Assert.Throws<ArgumentException>(() => table.AddRow("x"));

        Assert.Contains("1 cells but the table 't' has 2 columns", error.Message);
    }

    /// <summary>An output that says it is a terminal, 120 columns wide.</summary>
    private sealed class TerminalOutput(TextWriter writer) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;
        public bool IsTerminal => true;
        public int Width => 120;
        public int Height => 40;
        public void SetEncoding(System.Text.Encoding encoding) { }
    }
}
