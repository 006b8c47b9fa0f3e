using MathNet.Numerics.Distributions;

namespace LoopSim.Experiments.Discovery;

/// <summary>One box of a peeling trajectory: its limits per parameter, the cases inside and how many of them are of interest.</summary>
public sealed record PrimBox(double[] Low, double[] High, int Cases, int Interesting, double Coverage, double Density, double Mass, int Restricted);

/// <summary>A restricted parameter of the chosen box, with the one-sided binomial p-value of its restriction.</summary>
public sealed record PrimLimit(string Parameter, double Low, double High, double FullLow, double FullHigh, double PValue);

public sealed record PrimOptions
{
    /// <summary>The share of the box's cases one peel removes (Friedman and Fisher's α).</summary>
    public double Alpha { get; init; } = 0.05;
    /// <summary>Peeling stops before a box would hold less than this share of all cases.</summary>
    public double MinMass { get; init; } = 0.05;
    /// <summary>The box chosen is the first on the trajectory whose density reaches this; if none does, the densest.</summary>
    public double Threshold { get; init; } = 0.8;
}

public sealed record PrimResult(IReadOnlyList<string> Parameters, IReadOnlyList<PrimBox> Trajectory, int Chosen, IReadOnlyList<PrimLimit> Limits, bool[] Inside)
{
    public PrimBox Box => Trajectory[Chosen];
}

/// <summary>
/// The Patient Rule Induction Method (Friedman and Fisher 1999, "Bump hunting in high-dimensional data", Statistics
/// and Computing 9, 123–143), as scenario discovery uses it (Bryant and Lempert 2010; the EMA Workbench): starting
/// from the box around all cases, repeatedly peel off the α share of the box's cases at the low or high end of one
/// parameter, choosing the peel that leaves the highest share of cases of interest (density), until the box would
/// hold less than the minimum mass. The trajectory trades coverage (the share of all cases of interest inside the box)
/// against density. Pasting (re-expanding the box) is not done: on the designs here it rarely moves a limit by more
/// than one peel. A restriction's significance is the binomial probability of seeing at least the box's cases of
/// interest among its cases if the restriction were dropped (the EMA Workbench's quasi-p-value).
/// </summary>
public static class Prim
{
    /// <param name="x">n × k inputs, row-major.</param>
    /// <param name="y">Whether each case is of interest.</param>
    public static PrimResult Run(double[] x, bool[] y, IReadOnlyList<string> parameters, PrimOptions? options = null)
    {
        options ??= new PrimOptions();
        int n = y.Length, k = parameters.Count;
        if (x.Length != (long)n * k) throw new ArgumentException($"{x.Length} inputs for {n} cases of {k} parameters.");
        if (n == 0) throw new ArgumentException("PRIM needs cases.");
        int total = y.Count(v => v);
        var fullLow = new double[k];
        var fullHigh = new double[k];
        for (int d = 0; d < k; d++)
        {
            fullLow[d] = double.PositiveInfinity; fullHigh[d] = double.NegativeInfinity;
            for (int i = 0; i < n; i++) { fullLow[d] = Math.Min(fullLow[d], x[i * k + d]); fullHigh[d] = Math.Max(fullHigh[d], x[i * k + d]); }
        }

        var low = (double[])fullLow.Clone();
        var high = (double[])fullHigh.Clone();
        var inside = Enumerable.Range(0, n).ToList();
        var trajectory = new List<PrimBox> { MakeBox(low, high, inside, y, total, n, fullLow, fullHigh) };
        int minCases = (int)Math.Ceiling(options.MinMass * n);
        var values = new double[n];
        while (true)
        {
            int count = inside.Count;
            int remove = Math.Max(1, (int)Math.Floor(options.Alpha * count));
            (double Density, int Kept, int Dim, bool Upper, double Limit)? best = null;
            for (int d = 0; d < k; d++)
            {
                for (int i = 0; i < count; i++) values[i] = x[inside[i] * k + d];
                Array.Sort(values, 0, count);
                foreach (bool upper in new[] { false, true })
                {
                    double limit = upper ? values[count - 1 - remove] : values[remove];
                    int kept = 0, interesting = 0;
                    foreach (int i in inside)
                    {
                        double v = x[i * k + d];
                        if (upper ? v <= limit : v >= limit) { kept++; if (y[i]) interesting++; }
                    }
                    if (kept == count || kept < minCases) continue;   // ties remove nothing; or the box would get too small
                    double density = (double)interesting / kept;
                    if (best is null || density > best.Value.Density || (density == best.Value.Density && kept > best.Value.Kept))
                        best = (density, kept, d, upper, limit);
                }
            }
            if (best is not { } peel) break;
            if (peel.Upper) high[peel.Dim] = peel.Limit; else low[peel.Dim] = peel.Limit;
            inside = inside.Where(i => x[i * k + peel.Dim] >= low[peel.Dim] && x[i * k + peel.Dim] <= high[peel.Dim]).ToList();
            trajectory.Add(MakeBox(low, high, inside, y, total, n, fullLow, fullHigh));
        }

        int chosen = trajectory.FindIndex(b => b.Density >= options.Threshold);
        if (chosen < 0) chosen = trajectory.Select((b, i) => (b.Density, i)).MaxBy(t => t.Density).i;
        var box = trajectory[chosen];
        var limits = new List<PrimLimit>();
        for (int d = 0; d < k; d++)
        {
            if (box.Low[d] <= fullLow[d] && box.High[d] >= fullHigh[d]) continue;
            // The box without this restriction: how likely is the chosen box's count of cases of interest by chance?
            int relaxedCases = 0, relaxedInteresting = 0;
            for (int i = 0; i < n; i++)
            {
                bool within = true;
                for (int e = 0; e < k && within; e++)
                    if (e != d && (x[i * k + e] < box.Low[e] || x[i * k + e] > box.High[e])) within = false;
                if (within) { relaxedCases++; if (y[i]) relaxedInteresting++; }
            }
            double p = relaxedCases == 0 ? 0 : (double)relaxedInteresting / relaxedCases;
            double pValue = box.Interesting == 0 ? 1 : 1 - Binomial.CDF(p, box.Cases, box.Interesting - 1);
            limits.Add(new PrimLimit(parameters[d], box.Low[d], box.High[d], fullLow[d], fullHigh[d], Math.Clamp(pValue, 0, 1)));
        }
        var insideChosen = new bool[n];
        for (int i = 0; i < n; i++)
        {
            bool within = true;
            for (int d = 0; d < k && within; d++)
                if (x[i * k + d] < box.Low[d] || x[i * k + d] > box.High[d]) within = false;
            insideChosen[i] = within;
        }
        return new PrimResult(parameters, trajectory, chosen, limits, insideChosen);
    }

    private static PrimBox MakeBox(double[] low, double[] high, List<int> inside, bool[] y, int total, int n, double[] fullLow, double[] fullHigh)
    {
        int interesting = inside.Count(i => y[i]);
        int restricted = Enumerable.Range(0, low.Length).Count(d => low[d] > fullLow[d] || high[d] < fullHigh[d]);
        return new PrimBox((double[])low.Clone(), (double[])high.Clone(), inside.Count, interesting,
            total == 0 ? 0 : (double)interesting / total, inside.Count == 0 ? 0 : (double)interesting / inside.Count, (double)inside.Count / n, restricted);
    }
}
