using Parquet;
using Parquet.Schema;

namespace LoopSim.Reports;

/// <summary>
/// A <see cref="CsvTable"/> as an Apache Parquet file (Parquet.Net, fully managed): the same header and rows,
/// a column of strings where the first row has text and of float64 where it has a number (the same exact values
/// as the CSV's round-trip text). Rows are written in row groups of <see cref="RowGroupRows"/>, so memory stays
/// bounded however many rows the table streams (a million runs per city). Snappy-compressed, as Parquet readers expect.
/// </summary>
public static class ParquetTable
{
    /// <summary>Rows per row group: 65,536 rows of a dozen columns buffer about 6 MB.</summary>
    public const int RowGroupRows = 1 << 16;

    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/> completely or not at all (see <see cref="AtomicFile"/>).</summary>
    public static void Save(CsvTable table, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        AtomicFile.Write(path, stream => WriteAsync(table, stream, cancellationToken).GetAwaiter().GetResult(), cancellationToken);
    }

    private static async Task WriteAsync(CsvTable table, Stream stream, CancellationToken cancel)
    {
        var header = table.Header;
        using var rows = table.Rows.GetEnumerator();
        bool any = rows.MoveNext();
        // A column's type comes from the first row; a table without rows has text columns.
        var isText = header.Select((_, i) => !any || rows.Current[i].IsText).ToArray();
        var fields = header.Select((name, i) => isText[i] ? (DataField)new DataField<string>(name) : new DataField<double>(name)).ToArray();
        var texts = isText.Select(t => t ? new string[RowGroupRows] : null).ToArray();
        var numbers = isText.Select(t => t ? null : new double[RowGroupRows]).ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, cancellationToken: cancel).ConfigureAwait(false);
        long rowNumber = 0;
        while (any)
        {
            int count = 0;
            for (; any && count < RowGroupRows; count++, any = rows.MoveNext())
            {
                var row = rows.Current;
                rowNumber++;
                if (row.Length != header.Count)
                    throw new ArgumentException($"Row {rowNumber} has {row.Length} cells but the header ({string.Join(",", header)}) has {header.Count} columns.");
                for (int c = 0; c < row.Length; c++)
                {
                    if (row[c].IsText != isText[c])
                        throw new ArgumentException($"Row {rowNumber}, column '{header[c]}': {(isText[c] ? "a number in a text column" : "text in a number column")}.");
                    if (isText[c]) texts[c]![count] = row[c].Text!;
                    else numbers[c]![count] = row[c].Number;
                }
            }
            cancel.ThrowIfCancellationRequested();
            using var group = writer.CreateRowGroup();
            for (int c = 0; c < fields.Length; c++)
            {
                if (isText[c]) await group.WriteAsync(fields[c], new ArraySegment<string>(texts[c]!, 0, count)).ConfigureAwait(false);
                else await group.WriteAsync(fields[c], new ReadOnlyMemory<double>(numbers[c]!, 0, count), cancellationToken: cancel).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>The file format of the tables with a row per run or per time (runs, percentiles, time series).</summary>
public enum TableFormat { Csv, Parquet }

public static class TableFormats
{
    /// <summary>"csv" or "parquet".</summary>
    public static string Extension(TableFormat format) => format == TableFormat.Parquet ? "parquet" : "csv";

    /// <summary>Writes <paramref name="table"/> as <paramref name="format"/> to <paramref name="path"/>, all or nothing.</summary>
    public static void Save(this CsvTable table, string path, TableFormat format, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (format == TableFormat.Parquet) ParquetTable.Save(table, path, cancel);
        else table.Save(path, cancel);
    }
}
