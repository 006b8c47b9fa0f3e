using System.Runtime.Intrinsics;
using LoopSim.Engine.Runtime;
using Xunit.Abstractions;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>
/// EXP against the correctly rounded e^x (<see cref="ExpReference"/>): within 1 ulp on 10⁷ random arguments and on
/// the edges (±0, ±∞, NaN, subnormal arguments, the overflow, underflow and subnormal-result thresholds), and the
/// vector form equal to the scalar one lane for lane. The 10⁷-argument test prints how often the result is the
/// correctly rounded one and how far it is from Math.Exp.
/// </summary>
public class DeterministicMathTests(ITestOutputHelper output)
{
    private const int Arguments = 10_000_000, Chunks = 200;

    private sealed class Tally
    {
        public long Count, NotCorrectlyRounded, DiffersFromMathExp, MathExpNotCorrectlyRounded;
        public double WorstError, WorstErrorAt, WorstNormalError, MathExpWorstError, WorstDistanceFromMathExp;

        public void Add(Tally t)
        {
            Count += t.Count;
            NotCorrectlyRounded += t.NotCorrectlyRounded;
            DiffersFromMathExp += t.DiffersFromMathExp;
            MathExpNotCorrectlyRounded += t.MathExpNotCorrectlyRounded;
            if (t.WorstError > WorstError) (WorstError, WorstErrorAt) = (t.WorstError, t.WorstErrorAt);
            WorstNormalError = Math.Max(WorstNormalError, t.WorstNormalError);
            MathExpWorstError = Math.Max(MathExpWorstError, t.MathExpWorstError);
            WorstDistanceFromMathExp = Math.Max(WorstDistanceFromMathExp, t.WorstDistanceFromMathExp);
        }
    }

    [Fact]
    public void Exp_is_within_one_ulp_of_the_correctly_rounded_value_on_ten_million_random_arguments()
    {
        var total = new Tally();
        Parallel.For(0, Chunks, () => new Tally(), (chunk, _, tally) =>
        {
            ulong state = 0x5EED_0000UL + (ulong)chunk;
            for (int i = 0; i < Arguments / Chunks; i++)
                Check(RandomArgument(ref state), tally);
            return tally;
        }, tally => { lock (total) total.Add(tally); });

        output.WriteLine($"{total.Count:N0} arguments: worst error {total.WorstError:F4} ulp (at x = {total.WorstErrorAt:R}), " +
            $"{total.WorstNormalError:F4} ulp where the result is a normal double; " +
            $"correctly rounded in all but {total.NotCorrectlyRounded:N0} ({100.0 * total.NotCorrectlyRounded / total.Count:F3} %)");
        output.WriteLine($"differs from Math.Exp in {total.DiffersFromMathExp:N0} ({100.0 * total.DiffersFromMathExp / total.Count:F3} %), " +
            $"by at most {total.WorstDistanceFromMathExp} ulp; Math.Exp: worst error {total.MathExpWorstError:F4} ulp, " +
            $"not correctly rounded in {total.MathExpNotCorrectlyRounded:N0}");
        Assert.Equal(Arguments, total.Count);
        Assert.True(total.WorstError <= 1, $"error {total.WorstError} ulp at x = {total.WorstErrorAt:R}");
    }

    private static void Check(double x, Tally tally)
    {
        var reference = ExpReference.Fast(x);
        double ours = DeterministicMath.Exp(x), theirs = Math.Exp(x);
        double error = reference.ErrorUlps(ours);
        tally.Count++;
        if (error > tally.WorstError) (tally.WorstError, tally.WorstErrorAt) = (error, x);
        if (double.IsNormal(reference.Value)) tally.WorstNormalError = Math.Max(tally.WorstNormalError, error);
        if (ours != reference.Value) tally.NotCorrectlyRounded++;
        if (theirs != reference.Value) tally.MathExpNotCorrectlyRounded++;
        tally.MathExpWorstError = Math.Max(tally.MathExpWorstError, reference.ErrorUlps(theirs));
        if (ours != theirs)
        {
            tally.DiffersFromMathExp++;
            tally.WorstDistanceFromMathExp = Math.Max(tally.WorstDistanceFromMathExp, Math.Abs(ours - theirs) / ExpReference.Ulp(reference.Value));
        }
    }

    /// <summary>A mix: the whole finite domain uniformly, magnitudes 2^-30…2^6 log-uniformly (what models pass), and [−1, 1].</summary>
    private static double RandomArgument(ref ulong state)
    {
        double u = Uniform(ref state), v = Uniform(ref state);
        return u switch
        {
            < 0.4 => -746 + 1456 * v,
            < 0.8 => (v < 0.5 ? -1 : 1) * Math.ScaleB(1.0, -30) * Math.Pow(2, 36 * Uniform(ref state)),
            _ => 2 * v - 1,
        };
    }

    private static double Uniform(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return ((z ^ (z >> 31)) >> 11) * (1.0 / (1UL << 53));
    }

    public static TheoryData<double> Edges()
    {
        var edges = new TheoryData<double>();
        double[] points =
        [
            0.0, -0.0, double.Epsilon, -double.Epsilon, 2.2250738585072014E-308, -2.2250738585072014E-308, 1e-300, -1e-300,
            5.551115123125783e-17, -5.551115123125783e-17, 1.1102230246251565e-16, -1.1102230246251565e-16,   // 2^-54, 2^-53
            2.220446049250313e-16, -2.220446049250313e-16, 1e-10, -1e-10, 0.5, -0.5, 1, -1, 10, -10, 100, -100, 700, -700,
            708, -708,                          // the ends of the fast path
            709.782712893384, 709.79,           // overflow: ln of the largest double is 709.78271289338399…
            -708.3964185322641,                 // below this the result is subnormal: ln 2^-1022 = −708.39641853226410…
            -745.1332191019411, -745.2,         // below this it rounds to 0: ln 2^-1075 = −745.13321910194110…
            -720, -740, -744.44007192138122,    // subnormal results
        ];
        foreach (var p in points)
        {
            edges.Add(p);
            if (p != 0 && Math.Abs(p) > 1e-300)
                for (int step = 1; step <= 3; step++)
                {
                    double up = p, down = p;
                    for (int s = 0; s < step; s++) (up, down) = (Math.BitIncrement(up), Math.BitDecrement(down));
                    edges.Add(up);
                    edges.Add(down);
                }
        }
        return edges;
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void Exp_at_an_edge_is_within_one_ulp_of_the_exact_value(double x)
    {
        var exact = ExpReference.Exact(x);
        double ours = DeterministicMath.Exp(x);
        Assert.True(exact.ErrorUlps(ours) <= 1, $"exp({x:R}) = {ours:R}, correctly rounded {exact.Value:R}");
        // Where the answer is a single representable value, exactly that.
        if (x == 0 || Math.Abs(x) < 8.673617379884035e-19) Assert.Equal(1.0, ours);
        if (x > 709.79) Assert.Equal(double.PositiveInfinity, ours);
        if (x < -745.2) Assert.Equal(0.0, ours);
    }

    [Fact]
    public void Exp_of_special_values()
    {
        Assert.True(double.IsNaN(DeterministicMath.Exp(double.NaN)));
        Assert.Equal(double.PositiveInfinity, DeterministicMath.Exp(double.PositiveInfinity));
        Assert.Equal(0.0, DeterministicMath.Exp(double.NegativeInfinity));
        Assert.False(double.IsNegative(DeterministicMath.Exp(double.NegativeInfinity)));
        // The last finite result and the first infinite one; the last nonzero result (the smallest subnormal) and the first zero.
        Assert.Equal(ExpReference.Exact(709.782712893384).Value, DeterministicMath.Exp(709.782712893384));
        Assert.True(double.IsFinite(DeterministicMath.Exp(709.782712893384)));
        Assert.Equal(double.PositiveInfinity, DeterministicMath.Exp(Math.BitIncrement(709.782712893384)));
        double lastNonzero = -745.1332191019411;
        while (ExpReference.Exact(Math.BitDecrement(lastNonzero)).Value > 0) lastNonzero = Math.BitDecrement(lastNonzero);
        while (ExpReference.Exact(lastNonzero).Value == 0) lastNonzero = Math.BitIncrement(lastNonzero);
        Assert.Equal(double.Epsilon, DeterministicMath.Exp(lastNonzero));
        Assert.Equal(0.0, DeterministicMath.Exp(Math.BitDecrement(lastNonzero)));
    }

    [Fact]
    public void The_fast_reference_agrees_with_the_exact_one()
    {
        ulong state = 7;
        for (int i = 0; i < 3000; i++)
        {
            double x = RandomArgument(ref state);
            var fast = ExpReference.Fast(x);
            var exact = ExpReference.Exact(x);
            Assert.True(exact.Value == fast.Value && Math.Abs(exact.ExactMinusValueUlps - fast.ExactMinusValueUlps) < 1e-6,
                $"exp({x:R}): exact {exact.Value:R} {exact.ExactMinusValueUlps}, fast {fast.Value:R} {fast.ExactMinusValueUlps}");
        }
    }

    [Fact]
    public void The_vector_form_equals_the_scalar_form_in_every_lane()
    {
        ulong state = 11;
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 709.78, -720, -746, 800, double.Epsilon];
        var lanes = new double[8];
        for (int i = 0; i < 200_000; i++)
        {
            for (int l = 0; l < 8; l++)
                lanes[l] = i % 50 == 0 && l == i % 8 ? specials[(i / 50) % specials.Length] : RandomArgument(ref state);
            var result = DeterministicMath.Exp(Vector512.Create(lanes));
            for (int l = 0; l < 8; l++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(DeterministicMath.Exp(lanes[l])), BitConverter.DoubleToInt64Bits(result.GetElement(l)));
        }
    }
}
