using System.Text;

namespace LoopSim.Engine.Model;

/// <summary>XMILE identifier rules: case-insensitive, spaces, underscores and newlines equivalent, quotes optional.</summary>
public static class Names
{
    /// <summary>The canonical form used for look-ups: lower case, runs of space/underscore/newline (also the escape "\n") as one '_', no surrounding quotes.</summary>
    public static string Canonical(string name)
    {
        var s = name.Trim();
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"') s = s[1..^1];
        s = s.Replace("\\n", " ").Replace("\\\"", "\"");
        var sb = new StringBuilder(s.Length);
        bool pendingSeparator = false;
        foreach (var c in s)
        {
            if (c == ' ' || c == '_' || c == '\n' || c == '\r' || c == '\t' || c == '\u00A0')
            {
                pendingSeparator = sb.Length > 0;
                continue;
            }
            if (pendingSeparator) { sb.Append('_'); pendingSeparator = false; }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>A one-line display form of a name (newlines and escaped newlines become spaces).</summary>
    public static string Display(string name) =>
        string.Join(' ', name.Replace("\\n", " ").Split(Blanks, StringSplitOptions.RemoveEmptyEntries));

    private static readonly char[] Blanks = [' ', '\n', '\r', '\t'];

    /// <summary>Up to <paramref name="max"/> candidates close to <paramref name="name"/> (edit distance), best first.</summary>
    public static IReadOnlyList<string> Suggest(string name, IEnumerable<string> candidates, int max = 3)
    {
        var target = Canonical(name);
        return candidates
            .Select(c => (c, d: Distance(target, Canonical(c))))
            .Where(x => x.d <= Math.Max(2, target.Length / 3) || Canonical(x.c).Contains(target) || (target.Length > 3 && target.Contains(Canonical(x.c))))
            .OrderBy(x => x.d).ThenBy(x => x.c, StringComparer.Ordinal)
            .Select(x => x.c).Distinct().Take(max).ToList();
    }

    /// <summary>"Did you mean 'a', 'b'?" for the candidates close to <paramref name="name"/>, or null when none is close.</summary>
    public static string? DidYouMean(string name, IEnumerable<string> candidates)
    {
        var close = Suggest(name, candidates);
        return close.Count == 0 ? null : $"Did you mean {string.Join(", ", close.Select(c => "'" + Display(c) + "'"))}?";
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
