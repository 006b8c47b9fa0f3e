namespace LoopSim.Reports;

/// <summary>
/// One CSV field: text, or a number written as the shortest text that reads back to the same
/// double (invariant culture; NaN as <c>NaN</c>, infinities as <c>Infinity</c>/<c>-Infinity</c>).
/// Strings and numbers convert implicitly, so a row is written as <c>[city, time, value]</c>.
/// </summary>
public readonly struct CsvCell : IEquatable<CsvCell>
{
    private CsvCell(string? text, double number)
    {
        Text = text;
        Number = number;
    }

    /// <summary>The text of a text cell; null for a number cell.</summary>
    public string? Text { get; }

    /// <summary>The value of a number cell; 0 for a text cell.</summary>
    public double Number { get; }

    public bool IsText => Text is not null;

    public static CsvCell FromText(string? text) => new(text ?? "", 0);

    public static CsvCell FromNumber(double number) => new(null, number);

    public static implicit operator CsvCell(string? text) => FromText(text);

    public static implicit operator CsvCell(double number) => FromNumber(number);

    public bool Equals(CsvCell other) => Text == other.Text && Number.Equals(other.Number);

    public override bool Equals(object? obj) => obj is CsvCell other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Text, Number);

    public static bool operator ==(CsvCell left, CsvCell right) => left.Equals(right);

    public static bool operator !=(CsvCell left, CsvCell right) => !left.Equals(right);

    public override string ToString() => Text ?? Number.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
