using CsvHelper;
using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Reports;

/// <summary>
/// A CSV file as a header and a stream of rows of text and number cells: the one writer behind
/// every CSV LoopSim produces (time series, summaries, percentiles, runs, sweeps, loops).
/// Rows are enumerated once, while writing, so a table of a million rows never sits in memory.
/// Output: RFC 4180 quoting where needed, "\n" line ends, UTF-8 without byte order mark,
/// invariant culture, numbers that round-trip exactly.
/// </summary>
public sealed class CsvTable
{
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { NewLine = "\n" };

    private readonly string[] _header;
    private readonly IEnumerable<CsvCell[]> _rows;

    /// <param name="header">The column names; every row must have as many cells.</param>
    /// <param name="rows">The rows, enumerated once when the table is written.</param>
    public CsvTable(IEnumerable<string> header, IEnumerable<CsvCell[]> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        _header = header.ToArray();
        if (_header.Length == 0)
            throw new ArgumentException("A CSV table needs at least one column.", nameof(header));
        _rows = rows;
    }

    public IReadOnlyList<string> Header => _header;

    /// <summary>The rows, to be enumerated once (by the CSV or the Parquet writer).</summary>
    public IEnumerable<CsvCell[]> Rows => _rows;

    /// <summary>Writes the table to <paramref name="path"/> completely or not at all (see <see cref="AtomicFile"/>).</summary>
    public void Save(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, stream => WriteTo(stream, cancellationToken), cancellationToken);

    /// <summary>Writes the table to <paramref name="stream"/>, which stays open.</summary>
    public void WriteTo(Stream stream, CancellationToken cancellationToken = default)
    {
        using var csv = CsvWriter.Create(stream, Options, leaveOpen: true);
        csv.WriteHeader(_header);
        long rowNumber = 0;
        foreach (CsvCell[] row in _rows)
        {
            rowNumber++;
            if ((rowNumber & 1023) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            if (row.Length != _header.Length)
                throw new ArgumentException(
                    $"CSV row {rowNumber} has {row.Length} cells but the header ({string.Join(",", _header)}) has {_header.Length} columns.");
            foreach (CsvCell cell in row)
            {
                if (cell.Text is { } text)
                    csv.WriteField(text);
                else
                    csv.WriteField(cell.Number, default);
            }
            csv.EndRecord();
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Long-format time series, one row per city and saved time: <c>city,time,var1,var2,…</c>.
    /// </summary>
    /// <param name="variables">The reported variables, in column order.</param>
    /// <param name="cities">Per city, its saved times and one value array per variable (same order as <paramref name="variables"/>).</param>
    public static CsvTable TimeSeries(IReadOnlyList<string> variables, IEnumerable<CityTimeSeries> cities)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(cities);
        return new CsvTable(["city", "time", .. variables], Rows());

        IEnumerable<CsvCell[]> Rows()
        {
            foreach (CityTimeSeries city in cities)
            {
                if (city.Values.Count != variables.Count)
                    throw new ArgumentException($"City '{city.City}' has {city.Values.Count} value series for {variables.Count} variables.");
                for (int v = 0; v < city.Values.Count; v++)
                {
                    if (city.Values[v].Length != city.Time.Length)
                        throw new ArgumentException(
                            $"City '{city.City}', variable '{variables[v]}': {city.Values[v].Length} values for {city.Time.Length} times.");
                }
                for (int t = 0; t < city.Time.Length; t++)
                {
                    var row = new CsvCell[2 + variables.Count];
                    row[0] = city.City;
                    row[1] = city.Time[t];
                    for (int v = 0; v < variables.Count; v++)
                        row[2 + v] = city.Values[v][t];
                    yield return row;
                }
            }
        }
    }

    /// <summary>
    /// Monte Carlo percentiles, one row per city, variable and saved time:
    /// <c>city,variable,time,mean,p5,p25,p50,p75,p95</c>.
    /// </summary>
    public static CsvTable Percentiles(IEnumerable<VariableBand> bands)
    {
        ArgumentNullException.ThrowIfNull(bands);
        return new CsvTable(["city", "variable", "time", "mean", "p5", "p25", "p50", "p75", "p95"], Rows());

        IEnumerable<CsvCell[]> Rows()
        {
            foreach (VariableBand item in bands)
            {
                Band b = item.Band;
                for (int t = 0; t < b.Time.Length; t++)
                    yield return [item.City, item.Variable, b.Time[t], b.Mean[t], b.P5[t], b.P25[t], b.P50[t], b.P75[t], b.P95[t]];
            }
        }
    }
}

/// <summary>One city's saved times and the values of each reported variable at those times.</summary>
/// <param name="Values">One array per variable, each as long as <paramref name="Time"/>.</param>
public sealed record CityTimeSeries(string City, double[] Time, IReadOnlyList<double[]> Values);

/// <summary>The Monte Carlo band of one variable in one city.</summary>
public sealed record VariableBand(string City, string Variable, Band Band);
