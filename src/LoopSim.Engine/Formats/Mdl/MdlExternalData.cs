using System.Globalization;
using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Formats.ExternalData;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Formats.Mdl;

/// <summary>How a data series is read between its points: Vensim's :INTERPOLATE: (the default), :HOLD BACKWARD:, :LOOK FORWARD:, :RAW:.</summary>
internal enum DataRule { Interpolate, HoldBackward, LookForward, Raw }

/// <summary>
/// Vensim's GET XLS/GET DIRECT functions, read when the model is loaded, so the model holds numbers (constants, lookup
/// tables, time series as lookups of TIME) and runs and exports like any other. Files are found from the model's
/// folder and read once. The rules are Vensim's, as PySD documents them:
/// <list type="bullet">
/// <item>CONSTANTS(file, sheet, cell): from the top-left cell (or a named range), a row for one subscript range with
/// several elements, rows × columns for two (the first range down); a cell ending in '*' reads the transposed block.</item>
/// <item>DATA and LOOKUPS(file, sheet, axis, cell): the axis is a row number (the series runs across, from the cell's
/// column to the sheet's end), a column letter (it runs down), or a named range (the cell then names the values);
/// one element per row (per column when the axis runs down). Empty or text cells on the axis drop their points,
/// empty trailing ones end it; missing values are filled by the rule: the nearest end value outside the known
/// points, else linear (Interpolate), the last known (Hold backward) or the next known (Look forward); Raw keeps them missing (:NA:).</item>
/// <item>SUBSCRIPT(file, sheet, first cell, last cell or row or column or '', prefix): the non-empty cells of the block, by rows, each prefixed.</item>
/// </list>
/// A text table (.csv, .tab) is one sheet; its sheet argument, when it starts with a symbol, is the separator.
/// </summary>
internal sealed class MdlExternalData(string? modelFolder)
{
    private readonly Dictionary<(string Path, char? Separator), Workbook> _files = new();

    /// <summary>One element's constant: <paramref name="sizes"/> are the element counts of the left-hand side's subscripts, <paramref name="indices"/> the element's position in each.</summary>
    public double Constant(string file, string sheetName, string cell, IReadOnlyList<int> sizes, IReadOnlyList<int> indices)
    {
        var (workbook, sheet) = Open(file, sheetName);
        bool transpose = cell.EndsWith('*') && sizes.Aggregate(1, (a, b) => a * b) > 1;
        cell = cell.TrimEnd('*').Trim();
        var (rows, columns, k) = Table(sizes, indices, 2, file, cell);
        int row = k / columns, column = k % columns;
        if (transpose) (row, column) = (column, row);

        int r0, c0;
        if (CellRange.ParseCell(cell) is var (r, c)) (r0, c0) = (r, c);
        else
        {
            var range = Named(workbook, sheet, cell);
            var (physicalRows, physicalColumns) = transpose ? (columns, rows) : (rows, columns);
            if (range.Rows != physicalRows || range.Columns != physicalColumns)
                throw new ExternalDataException(DiagnosticCodes.DataShapeMismatch,
                    $"the range '{cell}' ({range}, {range.Rows} × {range.Columns} cells) of sheet '{sheet.Name}' in '{workbook.Path}' does not fit the subscripts ({physicalRows} × {physicalColumns} values{(transpose ? ", transposed by '*'" : "")})",
                    "Make the named range as large as the subscripts, or correct the subscripts; end the name with '*' to read a column as a row.");
            (r0, c0) = (range.Row, range.Column);
        }
        var value = sheet.Cell(r0 + row, c0 + column);
        if (value is double number) return number;
        throw new ExternalDataException(DiagnosticCodes.DataValueNotNumber,
            $"cell {CellRange.Name(r0 + row, c0 + column)} of sheet '{sheet.Name}' in '{workbook.Path}' is {(value is null ? "empty" : $"'{value}', not a number")} (read for '{cell}')",
            "Put a number in the cell, or point the GET function at the cells that hold the values.");
    }

    /// <summary>
    /// One element's series, as a lookup table: its x values (time for DATA) and y values, read as Vensim reads
    /// GET … DATA and GET … LOOKUPS, with missing values filled by <paramref name="rule"/>.
    /// </summary>
    public GraphicalFunction Series(string file, string sheetName, string axis, string cell, IReadOnlyList<int> sizes, IReadOnlyList<int> indices, DataRule rule)
    {
        var (workbook, sheet) = Open(file, sheetName);
        cell = cell.Trim();
        axis = axis.Trim();
        var (_, size, k) = Table(sizes, indices, 1, file, cell);
        string where = $"sheet '{sheet.Name}' of '{workbook.Path}'";
        var xs = new List<double>();
        var ys = new List<double>();
        if (int.TryParse(axis, NumberStyles.None, CultureInfo.InvariantCulture, out var axisRow) && axisRow >= 1)
        {
            var (r0, c0) = Cell(cell, where);
            for (int c = c0; c < sheet.ColumnCount; c++) { xs.Add(sheet.Number(axisRow - 1, c)); ys.Add(sheet.Number(r0 + k, c)); }
            TrimTrailingMissing(xs, ys, $"row {axisRow}", where);
        }
        else if (CellRange.ParseCell(cell) is var (r0, c0))
        {
            int axisColumn = CellRange.ParseColumn(axis)
                ?? throw new ExternalDataException(DiagnosticCodes.DataCellNotFound, $"the axis '{axis}' is neither a row number nor a column letter ({where})",
                    "Give the row of the times (or x values) as a number, e.g. '4', or their column as letters, e.g. 'B'.");
            for (int r = r0; r < sheet.RowCount; r++) { xs.Add(sheet.Number(r, axisColumn)); ys.Add(sheet.Number(r, c0 + k)); }
            TrimTrailingMissing(xs, ys, $"column {axis}", where);
        }
        else
        {
            var axisRange = Named(workbook, sheet, axis);
            var values = Named(workbook, sheet, cell);
            if (axisRange.Rows > 1 && axisRange.Columns > 1)
                throw new ExternalDataException(DiagnosticCodes.DataShapeMismatch, $"the axis '{axis}' ({axisRange}) of {where} is a table, not a row or a column",
                    "Name a single row or column of times (or x values).");
            bool across = axisRange.Columns > 1;
            int points = across ? axisRange.Columns : axisRange.Rows;
            var (valuePoints, valueElements) = across ? (values.Columns, values.Rows) : (values.Rows, values.Columns);
            if (valuePoints != points || valueElements != size)
                throw new ExternalDataException(DiagnosticCodes.DataShapeMismatch,
                    $"the values '{cell}' ({values}) do not fit the axis '{axis}' ({axisRange}) and the subscripts ({points} points × {size} elements expected) in {where}",
                    "Make the named range of the values as long as the axis, with one row (or column) per element.");
            for (int p = 0; p < points; p++)
            {
                xs.Add(across ? sheet.Number(axisRange.Row, axisRange.Column + p) : sheet.Number(axisRange.Row + p, axisRange.Column));
                ys.Add(across ? sheet.Number(values.Row + k, values.Column + p) : sheet.Number(values.Row + p, values.Column + k));
            }
        }

        // Points whose x is missing are dropped; the rest are sorted by x, which must not repeat.
        var known = Enumerable.Range(0, xs.Count).Where(i => !double.IsNaN(xs[i])).OrderBy(i => xs[i]).ToList();
        if (known.Count == 0)
            throw new ExternalDataException(DiagnosticCodes.DataCellNotFound, $"the axis '{axis}' in {where} holds no number", "Point the axis at the cells holding the times (or x values).");
        var x = known.Select(i => xs[i]).ToArray();
        var y = known.Select(i => ys[i]).ToArray();
        for (int i = 1; i < x.Length; i++)
            if (x[i] == x[i - 1])
                throw new ExternalDataException(DiagnosticCodes.DataShapeMismatch, $"the axis '{axis}' in {where} has {x[i].ToString(CultureInfo.InvariantCulture)} twice",
                    "Each time (or x value) may appear once.");
        if (y.All(double.IsNaN))
            throw new ExternalDataException(DiagnosticCodes.DataValueNotNumber, $"the values of '{cell}' (element {k + 1}) in {where} hold no number",
                "Put the element's values in the cells, or correct the cell argument.");
        if (rule != DataRule.Raw) FillMissing(x, y, rule);
        return Graph(x, y, rule);
    }

    /// <summary>GET DIRECT SUBSCRIPT: the elements a subscript range reads from a file.</summary>
    public List<string> Subscript(string file, string sheetName, string first, string last, string prefix)
    {
        var (workbook, sheet) = Open(file, sheetName);
        string where = $"sheet '{sheet.Name}' of '{workbook.Path}'";
        int r0, c0, r1 = sheet.RowCount - 1, c1 = sheet.ColumnCount - 1;
        if (CellRange.ParseCell(first) is var (fr, fc))
        {
            (r0, c0) = (fr, fc);
            last = last.Trim();
            if (last.Length == 0) { }
            else if (CellRange.ParseCell(last) is var (lr, lc)) (r1, c1) = (lr, lc);
            else if (int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var lastRow) && lastRow >= 1) r1 = lastRow - 1;
            else if (CellRange.ParseColumn(last) is { } lastColumn) c1 = lastColumn;
            else
                throw new ExternalDataException(DiagnosticCodes.DataCellNotFound, $"the last cell '{last}' is not a cell, a row number or a column ({where})",
                    "Give the last cell (e.g. 'D3'), a row number, a column letter, or ''.");
        }
        else
        {
            var range = Named(workbook, sheet, first);
            (r0, c0, r1, c1) = (range.Row, range.Column, range.Row + range.Rows - 1, range.Column + range.Columns - 1);
        }
        var elements = new List<string>();
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++)
                if (sheet.Cell(r, c) is { } value)
                    elements.Add(prefix + (value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : value.ToString()!.Trim()));
        if (elements.Count == 0)
            throw new ExternalDataException(DiagnosticCodes.DataCellNotFound, $"the cells {first}…{last} of {where} are empty",
                "Point GET DIRECT SUBSCRIPT at the cells that hold the elements' names.");
        return elements;
    }

    private (Workbook, Sheet) Open(string file, string sheetName)
    {
        if (file.StartsWith('?'))
            throw new ExternalDataException(DiagnosticCodes.DataFileNotFound, $"'{file}' is an indirect file name (set in Vensim's options), which LoopSim cannot resolve",
                "Write the file's name in the GET function, e.g. 'inputs.xlsx'.");
        var path = Path.GetFullPath(Path.Combine(modelFolder ?? ".", file));
        // In a text table the sheet argument, when it starts with a symbol, is the separator (',' or '\t').
        char? separator = sheetName.Length > 0 && !char.IsLetterOrDigit(sheetName[0]) ? (sheetName == "\\t" ? '\t' : sheetName[0]) : null;
        if (!_files.TryGetValue((path, separator), out var workbook))
            _files[(path, separator)] = workbook = Workbook.Load(path, separator);
        return (workbook, workbook.Sheet(sheetName));
    }

    private static CellRange Named(Workbook workbook, Sheet sheet, string name) =>
        workbook.Named(sheet.Name, name) ?? throw new ExternalDataException(DiagnosticCodes.DataCellNotFound,
            $"'{name}' is neither a cell (such as B5) nor a named range of sheet '{sheet.Name}' in '{workbook.Path}'",
            workbook.IsSpreadsheet && Path.GetExtension(workbook.Path).Equals(".xls", StringComparison.OrdinalIgnoreCase)
                ? "Give the top-left cell: LoopSim reads named ranges from .xlsx files only."
                : "Give the top-left cell, or define the name in the spreadsheet (for this sheet or the whole workbook).");

    private static (int Row, int Column) Cell(string cell, string where) =>
        CellRange.ParseCell(cell) ?? throw new ExternalDataException(DiagnosticCodes.DataCellNotFound, $"'{cell}' is not a cell such as B5 ({where})",
            "With an axis given by row or column, the last argument is the top-left cell of the values.");

    /// <summary>
    /// The table a GET function reads for the left-hand side's subscripts: the ranges with more than one element
    /// (at most <paramref name="dimensions"/> of them) make rows × columns, and the element is entry k, counted by rows.
    /// </summary>
    private static (int Rows, int Columns, int K) Table(IReadOnlyList<int> sizes, IReadOnlyList<int> indices, int dimensions, string file, string cell)
    {
        var wide = Enumerable.Range(0, sizes.Count).Where(i => sizes[i] > 1).ToList();
        if (wide.Count > dimensions)
            throw new ExternalDataException(DiagnosticCodes.DataShapeMismatch,
                $"'{file}', '{cell}': a GET function reads {(dimensions == 1 ? "one subscript range" : "two subscript ranges")} with several elements at most, but the left-hand side has {wide.Count}",
                "Write one equation per element of the extra ranges (x[a1, r, c] = GET …, x[a2, r, c] = GET …), each pointing at its own cells.");
        int k = 0;
        foreach (var i in wide) k = k * sizes[i] + indices[i];
        int columns = wide.Count == 0 ? 1 : sizes[wide[^1]];
        int rows = wide.Count == 2 ? sizes[wide[0]] : 1;
        return (rows, columns, k);
    }

    private static void TrimTrailingMissing(List<double> xs, List<double> ys, string axis, string where)
    {
        int end = xs.Count;
        while (end > 0 && double.IsNaN(xs[end - 1])) end--;
        if (end == 0)
            throw new ExternalDataException(DiagnosticCodes.DataCellNotFound, $"the axis ({axis}) in {where} holds no number from the values' first column on",
                "Point the axis at the row (or column) of the times or x values, and the cell at the first value.");
        xs.RemoveRange(end, xs.Count - end);
        ys.RemoveRange(end, ys.Count - end);
    }

    /// <summary>Missing values take the nearest known value outside the known points, else the rule's value between them.</summary>
    public static void FillMissing(double[] x, double[] y, DataRule rule)
    {
        var known = Enumerable.Range(0, y.Length).Where(i => !double.IsNaN(y[i])).ToArray();
        for (int i = 0; i < y.Length; i++)
        {
            if (!double.IsNaN(y[i])) continue;
            int after = Array.FindIndex(known, j => x[j] >= x[i]);
            if (after < 0) y[i] = y[known[^1]];
            else if (after == 0) y[i] = y[known[0]];
            else
            {
                int a = known[after - 1], b = known[after];
                y[i] = rule switch
                {
                    DataRule.HoldBackward => y[a],
                    DataRule.LookForward => y[b],
                    _ => y[a] + (y[b] - y[a]) * (x[i] - x[a]) / (x[b] - x[a]),
                };
            }
        }
    }

    /// <summary>
    /// The series as a lookup table of x (TIME for data) with the rule's meaning between points, outside them the end
    /// values: Interpolate is a continuous table; Hold backward a step table; Look forward a step table whose steps
    /// start just after each point (so a point's value holds from the previous point on); Raw a step table that is
    /// Vensim's :NA: just after each point, so only the points themselves have values (a missing one is :NA: too).
    /// </summary>
    public static GraphicalFunction Graph(double[] x, double[] y, DataRule rule)
    {
        switch (rule)
        {
            case DataRule.HoldBackward:
                return new GraphicalFunction(GraphType.Discrete, x, y);
            case DataRule.LookForward:
                return new GraphicalFunction(GraphType.Discrete, x.Select((v, i) => i == 0 ? v : Math.BitIncrement(x[i - 1])).ToArray(), y);
            case DataRule.Raw:
            {
                var steps = new List<double>();
                var values = new List<double>();
                for (int i = 0; i < x.Length; i++)
                {
                    steps.Add(x[i]);
                    values.Add(double.IsNaN(y[i]) ? MdlParser.NotAvailable : y[i]);
                    if (i + 1 < x.Length) { steps.Add(Math.BitIncrement(x[i])); values.Add(MdlParser.NotAvailable); }
                }
                return new GraphicalFunction(GraphType.Discrete, steps.ToArray(), values.ToArray());
            }
            default:
                return new GraphicalFunction(GraphType.Continuous, x, y);
        }
    }
}
