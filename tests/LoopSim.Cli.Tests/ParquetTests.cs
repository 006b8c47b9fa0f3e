using System.Globalization;
using DuckDB.NET.Data;

namespace LoopSim.Cli.Tests;

/// <summary><c>--format parquet</c>: DuckDB (an independent reader) reads the files, and its percentiles over runs.parquet are summary.csv's.</summary>
[Collection("Console")]
public sealed class ParquetTests : CliTest
{
    [Fact]
    public void DuckDB_reads_the_parquet_files_and_finds_the_summary_percentiles()
    {
        var (exit, output, error) = CliRunner.Run("run", Shipped.Scenario("alliance"), "--runs", "301", "--no-charts", "--format", "parquet", "--output", Out("pq"));
        Assert.True(exit == 0, error);
        Assert.Contains("percentiles.parquet, runs.parquet, summary.csv", output);
        (exit, _, error) = CliRunner.Run("run", Shipped.Scenario("alliance"), "--runs", "301", "--no-charts", "--output", Out("csv"));
        Assert.True(exit == 0, error);

        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        List<object[]> Query(string sql)
        {
            using var command = duck.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<object[]>();
            while (reader.Read())
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                rows.Add(row);
            }
            return rows;
        }
        string runs = Out("pq/runs.parquet"), percentiles = Out("pq/percentiles.parquet");

        // Every run of every city, with the CSV's columns and values.
        Assert.Equal(5L * 301, Query($"SELECT count(*) FROM '{runs}'")[0][0]);
        var csvRuns = Lines(Out("csv/runs.csv"));
        var columns = Query($"SELECT column_name FROM (DESCRIBE SELECT * FROM '{runs}')").Select(r => (string)r[0]).ToArray();
        Assert.Equal(Cells(csvRuns[0]), columns);
        var row = Query($"SELECT * FROM '{runs}' WHERE city = 'Chengdu' AND run = 123")[0];
        var csvRow = Cells(csvRuns.Single(l => l.StartsWith("Chengdu,123,", StringComparison.Ordinal)));
        Assert.Equal(csvRow, row.Select(v => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : v.ToString()!));

        // The medians at the horizon (type 7: DuckDB's quantile_cont) equal summary.csv's, and percentiles.parquet holds them.
        var summary = Lines(Out("pq/summary.csv"));
        var header = Cells(summary[0]);
        foreach (var line in summary.Skip(1))
        {
            var cells = Cells(line);
            foreach (var variable in new[] { "members", "deals_won", "commissions_paid" })
            {
                double expected = Number(cells[Array.IndexOf(header, variable)]);
                var median = (double)Query($"SELECT quantile_cont({variable}, 0.5) FROM '{runs}' WHERE city = '{cells[0]}'")[0][0];
                Assert.Equal(expected, median, 1e-12 * Math.Abs(expected));
                var p50 = (double)Query($"SELECT p50 FROM '{percentiles}' WHERE city = '{cells[0]}' AND variable = '{variable}' AND time = 156")[0][0];
                Assert.Equal(expected, p50);
            }
        }
    }
}
