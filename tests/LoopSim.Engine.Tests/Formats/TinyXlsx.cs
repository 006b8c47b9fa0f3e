using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace LoopSim.Engine.Tests.Formats;

/// <summary>
/// Writes the smallest .xlsx a spreadsheet reader accepts (content types, relationships, a workbook with its sheets and
/// named ranges, one worksheet part per sheet with numbers and inline texts), so tests own their spreadsheets.
/// </summary>
internal static class TinyXlsx
{
    /// <summary>A named range: its name, the sheet it is local to (index) or null for the workbook, and what it refers to ("Sheet1!$B$2:$D$2").</summary>
    public sealed record Name(string Text, int? LocalSheet, string RefersTo);

    public static void Write(string path, IReadOnlyList<(string Sheet, Dictionary<string, object> Cells)> sheets, IReadOnlyList<Name>? names = null)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Part(string name, string xml)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + xml);
        }
        const string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        Part("[Content_Types].xml",
            "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" +
            "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
            "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
            string.Concat(sheets.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>")) +
            "</Types>");
        Part("_rels/.rels",
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            $"<Relationship Id=\"rId1\" Type=\"{relationships}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        Part("xl/_rels/workbook.xml.rels",
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            string.Concat(sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"{relationships}/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>")) +
            "</Relationships>");
        var definedNames = names is null or { Count: 0 } ? "" : "<definedNames>" + string.Concat(names.Select(n =>
            $"<definedName name=\"{n.Text}\"{(n.LocalSheet is { } local ? $" localSheetId=\"{local}\"" : "")}>{SecurityElement.Escape(n.RefersTo)}</definedName>")) + "</definedNames>";
        Part("xl/workbook.xml",
            $"<workbook xmlns=\"{main}\" xmlns:r=\"{relationships}\"><sheets>" +
            string.Concat(sheets.Select((s, i) => $"<sheet name=\"{SecurityElement.Escape(s.Sheet)}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>")) +
            "</sheets>" + definedNames + "</workbook>");
        for (int i = 0; i < sheets.Count; i++)
        {
            var rows = sheets[i].Cells.GroupBy(c => RowOf(c.Key)).OrderBy(g => g.Key);
            var data = string.Concat(rows.Select(row => $"<row r=\"{row.Key}\">" + string.Concat(row.OrderBy(c => c.Key.Length).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value switch
            {
                string text => $"<c r=\"{c.Key}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(text)}</t></is></c>",
                var number => $"<c r=\"{c.Key}\"><v>{Convert.ToDouble(number, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)}</v></c>",
            })) + "</row>"));
            Part($"xl/worksheets/sheet{i + 1}.xml", $"<worksheet xmlns=\"{main}\"><sheetData>{data}</sheetData></worksheet>");
        }
    }

    private static int RowOf(string cell) => int.Parse(cell.AsSpan(cell.TakeWhile(char.IsAsciiLetter).Count()), CultureInfo.InvariantCulture);
}
