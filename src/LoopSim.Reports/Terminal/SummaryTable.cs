using Spectre.Console;
using Spectre.Console.Rendering;

namespace LoopSim.Reports;

/// <summary>One cell of a <see cref="SummaryTable"/>: text, a number, or a low–high range.</summary>
public readonly struct SummaryCell
{
    private SummaryCell(string? text, double value, double high, bool isRange)
    {
        Text = text;
        Value = value;
        High = high;
        IsRange = isRange;
    }

    public string? Text { get; }
    public double Value { get; }
    public double High { get; }
    public bool IsRange { get; }

    public bool IsText => Text is not null;

    public static SummaryCell Number(double value) => new(null, value, value, false);

    /// <summary>A range such as the 5–95% interval of runs, shown as "low–high".</summary>
    public static SummaryCell Range(double low, double high) => new(null, low, high, true);

    public static implicit operator SummaryCell(string? text) => new(text ?? "", 0, 0, false);

    public static implicit operator SummaryCell(double value) => Number(value);

    /// <summary>The cell as shown: numbers with <see cref="NumberFormat.Readable"/>.</summary>
    public override string ToString() =>
        Text ?? (IsRange ? NumberFormat.Range(Value, High) : NumberFormat.Readable(Value));
}

/// <summary>
/// A titled table for the end of a run (per city: members, engagement, referrals per week…).
/// Numeric columns are right-aligned and read at a glance (12,346 · 12.3 · 0.123). On a terminal
/// it is drawn with rounded borders; redirected to a file or pipe it is plain aligned text, as
/// wide as it needs. Column widths count display cells, so Chinese names (two cells per
/// character) line up.
/// </summary>
public sealed class SummaryTable
{
    private readonly string[] _columns;
    private readonly List<SummaryCell[]> _rows = [];

    public SummaryTable(string title, IEnumerable<string> columns)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(columns);
        Title = title;
        _columns = columns.ToArray();
        if (_columns.Length == 0)
            throw new ArgumentException("A summary table needs at least one column.", nameof(columns));
    }

    public string Title { get; }

    /// <summary>
    /// The width, in cells, plain text wraps long cells to; null (the default): as wide as the table needs, never wrapping a
    /// cell. For tables of sentences (the checks' expectations), which would otherwise make every line a thousand cells wide.
    /// </summary>
    public int? PlainWidth { get; init; }

    public IReadOnlyList<string> Columns => _columns;

    public IReadOnlyList<IReadOnlyList<SummaryCell>> Rows => _rows;

    public SummaryTable AddRow(params SummaryCell[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _columns.Length)
            throw new ArgumentException($"The row has {cells.Length} cells but the table '{Title}' has {_columns.Length} columns.");
        _rows.Add(cells);
        return this;
    }

    /// <summary>Writes the table to <paramref name="console"/>: bordered on a terminal, plain text otherwise.</summary>
    public void Write(IAnsiConsole console) => console.Profile.Out.Writer.Write(Render(console));

    /// <summary>
    /// What <see cref="Write"/> writes to <paramref name="console"/>, as text: a command can draw its table on another
    /// thread while it writes its files (where Spectre.Console is not precompiled, as it is in a Release build of the CLI,
    /// the first table a process draws costs about 150 ms of compiling it).
    /// </summary>
    public string Render(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (!(console.Profile.Capabilities.Ansi && console.Profile.Out.IsTerminal))
            return ToPlainText();
        var text = new StringWriter();
        IAnsiConsole terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = (ColorSystemSupport)console.Profile.Capabilities.ColorSystem,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        terminal.Profile.Width = console.Profile.Width;
        terminal.Write(Build(TableBorder.Rounded));
        return text.ToString();
    }

    /// <summary>The table as plain aligned text with "\n" line ends, no colours or escape codes.</summary>
    public string ToPlainText()
    {
        var text = new StringWriter { NewLine = "\n" };
        IAnsiConsole plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        plain.Profile.Width = PlainWidth ?? 4096;  // a file has no width: unless told, never wrap a cell
        plain.Write(Build(TableBorder.Simple));
        return string.Join("\n", text.ToString().Split('\n').Select(line => line.TrimEnd()));
    }

    private Table Build(TableBorder border)
    {
        var table = new Table { Border = border, Title = new TableTitle(Title, new Style(decoration: Decoration.Bold)) };
        for (int c = 0; c < _columns.Length; c++)
        {
            bool numeric = _rows.Count > 0 && _rows.All(row => !row[c].IsText);
            table.AddColumn(new TableColumn(new Text(_columns[c], new Style(decoration: Decoration.Bold)))
            {
                Alignment = numeric ? Justify.Right : Justify.Left,
            });
        }
        foreach (SummaryCell[] row in _rows)
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell.ToString())));
        return table;
    }
}
