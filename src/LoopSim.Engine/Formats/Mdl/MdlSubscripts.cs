using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;

namespace LoopSim.Engine.Formats.Mdl;

/// <summary>
/// A .mdl file's subscript ranges, resolved: each range's elements in order (ranges written from other ranges
/// expanded; an equivalent range, A &lt;-&gt; B, has B's elements), and the mappings between ranges (A: a1, a2 -&gt; B maps
/// a1 to B's first element, a2 to its second). An arrayed variable is read as one scalar variable per element,
/// named "name[e1,e2]"; this class says which elements a subscript stands for.
/// </summary>
internal sealed class MdlSubscripts
{
    private sealed record Range(string Display, List<string> Elements, MdlSubscriptRange Source);

    private readonly Dictionary<string, Range> _ranges = new();
    private readonly Dictionary<string, string> _elementDisplay = new();
    /// <summary>(from range, to range) → for each element of "from", the element of "to" it maps to.</summary>
    private readonly Dictionary<(string From, string To), IReadOnlyList<string?>> _mappings = new();

    /// <param name="fromFile">The elements of a range read from a file (GET DIRECT SUBSCRIPT), or null after reporting why not.</param>
    public MdlSubscripts(IEnumerable<MdlSubscriptRange> ranges, MdlSource source, List<Diagnostic> problems, Func<MdlSubscriptRange, List<string>?> fromFile)
    {
        var pending = ranges.ToList();
        var written = pending.GroupBy(r => r.Name.Canonical).ToDictionary(g => g.Key, g => g.First());
        foreach (var duplicate in pending.GroupBy(r => r.Name.Canonical).Where(g => g.Count() > 1))
            problems.Add(new Diagnostic(DiagnosticCodes.DuplicateName, $"the subscript range '{duplicate.First().Name.Name}' is defined twice",
                source.At(duplicate.Skip(1).First().Start), null, "Remove one of the definitions."));

        // Ranges may be written from ranges defined further down: resolve on demand, refusing cycles.
        var resolving = new HashSet<string>();
        Range? Resolve(string canonical)
        {
            if (_ranges.TryGetValue(canonical, out var done)) return done;
            if (!written.TryGetValue(canonical, out var range) || !resolving.Add(canonical)) return null;
            var elements = new List<string>();
            if (range.Definition is not null)
            {
                foreach (var element in fromFile(range) ?? [])
                {
                    elements.Add(Names.Canonical(element));
                    _elementDisplay.TryAdd(Names.Canonical(element), element);
                }
            }
            else if (range.EquivalentTo is { } other)
            {
                if (Resolve(other.Canonical) is { } target) elements.AddRange(target.Elements);
                else problems.Add(new Diagnostic(DiagnosticCodes.UnknownName, $"'{range.Name.Name} <-> {other.Name}': '{other.Name}' is not a subscript range",
                    source.At(range.Start), null, "Define the range it is equivalent to."));
            }
            else
            {
                foreach (var element in range.Elements)
                {
                    if (element.Canonical != canonical && written.ContainsKey(element.Canonical) && Resolve(element.Canonical) is { } sub)
                        elements.AddRange(sub.Elements);
                    else
                    {
                        elements.Add(element.Canonical);
                        _elementDisplay.TryAdd(element.Canonical, element.Name.Trim('"'));
                    }
                }
            }
            resolving.Remove(canonical);
            var resolved = new Range(range.Name.Name.Trim('"'), elements.Distinct().ToList(), range);
            _ranges[canonical] = resolved;
            return resolved;
        }
        foreach (var canonical in written.Keys) Resolve(canonical);

        foreach (var range in _ranges.Values)
        {
            if (range.Source.EquivalentTo is { } other)
            {
                AddMapping(range.Source.Name.Canonical, other.Canonical, null);
                AddMapping(other.Canonical, range.Source.Name.Canonical, null);
            }
            foreach (var mapping in range.Source.Mappings)
            {
                if (!_ranges.ContainsKey(mapping.Target.Canonical))
                {
                    problems.Add(new Diagnostic(DiagnosticCodes.UnknownName, $"'{range.Display}' maps to '{mapping.Target.Name}', which is not a subscript range",
                        source.At(range.Source.Start), null, "Define the range it maps to."));
                    continue;
                }
                var to = mapping.Elements.Count == 0 ? null : mapping.Elements.Select(e => e.Canonical).ToList();
                if (!AddMapping(range.Source.Name.Canonical, mapping.Target.Canonical, to))
                    problems.Add(new Diagnostic(DiagnosticCodes.MdlSyntax,
                        $"'{range.Display}' has {range.Elements.Count} elements and cannot map one to one onto '{mapping.Target.Name}'",
                        source.At(range.Source.Start), null, "A mapped range needs as many elements as the range it maps to."));
            }
        }
    }

    /// <summary>Positional (or listed) correspondence of the elements of two ranges, both ways; false when the counts differ.</summary>
    private bool AddMapping(string from, string to, IReadOnlyList<string>? targets)
    {
        var sources = _ranges[from].Elements;
        targets ??= _ranges[to].Elements;
        if (targets.Count != sources.Count) return false;
        _mappings.TryAdd((from, to), targets);
        // The inverse holds too: an equation over "to" may read a variable subscripted by "from".
        _mappings.TryAdd((to, from), _ranges[to].Elements.Select(t => targets.ToList().IndexOf(t) is var i and >= 0 ? sources[i] : null).ToList());
        return true;
    }

    public bool Any => _ranges.Count > 0;

    public bool IsRange(string canonical) => _ranges.ContainsKey(canonical);

    public bool IsElement(string canonical) => _elementDisplay.ContainsKey(canonical);

    /// <summary>The elements a subscript on a left-hand side stands for: a range's elements, or the one element.</summary>
    public IReadOnlyList<string>? Elements(string canonical) =>
        _ranges.TryGetValue(canonical, out var range) ? range.Elements : IsElement(canonical) ? [canonical] : null;

    /// <summary>
    /// A range or element used as a value (dim1 * Time, IF dim = subrange …, IF dim = B …): the position, from 1, of the element it stands for,
    /// counted in the widest range that holds the named one, so that a subrange and its range agree on an element.
    /// </summary>
    public int? Position(string range, IReadOnlyDictionary<string, string> binding)
    {
        if (Resolve(range, binding) is not { } element) return null;
        IReadOnlyList<string> named = _ranges.TryGetValue(range, out var r) ? r.Elements : [element];
        var widest = _ranges.Values.Where(w => named.All(w.Elements.Contains)).MaxBy(w => w.Elements.Count);
        return widest is null ? null : widest.Elements.IndexOf(element) + 1;
    }

    /// <summary>The elements of the widest range that holds <paramref name="element"/>, or null when no range holds it.</summary>
    public IReadOnlyList<string>? Widest(string element) =>
        _ranges.Values.Where(r => r.Elements.Contains(element)).MaxBy(r => r.Elements.Count)?.Elements;

    /// <summary>
    /// <paramref name="count"/> elements from <paramref name="element"/> on, in the widest range that holds it (a priority
    /// profile, ptype … pextra, named by its first element); null when that range ends before.
    /// </summary>
    public IReadOnlyList<string>? Following(string element, int count)
    {
        if (!IsElement(element)) return null;
        var widest = _ranges.Values.Where(r => r.Elements.Contains(element)).MaxBy(r => r.Elements.Count);
        int at = widest?.Elements.IndexOf(element) ?? -1;
        return at >= 0 && at + count <= widest!.Elements.Count ? widest.Elements.GetRange(at, count) : null;
    }

    public string Display(string element) => _elementDisplay.TryGetValue(element, out var display) ? display : element;

    /// <summary>"name[e1,e2]": the scalar variable standing for one element of an arrayed variable.</summary>
    public string ElementName(string variable, IReadOnlyList<string> tuple) => ArrayFlattener.ElementName(variable, tuple.Select(Display));

    /// <summary>
    /// The element a subscript of a reference stands for, while computing the element <paramref name="binding"/> of an
    /// equation (range → element): an element is itself; a range bound on the left-hand side gives its element; a range
    /// mapped from or to a bound one gives the corresponding element; a range holding a bound element gives that element.
    /// Null when the range is not bound at all.
    /// </summary>
    public string? Resolve(string subscript, IReadOnlyDictionary<string, string> binding)
    {
        if (binding.TryGetValue(subscript, out var bound)) return bound;
        if (!_ranges.TryGetValue(subscript, out var range)) return IsElement(subscript) ? subscript : null;
        foreach (var (dimension, element) in binding)
        {
            if (!_ranges.TryGetValue(dimension, out var boundRange)) continue;
            int index = boundRange.Elements.IndexOf(element);
            if (_mappings.TryGetValue((dimension, subscript), out var targets) && index >= 0 && targets[index] is { } mapped) return mapped;
        }
        foreach (var element in binding.Values)
            if (range.Elements.Contains(element)) return element;
        return null;
    }
}
