using System.Buffers;
using System.Net;
using System.Text;

namespace LoopSim.Reports;

/// <summary>
/// One self-contained HTML page (report.html): headings, paragraphs, tables and PNG charts embedded as data URIs, with
/// no script and no outside resource, so it opens offline and travels as one attachment. Text is HTML-encoded; the
/// font list starts with CJK fonts so Chinese labels render where one is installed. The same inputs give the same
/// bytes (nothing depends on the clock), so a merged run's report equals an unsharded run's.
/// </summary>
public sealed class HtmlReport
{
    private const string Style = """
        body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
               margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
        h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
        .meta { color: #666; }
        table { border-collapse: collapse; margin: .8rem 0; }
        th, td { padding: .25rem .7rem; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        th { background: #f3f3f3; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1rem; }
        figure { margin: 0; } figure img { width: 100%; height: auto; border: 1px solid #ddd; }
        figcaption { font-size: .85rem; color: #555; }
        """;

    // The page's text up to each chart, the chart, and the text after the last one in _body: a chart is read and encoded
    // only as the page is written, so the page (megabytes of base64) is never held whole in memory.
    private readonly List<(string TextBefore, string PngPath)> _parts = [];
    private readonly StringBuilder _body = new();

    public HtmlReport(string title, string? subtitle = null)
    {
        Title = title;
        _body.Append("<h1>").Append(Encode(title)).Append("</h1>\n");
        if (subtitle is not null) _body.Append("<p class=\"meta\">").Append(Encode(subtitle)).Append("</p>\n");
    }

    public string Title { get; }

    public HtmlReport Heading(string text)
    {
        _body.Append("<h2>").Append(Encode(text)).Append("</h2>\n");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A table of text cells; a cell that reads as a number is right-aligned.</summary>
    public HtmlReport Table(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        _body.Append("<table>");
        if (caption is not null) _body.Append("<caption>").Append(Encode(caption)).Append("</caption>");
        _body.Append("\n<thead><tr>");
        foreach (var column in columns) _body.Append("<th>").Append(Encode(column)).Append("</th>");
        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row)
                _body.Append(LooksNumeric(cell) ? "<td class=\"number\">" : "<td>").Append(Encode(cell)).Append("</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>A console summary table as an HTML table, its cells formatted as on the console.</summary>
    public HtmlReport Table(SummaryTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Table(table.Columns, table.Rows.Select(r => (IReadOnlyList<string>)r.Select(c => c.ToString()).ToList()), table.Title);
    }

    /// <summary>PNG files, embedded, in a grid; each with its caption.</summary>
    public HtmlReport Images(IEnumerable<(string Caption, string PngPath)> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        _body.Append("<div class=\"charts\">\n");
        foreach (var (caption, path) in images)
        {
            _body.Append("<figure><img alt=\"").Append(Encode(caption)).Append("\" src=\"data:image/png;base64,");
            _parts.Add((_body.ToString(), path));
            _body.Clear();
            _body.Append("\"><figcaption>").Append(Encode(caption)).Append("</figcaption></figure>\n");
        }
        _body.Append("</div>\n");
        return this;
    }

    /// <summary>Writes the page to <paramref name="path"/>, all or nothing (UTF-8 without byte order mark).</summary>
    public void Save(string path, CancellationToken cancellationToken = default) =>
        AtomicFile.Write(path, stream =>
        {
            using var page = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            page.Write($"<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{Encode(Title)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n");
            foreach (var (text, png) in _parts)
            {
                page.Write(text);
                WriteBase64(page, File.ReadAllBytes(png));
            }
            page.Write(_body);
            page.Write("</body>\n</html>\n");
        }, cancellationToken);

    private static void WriteBase64(TextWriter page, byte[] bytes)
    {
        char[] chars = ArrayPool<char>.Shared.Rent((bytes.Length + 2) / 3 * 4);
        try
        {
            Convert.TryToBase64Chars(bytes, chars, out int written);
            page.Write(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static bool LooksNumeric(string cell) =>
        cell.Length > 0 && (char.IsDigit(cell[0]) || (cell[0] is '-' or '−' && cell.Length > 1 && char.IsDigit(cell[1])));
}
