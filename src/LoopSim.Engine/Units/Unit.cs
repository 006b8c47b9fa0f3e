using System.Text;

namespace LoopSim.Engine.Units;

/// <summary>
/// A unit in canonical form: a product of base units, each to a whole power (person¹·week⁻¹), with no scale factor.
/// Base units are named by <see cref="UnitNames.Canonical"/> (lower case, singular), so "People/Weeks" and
/// "person/week" are one unit. Two units are equal when their powers are; the empty product is dimensionless.
/// </summary>
public sealed class Unit : IEquatable<Unit>
{
    /// <summary>Base unit → power, without zero powers, in ordinal order of the names.</summary>
    private readonly KeyValuePair<string, int>[] _powers;

    private Unit(IEnumerable<KeyValuePair<string, int>> powers) =>
        _powers = powers.Where(p => p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();

    public static Unit Dimensionless { get; } = new([]);

    /// <summary>One base unit to the first power; <paramref name="name"/> is already canonical.</summary>
    public static Unit Base(string name) => new([new(name, 1)]);

    public IReadOnlyList<KeyValuePair<string, int>> Powers => _powers;

    public bool IsDimensionless => _powers.Length == 0;

    public static Unit operator *(Unit a, Unit b) => Combine(a, b, 1);

    public static Unit operator /(Unit a, Unit b) => Combine(a, b, -1);

    public static Unit Multiply(Unit a, Unit b) => a * b;

    public static Unit Divide(Unit a, Unit b) => a / b;

    /// <summary>This unit to a whole power.</summary>
    public Unit Pow(int power) => new(_powers.Select(p => new KeyValuePair<string, int>(p.Key, checked(p.Value * power))));

    /// <summary>The <paramref name="n"/>-th root, or null when a power is not divisible by n (the square root of a person).</summary>
    public Unit? Root(int n) =>
        _powers.All(p => p.Value % n == 0) ? new(_powers.Select(p => new KeyValuePair<string, int>(p.Key, p.Value / n))) : null;

    private static Unit Combine(Unit a, Unit b, int sign)
    {
        var powers = a._powers.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (name, power) in b._powers)
            powers[name] = powers.GetValueOrDefault(name) + sign * power;
        return new(powers);
    }

    public bool Equals(Unit? other) => other is not null && _powers.AsSpan().SequenceEqual(other._powers);

    public override bool Equals(object? obj) => Equals(obj as Unit);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in _powers) hash.Add(p);
        return hash.ToHashCode();
    }

    public static bool operator ==(Unit? a, Unit? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(Unit? a, Unit? b) => !(a == b);

    /// <summary>"person/week", "CNY/(person*week)", "1/week", "week^2", "dimensionless"; names by <paramref name="display"/> (default: canonical).</summary>
    public string ToString(Func<string, string>? display)
    {
        if (IsDimensionless) return "dimensionless";
        display ??= name => name;
        string Term(KeyValuePair<string, int> p, int sign) => display(p.Key) + (sign * p.Value == 1 ? "" : "^" + sign * p.Value);
        var numerator = _powers.Where(p => p.Value > 0).Select(p => Term(p, 1)).ToList();
        var denominator = _powers.Where(p => p.Value < 0).Select(p => Term(p, -1)).ToList();
        var text = new StringBuilder(numerator.Count == 0 ? "1" : string.Join("*", numerator));
        if (denominator.Count == 1) text.Append('/').Append(denominator[0]);
        else if (denominator.Count > 1) text.Append("/(").Append(string.Join("*", denominator)).Append(')');
        return text.ToString();
    }

    public override string ToString() => ToString(null);
}
