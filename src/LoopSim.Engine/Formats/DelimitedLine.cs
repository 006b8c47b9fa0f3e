using System.Text;

namespace LoopSim.Engine.Formats;

/// <summary>One line of a .csv or .tab file, split into its cells: the one splitter of every text table LoopSim reads.</summary>
public static class DelimitedLine
{
    /// <summary>
    /// The cells of <paramref name="line"/>, trimmed. A cell whose first character other than a space is a double quote
    /// may hold the separator, and "" in it is a quote (RFC 4180, with the spaces that tools write after a separator).
    /// </summary>
    public static List<string> Split(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"' && cell.ToString().Trim().Length == 0) { cell.Clear(); quoted = true; }
            else if (c == separator) { cells.Add(cell.ToString().Trim()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString().Trim());
        return cells;
    }
}
