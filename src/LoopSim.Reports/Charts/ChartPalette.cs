using System.Text;
using ScottPlot;

namespace LoopSim.Reports;

/// <summary>
/// Colours keyed by name (a city, a scenario, a loop): the same name gets the same colour in
/// every chart drawn with this palette. A new name takes the colour its name hashes to (FNV-1a,
/// so it does not depend on the process), or the next colour no other name holds yet; names
/// passed to the constructor are given colours in order first, which makes a known set (the
/// cities of a scenario) distinct whatever order charts are drawn in. Beyond ten names colours repeat.
/// </summary>
public sealed class ChartPalette
{
    // Tableau 10, with its grey replaced by navy and its yellow and pink darkened, so that every colour
    // stands out as a line on white from the back of a room.
    private static readonly Color[] Colors =
    [
        Color.FromHex("#4E79A7"), Color.FromHex("#F28E2B"), Color.FromHex("#E15759"), Color.FromHex("#76B7B2"),
        Color.FromHex("#59A14F"), Color.FromHex("#C9A227"), Color.FromHex("#B07AA1"), Color.FromHex("#D37295"),
        Color.FromHex("#9C755F"), Color.FromHex("#1F3A5F"),
    ];

    private readonly Dictionary<string, int> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public ChartPalette(IEnumerable<string>? pinnedNames = null)
    {
        foreach (string name in pinnedNames ?? [])
            SlotOf(name);
    }

    public static int Size => Colors.Length;

    public Color ColorOf(string name) => Colors[SlotOf(name)];

    /// <summary>The index of the name's colour (0..<see cref="Size"/>-1).</summary>
    public int SlotOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim();
        lock (_lock)
        {
            if (_slots.TryGetValue(key, out int slot))
                return slot;
            int start = (int)(Fnv1a(key.ToLowerInvariant()) % (uint)Colors.Length);
            slot = start;
            var taken = _slots.Values.ToHashSet();
            for (int i = 0; i < Colors.Length; i++)
            {
                int candidate = (start + i) % Colors.Length;
                if (!taken.Contains(candidate)) { slot = candidate; break; }
            }
            _slots[key] = slot;
            return slot;
        }
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 16777619;
        return hash;
    }
}
