using System.Globalization;
using System.Text;
using LoopSim.Experiments.MonteCarlo;

namespace LoopSim.Reports.Tests;

public class CsvTableTests
{
    private static string Write(CsvTable table)
    {
        using var stream = new MemoryStream();
        table.WriteTo(stream);
        byte[] bytes = stream.ToArray();
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte order mark");
        return Encoding.UTF8.GetString(bytes);
    }

    [Fact]
    public void Writes_header_and_mixed_rows_with_LF_line_ends()
    {
        var table = new CsvTable(["city", "time", "members"], [
            ["Shanghai", 0, 120],
            ["上海", 0.5, 1234.5678],
        ]);

        Assert.Equal("city,time,members\nShanghai,0,120\n上海,0.5,1234.5678\n", Write(table));
    }

    [Fact]
    public void Numbers_are_the_shortest_invariant_text_that_round_trips()
    {
        var table = new CsvTable(["x"], new double[] { 0.1, 1.0 / 3, -2.5e-7, 1e21, 123456789012, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity }
            .Select(x => new CsvCell[] { x }));

        string[] lines = Write(table).Split('\n');

        Assert.Equal(["x", "0.1", "0.3333333333333333", "-2.5E-07", "1E+21", "123456789012", "-0", "NaN", "Infinity", "-Infinity", ""], lines);
    }

    [Fact]
    public void Random_doubles_read_back_bit_for_bit()
    {
        var random = new Random(42);
        double[] values = Enumerable.Range(0, 2000)
            .Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)))
            .ToArray();

        string[] lines = Write(new CsvTable(["v"], values.Select(v => new CsvCell[] { v }))).TrimEnd('\n').Split('\n');

        double[] read = lines.Skip(1).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), read.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Text_with_separators_quotes_or_newlines_is_quoted()
    {
        var table = new CsvTable(["id", "path"], [
            ["R1", "a → b, c"],
            ["B1", "say \"hi\""],
            ["B2", "two\nlines"],
            ["B3", null],
        ]);

        Assert.Equal("id,path\nR1,\"a → b, c\"\nB1,\"say \"\"hi\"\"\"\nB2,\"two\nlines\"\nB3,\n", Write(table));
    }

    [Fact]
    public void The_culture_of_the_thread_does_not_change_the_numbers()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            // The projects run in invariant-globalization mode, so build a German-style culture by hand.
            var german = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            german.NumberFormat.NumberDecimalSeparator = ",";
            german.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = german;
            Assert.Equal("1,5", 1.5.ToString(CultureInfo.CurrentCulture));
            Assert.Equal("v\n1.5\n", Write(new CsvTable(["v"], [[1.5]])));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_an_error_naming_the_row()
    {
        var table = new CsvTable(["a", "b"], [[1, 2], [3]]);

        var error = Assert.Throws<ArgumentException>(() => Write(table));

        Assert.Contains("row 2 has 1 cells", error.Message);
        Assert.Contains("a,b", error.Message);
    }

    [Fact]
    public void Save_writes_the_file_and_a_failing_row_source_leaves_nothing()
    {
        using var folder = new TempFolder();
        new CsvTable(["a"], [[1]]).Save(folder.File("good.csv"));

        IEnumerable<CsvCell[]> Failing()
        {
            for (int i = 0; i < 50_000; i++)  // enough rows that the writer has flushed to the temporary file
                yield return [i];
            throw new InvalidOperationException("simulation failed");
        }

        Assert.Throws<InvalidOperationException>(() => new CsvTable(["a"], Failing()).Save(folder.File("bad.csv")));

        Assert.Equal("a\n1\n", File.ReadAllText(folder.File("good.csv")));
        Assert.Equal(["good.csv"], folder.Entries());
    }

    [Fact]
    public void Save_stops_when_cancelled_while_rows_are_produced()
    {
        using var folder = new TempFolder();
        using var cancellation = new CancellationTokenSource();

        IEnumerable<CsvCell[]> Rows()
        {
            for (int i = 0; i < 100_000; i++)
            {
                if (i == 10_000) cancellation.Cancel();
                yield return [i];
            }
        }

        Assert.Throws<OperationCanceledException>(() => new CsvTable(["a"], Rows()).Save(folder.File("runs.csv"), cancellation.Token));

        Assert.Empty(folder.Entries());
    }

    [Fact]
    public void TimeSeries_is_long_format_city_time_then_variables()
    {
        var table = CsvTable.TimeSeries(["members", "engagement"], [
            new CityTimeSeries("Shanghai", [0, 1], [[100, 110], [0.5, 0.25]]),
            new CityTimeSeries("Beijing", [0], [[80], [0.75]]),
        ]);

        Assert.Equal(
            "city,time,members,engagement\nShanghai,0,100,0.5\nShanghai,1,110,0.25\nBeijing,0,80,0.75\n",
            Write(table));
    }

    [Fact]
    public void TimeSeries_rejects_a_value_array_of_the_wrong_length()
    {
        var table = CsvTable.TimeSeries(["members"], [new CityTimeSeries("Shanghai", [0, 1], [[100]])]);

        var error = Assert.Throws<ArgumentException>(() => Write(table));

        Assert.Contains("'Shanghai', variable 'members': 1 values for 2 times", error.Message);
    }

    [Fact]
    public void Percentiles_has_the_documented_columns()
    {
        var band = new Band([0, 52], Mean: [1, 2], P5: [0.5, 1], P25: [0.75, 1.5], P50: [1, 2], P75: [1.25, 2.5], P95: [1.5, 3]);

        string csv = Write(CsvTable.Percentiles([new VariableBand("Chengdu", "referrals_per_week", band)]));

        Assert.Equal(
            "city,variable,time,mean,p5,p25,p50,p75,p95\n" +
            "Chengdu,referrals_per_week,0,1,0.5,0.75,1,1.25,1.5\n" +
            "Chengdu,referrals_per_week,52,2,1,1.5,2,2.5,3\n",
            csv);
    }

    [Fact]
    public void A_band_with_arrays_of_different_lengths_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Band([0, 1], [1, 2], [1, 2], [1], [1, 2], [1, 2], [1, 2]));
        Assert.Contains("Band.P25 has 1 values for 2 times", error.Message);
    }
}
