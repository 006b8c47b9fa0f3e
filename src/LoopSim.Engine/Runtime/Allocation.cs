namespace LoopSim.Engine.Runtime;

/// <summary>A builtin computed from all its arguments at once, passed in an array: <see cref="Compilation.Lanes.CallOnArray"/>.</summary>
internal interface IArrayFunction { static abstract double Apply(double[] values, int count); }

/// <summary>Where a call of an <see cref="IArrayFunction"/> puts its arguments: one array per thread, grown once, so runs allocate nothing.</summary>
internal static class ArrayCall
{
    [ThreadStatic] private static double[]? t_arguments;

    public static double[] Arguments(int count)
    {
        if (t_arguments is not { } arguments || arguments.Length < count) t_arguments = arguments = new double[Math.Max(count, 64)];
        return arguments;
    }
}

/// <summary>
/// Vensim's one-to-many allocation (ALLOCATE AVAILABLE, ALLOCATE BY PRIORITY): each requester's demand falls from its
/// request to 0 as a market priority x rises past its own priority, by the shape of its priority profile; the
/// supply is shared at the x where the demands add up to it, found by bisection to the last bit of x. When the
/// supply covers every request, each gets its request. One element of the allocation per call: the model is
/// flattened, so each element solves the (small) market again, without any state.
/// </summary>
internal static class Allocation
{
    /// <summary>Vensim's profile types (ptype) LoopSim knows: 1 rectangular, 2 triangular, 3 normal, 4 exponential.</summary>
    public const int Rectangular = 1, Triangular = 2, Normal = 3, Exponential = 4;

    /// <summary>ALLOCATE AVAILABLE(k, request₁ … requestₙ, profile₁ … profileₙ (type, priority, width, extra each), available): requester k's share.</summary>
    public readonly struct Available : IArrayFunction
    {
        public static double Apply(double[] a, int count)
        {
            int n = (count - 2) / 5;
            return new Market(a, n, Profiles: 1 + n, Priorities: -1, Width: double.NaN).Allocate((int)a[0] - 1, a[count - 1]);
        }
    }

    /// <summary>ALLOCATE BY PRIORITY(k, request₁ … requestₙ, priority₁ … priorityₙ, width, supply): rectangular profiles of one width.</summary>
    public readonly struct ByPriority : IArrayFunction
    {
        public static double Apply(double[] a, int count)
        {
            int n = (count - 3) / 2;
            return new Market(a, n, Profiles: -1, Priorities: 1 + n, Width: a[count - 2]).Allocate((int)a[0] - 1, a[count - 1]);
        }
    }

    /// <summary>
    /// The requesters, read from the arguments: requests from position 1, then either a profile of 4 values each
    /// (<paramref name="Profiles"/>) or a priority each (<paramref name="Priorities"/>) with rectangular profiles of one <paramref name="Width"/>.
    /// </summary>
    private readonly record struct Market(double[] A, int N, int Profiles, int Priorities, double Width)
    {
        private double Request(int i) => A[1 + i];
        private double Type(int i) => Profiles >= 0 ? A[Profiles + 4 * i] : Rectangular;
        private double Priority(int i) => Profiles >= 0 ? A[Profiles + 4 * i + 1] : A[Priorities + i];
        private double WidthOf(int i) => Profiles >= 0 ? A[Profiles + 4 * i + 2] : Width;
        private double Demand(int i, double x) => Allocation.Demand(Request(i), Type(i), Priority(i), WidthOf(i), x);

        public double Allocate(int k, double supply)
        {
            double total = 0, lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = 0; i < N; i++)
            {
                double q = Request(i);
                // Vensim stops at a negative request or supply, a width ≤ 0 or a profile it does not know: NaN here.
                if (!(q >= 0) || !(WidthOf(i) > 0) || !IsKnown(Type(i))) return double.NaN;
                if (q == 0) continue;
                total += q;
                double reach = Reach(Type(i), WidthOf(i));
                lo = Math.Min(lo, Priority(i) - reach);
                hi = Math.Max(hi, Priority(i) + reach);
            }
            if (!(supply >= 0) || double.IsNaN(lo + hi) && total > 0) return double.NaN;
            if (supply >= total) return Request(k);
            if (supply == 0) return 0;
            // demanded(lo) = total > supply > demanded(hi) = 0: halve [lo, hi] until it is two neighbouring doubles.
            while (true)
            {
                double mid = lo + (hi - lo) / 2;
                if (mid <= lo || mid >= hi) break;
                double demanded = 0;
                for (int i = 0; i < N; i++) demanded += Demand(i, mid);
                if (demanded > supply) lo = mid;
                else hi = mid;
            }
            return Demand(k, hi);
        }
    }

    private static bool IsKnown(double type) => type is Rectangular or Triangular or Normal or Exponential;

    /// <summary>How far from its priority a demand reaches: beyond it the demand is its full request (below) or 0 (above), to the last bit.</summary>
    private static double Reach(double type, double width) => type switch
    {
        Rectangular or Triangular => width / 2,
        Normal => 40 * width,          // erfc(40 / √2) underflows to 0
        _ => 750 * width,              // exp(−750) underflows to 0
    };

    /// <summary>What a requester takes at market priority x: its request times the share of its profile's distribution above x.</summary>
    public static double Demand(double request, double type, double priority, double width, double x)
    {
        if (request == 0) return 0;
        double z = x - priority, half = width / 2;
        return type switch
        {
            Rectangular => z <= -half ? request : z >= half ? 0 : request * (0.5 - z / width),
            Triangular => z <= -half ? request
                : z < 0 ? request * (1 - 2 * (z + half) * (z + half) / (width * width))
                : z < half ? request * 2 * (half - z) * (half - z) / (width * width)
                : 0,
            Normal => request * 0.5 * Erfc(z / (Math.Sqrt(2) * width)),
            _ => z < 0 ? request * (1 - 0.5 * DeterministicMath.Exp(z / width)) : request * 0.5 * DeterministicMath.Exp(-z / width),
        };
    }

    /// <summary>
    /// The complementary error function to about 1e-15: the Maclaurin series of erf for |x| &lt; 2, the continued fraction
    /// of erfc (evaluated by Lentz's method) beyond, and erfc(−x) = 2 − erfc(x).
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 0) return 2 - Erfc(-x);
        if (x < 2)
        {
            // erf(x) = 2/√π Σ (−1)ⁿ x²ⁿ⁺¹ / (n! (2n + 1))
            double term = x, sum = x, x2 = x * x;
            for (int n = 1; n < 100 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
            {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        if (x > 27) return 0;
        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int m = 1; m < 500; m++)
        {
            double numerator = m / 2.0;
            d = x + numerator * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = x + numerator / c;
            if (Math.Abs(c) < tiny) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return DeterministicMath.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
