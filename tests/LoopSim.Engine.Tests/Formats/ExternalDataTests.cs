using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Formats.ExternalData;
using LoopSim.Engine.Formats.Mdl;
using LoopSim.Engine.Simulation;
using LoopSim.Engine.Tests.Conformance;

namespace LoopSim.Engine.Tests.Formats;

/// <summary>
/// Vensim's external data: GET XLS/GET DIRECT functions reading spreadsheets, .csv and .tab files beside the model, and
/// data variables fed by --data files. Values are checked against the cells the tests write (hand-computed where the
/// rule interpolates), and each coded error is provoked once.
/// </summary>
public sealed class ExternalDataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("loopsim-external-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Times 0, 5, 10, 15, 20.</summary>
    private const string Controls = """
        INITIAL TIME = 0 ~ Month ~|
        FINAL TIME = 20 ~ Month ~|
        TIME STEP = 5 ~ Month ~|
        SAVEPER = TIME STEP ~ Month ~|
        """;

    private string ModelFile(string equations)
    {
        var path = Path.Combine(_dir, "model.mdl");
        File.WriteAllText(path, "{UTF-8}\n" + equations + "\n" + Controls);
        return path;
    }

    private SimulationResult Run(string equations, params string[] dataFiles) =>
        ModelCompiler.Compile(MdlReader.Load(ModelFile(equations), dataFiles.Select(f => Path.Combine(_dir, f)).ToList())).Run();

    /// <summary>
    /// inputs.xlsx: sheet Params (a row k at B1, a 3 × 2 table at B3, a text at B7; "row_k" named for the sheet, "col_m"
    /// for the workbook) and sheet Series (times 0, 10, 20 across row 1, values 1, missing, 5 in row 2).
    /// </summary>
    private void WriteInputs() => TinyXlsx.Write(Path.Combine(_dir, "inputs.xlsx"),
    [
        ("Params", new Dictionary<string, object>
        {
            ["A1"] = "k", ["B1"] = 1.5, ["C1"] = 2.5, ["D1"] = 3.5,
            ["A3"] = "m", ["B3"] = 10, ["C3"] = 20, ["B4"] = 30, ["C4"] = 40, ["B5"] = 50, ["C5"] = 60,
            ["A7"] = "text", ["B7"] = "n/a",
        }),
        ("Series", new Dictionary<string, object> { ["A1"] = "time", ["B1"] = 0, ["C1"] = 10, ["D1"] = 20, ["A2"] = "v", ["B2"] = 1, ["D2"] = 5 }),
    ],
    [new TinyXlsx.Name("row_k", 0, "Params!$B$1:$D$1"), new TinyXlsx.Name("col_m", null, "'Params'!$B$3:$B$5")]);

    [Fact]
    public void A_workbook_reads_numbers_texts_empty_cells_and_named_ranges()
    {
        WriteInputs();
        var workbook = Workbook.Load(Path.Combine(_dir, "inputs.xlsx"));
        var sheet = workbook.Sheet("params");
        Assert.Equal("Params", sheet.Name);
        Assert.Equal(1.5, sheet.Number(0, 1));
        Assert.Equal(60, sheet.Number(4, 2));
        Assert.Equal("n/a", sheet.Cell(6, 1));
        Assert.Null(sheet.Cell(1, 1));
        Assert.True(double.IsNaN(sheet.Number(6, 1)));
        Assert.Equal(new CellRange(0, 1, 1, 3), workbook.Named("Params", "ROW_K"));
        Assert.Equal(new CellRange(2, 1, 3, 1), workbook.Named("Params", "col_m"));
        Assert.Null(workbook.Named("Series", "row_k")); // local to Params
    }

    [Fact]
    public void Cell_references_read_as_spreadsheets_write_them()
    {
        Assert.Equal((4, 1), CellRange.ParseCell("B5"));
        Assert.Equal((9, 27), CellRange.ParseCell("$AB$10"));
        Assert.Null(CellRange.ParseCell("value1"));
        Assert.Null(CellRange.ParseCell("B0"));
        Assert.Equal(51, CellRange.ParseColumn("AZ"));
        Assert.Equal("AZ43", CellRange.Name(42, 51));
    }

    [SuiteFact]
    public void An_xls_file_of_the_suite_reads_its_cells()
    {
        // get_data_args_3d_xls/input.xls, as Excel shows it: B4 "time", C4:I4 the times 0…30, C5:I5 the first series.
        var sheet = Workbook.Load(Path.Combine(SdxorgSuite.RequiredFolder, "tests/get_data_args_3d_xls/input.xls")).Sheet("Sheet1");
        Assert.Equal("time", sheet.Cell(3, 1));
        Assert.Equal([0, 5, 10, 15, 20, 25, 30], Enumerable.Range(2, 7).Select(c => sheet.Number(3, c)));
        Assert.Equal([0, -2, 10, 1, -5, 0, 5], Enumerable.Range(2, 7).Select(c => sheet.Number(4, c)));
        Assert.Equal("B", sheet.Cell(6, 0));
    }

    [Fact]
    public void Constants_read_a_row_a_table_a_transposed_column_and_named_ranges()
    {
        WriteInputs();
        var result = Run("""
            dim: a, b, c ~~|
            m: x, y ~~|
            k[dim] = GET XLS CONSTANTS('inputs.xlsx', 'Params', 'B1') ~~|
            table[dim, m] = GET XLS CONSTANTS('inputs.xlsx', 'params', 'B3') ~~|
            named[dim] = GET DIRECT CONSTANTS('inputs.xlsx', 'Params', 'row_k') ~~|
            column[dim] = GET DIRECT CONSTANTS('inputs.xlsx', 'Params', 'col_m*') ~~|
            one[b, x] = GET DIRECT CONSTANTS('inputs.xlsx', 'Params', 'C4') ~~|
            twice = 2 * GET DIRECT CONSTANTS('inputs.xlsx', 'Params', 'B1') ~~|
            as data := GET DIRECT CONSTANTS('inputs.xlsx', 'Params', 'C3') ~~|
            """);
        Assert.Equal([1.5, 2.5, 3.5], new[] { "k[a]", "k[b]", "k[c]" }.Select(n => result[n][0]));
        Assert.Equal([10, 20, 30, 40, 50, 60], new[] { "a,x", "a,y", "b,x", "b,y", "c,x", "c,y" }.Select(e => result[$"table[{e}]"][0]));
        Assert.Equal([1.5, 2.5, 3.5], new[] { "named[a]", "named[b]", "named[c]" }.Select(n => result[n][0]));
        Assert.Equal([10, 30, 50], new[] { "column[a]", "column[b]", "column[c]" }.Select(n => result[n][0]));
        Assert.Equal(40, result["one[b,x]"][0]);
        Assert.Equal(3, result["twice"][0]);
        Assert.Equal(20, result["as data"][0]);
    }

    [Fact]
    public void Data_follows_its_rule_between_points_and_fills_a_missing_value_by_it()
    {
        WriteInputs();
        var result = Run("""
            interp := GET XLS DATA('inputs.xlsx', 'Series', '1', 'B2') ~~|
            hold:HOLD BACKWARD::= GET XLS DATA('inputs.xlsx', 'Series', '1', 'B2') ~~|
            forward:LOOK FORWARD::= GET XLS DATA('inputs.xlsx', 'Series', '1', 'B2') ~~|
            raw:RAW::= GET XLS DATA('inputs.xlsx', 'Series', '1', 'B2') ~~|
            curve( GET XLS LOOKUPS('inputs.xlsx', 'Series', '1', 'B2') ) ~~|
            at twelve = curve(12) ~~|
            """);
        // Points (0, 1), (10, missing), (20, 5): the missing value is 3 interpolated, 1 held, 5 looked forward to.
        Assert.Equal([1, 2, 3, 4, 5], result["interp"]);
        Assert.Equal([1, 1, 1, 1, 5], result["hold"]);
        Assert.Equal([1, 5, 5, 5, 5], result["forward"]);
        Assert.Equal([1, MdlParser.NotAvailable, MdlParser.NotAvailable, MdlParser.NotAvailable, 5], result["raw"]);
        Assert.Equal(3.4, result["at twelve"][0], 12);
    }

    [Fact]
    public void Text_tables_give_subscripts_constants_and_lookups()
    {
        File.WriteAllText(Path.Combine(_dir, "regions.csv"), "name,size\nnorth,4\n\"south\",7\n");
        File.WriteAllText(Path.Combine(_dir, "curve.tab"), "x\ty\n0\t0\n2\t10\n");
        var result = Run("""
            region: GET DIRECT SUBSCRIPT('regions.csv', ',', 'A2', 'A', 'r ') ~~|
            size[region] = GET DIRECT CONSTANTS('regions.csv', ',', 'B2*') ~~|
            lk( GET DIRECT LOOKUPS('curve.tab', '\t', 'A', 'B2') ) ~~|
            y = lk(1) ~~|
            """);
        Assert.Equal(4, result["size[r north]"][0]);
        Assert.Equal(7, result["size[r south]"][0]);
        Assert.Equal(5, result["y"][0]);
    }

    [Fact]
    public void Data_variables_take_their_series_from_the_data_files()
    {
        File.WriteAllText(Path.Combine(_dir, "data.tab"), "Time\tlevel\tsupply[a]\tsupply[ b ]\n0\t1\t10\t20\n10\t3\t\t40\n20\t5\t30\t60\n");
        var result = Run("""
            dim: a, b ~~|
            level ~ Widget ~|
            supply[dim]:HOLD BACKWARD: ~~|
            total = level + supply[a] + supply[b] ~~|
            """, "data.tab");
        // level interpolates 1, 3, 5; supply holds, its missing value at 10 filled by the value before.
        Assert.Equal([31, 32, 53, 54, 95], result["total"]);
    }

    // ---- coded errors -------------------------------------------------------------------------------------------

    private ModelException Rejects(string equations, params string[] dataFiles) =>
        Assert.Throws<ModelException>(() => MdlReader.Load(ModelFile(equations), dataFiles.Select(f => Path.Combine(_dir, f)).ToList()));

    /// <summary>
    /// The one diagnostic: its code, at the model file's line of the equation (<paramref name="line"/> of the equations
    /// given, after the file's {UTF-8} line), naming what <paramref name="mentions"/> lists.
    /// </summary>
    private static void Says(ModelException e, DiagnosticCode code, int line, params string[] mentions)
    {
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(code, d.Code);
        Assert.EndsWith("model.mdl", d.Location!.File);
        Assert.Equal(line + 1, d.Location.Line);
        foreach (var text in mentions) Assert.Contains(text, d.Message);
        Assert.False(string.IsNullOrEmpty(d.Hint));
    }

    [Fact]
    public void A_missing_data_file_is_LS1401()
    {
        var e = Rejects("x = 1 ~~|\nk = GET XLS CONSTANTS('absent.xlsx', 'Sheet1', 'B2') ~~|");
        Says(e, DiagnosticCodes.DataFileNotFound, 2, "absent.xlsx");
        Says(Rejects("k = GET DIRECT CONSTANTS('?inputs', 'Sheet1', 'B2') ~~|"), DiagnosticCodes.DataFileNotFound, 1, "?inputs");
    }

    [Fact]
    public void A_file_that_is_no_spreadsheet_is_LS1402()
    {
        File.WriteAllText(Path.Combine(_dir, "broken.xlsx"), "not a spreadsheet");
        Says(Rejects("k = GET XLS CONSTANTS('broken.xlsx', 'Sheet1', 'B2') ~~|"), DiagnosticCodes.DataFileUnreadable, 1, "broken.xlsx");
    }

    [Fact]
    public void A_missing_sheet_is_LS1403_and_lists_the_sheets()
    {
        WriteInputs();
        Says(Rejects("k = GET XLS CONSTANTS('inputs.xlsx', 'Nope', 'B2') ~~|"), DiagnosticCodes.DataSheetNotFound, 1, "inputs.xlsx", "'Nope'");
        Assert.Contains("'Params', 'Series'", Rejects("k = GET XLS CONSTANTS('inputs.xlsx', 'Nope', 'B2') ~~|").Diagnostics[0].Hint);
    }

    [Fact]
    public void An_unknown_cell_name_is_LS1404()
    {
        WriteInputs();
        Says(Rejects("k = GET DIRECT CONSTANTS('inputs.xlsx', 'Params', 'no_such_range') ~~|"), DiagnosticCodes.DataCellNotFound, 1, "no_such_range", "Params", "inputs.xlsx");
        Says(Rejects("d := GET DIRECT DATA('inputs.xlsx', 'Series', '1', 'nowhere') ~~|"), DiagnosticCodes.DataCellNotFound, 1, "nowhere");
    }

    [Fact]
    public void A_text_or_empty_cell_read_as_a_constant_is_LS1405_naming_the_cell()
    {
        WriteInputs();
        Says(Rejects("k = GET XLS CONSTANTS('inputs.xlsx', 'Params', 'B7') ~~|"), DiagnosticCodes.DataValueNotNumber, 1, "cell B7", "'n/a'", "Params", "inputs.xlsx");
        Says(Rejects("dim: a, b ~~|\nk[dim] = GET XLS CONSTANTS('inputs.xlsx', 'Params', 'D1') ~~|"), DiagnosticCodes.DataValueNotNumber, 2, "cell E1", "empty");
    }

    [Fact]
    public void A_named_range_of_another_size_than_the_subscripts_is_LS1406()
    {
        WriteInputs();
        Says(Rejects("m: x, y ~~|\nk[m] = GET DIRECT CONSTANTS('inputs.xlsx', 'Params', 'row_k') ~~|"), DiagnosticCodes.DataShapeMismatch, 2, "row_k", "B1:D1");
        Says(Rejects("m: x, y ~~|\nd[m, m] := GET XLS DATA('inputs.xlsx', 'Series', '1', 'B2') ~~|"), DiagnosticCodes.DataShapeMismatch, 2, "one subscript range");
    }

    [Fact]
    public void A_missing_data_option_file_is_LS5015()
    {
        var e = Rejects("level ~~|", "absent.tab");
        Assert.Equal(DiagnosticCodes.DataOptionFileUnusable, Assert.Single(e.Diagnostics).Code);
        Assert.Contains("absent.tab", e.Diagnostics[0].Message);
        // Only a Vensim model has data variables.
        var yaml = Path.Combine(_dir, "model.yaml");
        File.WriteAllText(yaml, "model: m\n");
        var other = Assert.Throws<ModelException>(() => ModelLoader.Load(yaml, [Path.Combine(_dir, "data.tab")]));
        Assert.Equal(DiagnosticCodes.DataOptionFileUnusable, Assert.Single(other.Diagnostics).Code);
    }

    [Fact]
    public void A_data_variable_without_data_is_LS5016()
    {
        Says(Rejects("x = 1 ~~|\nlevel:INTERPOLATE: ~~|"), DiagnosticCodes.DataVariableWithoutData, 2, "'level'", "none was given");
        File.WriteAllText(Path.Combine(_dir, "other.tab"), "Time\tother\n0\t1\n");
        Says(Rejects("level ~~|", "other.tab"), DiagnosticCodes.DataVariableWithoutData, 1, "'level'", "other.tab");
    }

    [Fact]
    public void A_text_value_in_a_data_option_file_is_LS5017()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.tab"), "Time\tlevel\n0\t1\n10\tlots\n");
        var e = Rejects("level ~~|", "bad.tab");
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(DiagnosticCodes.DataOptionValueInvalid, d.Code);
        Assert.Contains("cell B3", d.Message);
        Assert.Contains("'lots'", d.Message);
        Assert.EndsWith("bad.tab", d.Location!.File);
    }

    [Fact]
    public void A_time_series_file_takes_its_times_from_the_time_column_skips_comments_and_reads_na_as_missing()
    {
        // The layout calibrate's observations come in: comments, then 'time' (here not first), NA and empty cells.
        File.WriteAllText(Path.Combine(_dir, "observed.csv"), "# source: a test\n\ncases,time,beds\n3,1,NA\n8,2,\nnan,4,7\n");
        var file = TimeSeriesFile.Load(Path.Combine(_dir, "observed.csv"));
        Assert.Equal([1.0, 2, 4], file.Times);
        Assert.Equal(["cases", "beds"], file.SeriesNames);
        Assert.Equal([3.0, 8, double.NaN], file.Values[0]);
        Assert.Equal([double.NaN, double.NaN, 7.0], file.Values[1]);
        Assert.Equal(file.Values[1], file.Find("BEDS")!.Value.Values);
        Assert.Null(file.Find("time"));
    }

    [Fact]
    public void A_transposed_time_series_file_reads_as_the_same_series()
    {
        File.WriteAllText(Path.Combine(_dir, "down.tab"), "Time\tlevel\tsupply[a]\n0\t1\t10\n10\t3\t\n");
        File.WriteAllText(Path.Combine(_dir, "across.tab"), "Time\t0\t10\nlevel\t1\t3\nsupply[a]\t10\t\n");
        var down = TimeSeriesFile.Load(Path.Combine(_dir, "down.tab"));
        var across = TimeSeriesFile.Load(Path.Combine(_dir, "across.tab"));
        Assert.Equal(down.Times, across.Times);
        Assert.Equal(down.SeriesNames, across.SeriesNames);
        Assert.Equal(down.Values, across.Values);
        Assert.Equal([10.0, double.NaN], across.Find("supply[ A ]")!.Value.Values);
    }

    [Fact]
    public void A_time_series_file_with_an_infinite_or_missing_time_names_the_cell()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.csv"), "time,y\n1,2\n,3\n");
        var missing = Assert.Throws<ModelException>(() => TimeSeriesFile.Load(Path.Combine(_dir, "bad.csv"))).Diagnostics[0];
        Assert.Equal(DiagnosticCodes.DataOptionValueInvalid, missing.Code);
        Assert.Contains("cell A3", missing.Message);
        Assert.Equal(3, missing.Location!.Line);
        File.WriteAllText(Path.Combine(_dir, "huge.csv"), "time,y\n1,1e999\n");
        var infinite = Assert.Throws<ModelException>(() => TimeSeriesFile.Load(Path.Combine(_dir, "huge.csv"))).Diagnostics[0];
        Assert.Equal(DiagnosticCodes.DataOptionValueInvalid, infinite.Code);
        Assert.Contains("cell B2", infinite.Message);
    }
}
