using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LoopSim.Engine.Runtime;

/// <summary>
/// EXP computed by one sequence of IEEE operations (add, multiply, fused multiply-add, integer bit moves), written
/// once for a double and once for the eight lanes of a Vector512&lt;double&gt;: every lane gives exactly what the scalar
/// function gives, whatever the other lanes hold, on any machine (a fused multiply-add is exact by definition, in
/// hardware or not). So one run, a batch and any number of threads agree bit for bit, and a batch no longer calls
/// Math.Exp lane by lane. Math.Exp is the C library's, which neither vectorises nor promises the same bits everywhere.
/// <para>
/// Method: x = (16·k' + j)·ln2/16 + r with |r| ≤ ln2/32; exp(x) = 2^k' · 2^(j/16) · e^r, with 2^(j/16) from a table of
/// sixteen double-double entries (a register permute in the batch) and e^r − 1 from its Taylor polynomial to r^8
/// (truncation below 2^-68). The reduction is exact (ln2/16 split into a 32-bit head and a tail), and the sum
/// 2^(j/16)·(1 + r + …) is carried as a double-double until the one final rounding: on 10⁷ random arguments the error
/// is at most 0.51 ulp for normal results (0.75 among subnormal ones, which round twice), and the result is the
/// correctly rounded one in 99.8 % of cases (DeterministicMathTests measure both, and the edges).
/// </para>
/// </summary>
internal static class DeterministicMath
{
    /// <summary>Below this |x| the result is a normal double and 2^k' is one exact factor; NaN, ±∞ and the rest go the careful way.</summary>
    private const double FastLimit = 708;
    /// <summary>exp(x) rounds to +∞ above this (ln of the largest double is 709.7827…) and to 0 below the other (ln 2^-1075 is −745.1332…).</summary>
    private const double OverflowAbove = 709.79, ZeroBelow = -745.2;

    private const double SixteenOverLn2 = 23.083120654223414;
    // ln2/16 = Ln2Over16Hi + Ln2Over16Lo; the head has 32 significant bits, so k·head and x − k·head are exact for |k| < 2^21.
    private const double Ln2Over16Hi = 0.043321698787622154, Ln2Over16Lo = -2.625571920425678e-12;
    // 1.5·2^52: adding it rounds x·16/ln2 to the nearest integer k, which then sits in the low bits of the sum.
    private const double Shift = 6755399441055744.0;
    private const long ShiftBits = 0x4338000000000000;
    // 1/n! for n = 2…8.
    private const double C2 = 0.5, C3 = 0.16666666666666666, C4 = 0.041666666666666664, C5 = 0.008333333333333333,
        C6 = 0.001388888888888889, C7 = 0.0001984126984126984, C8 = 2.48015873015873e-05;

    /// <summary>2^(j/16) = TableHi[j] + TableLo[j] for j = 0…15, each part rounded to nearest (from a 80-digit evaluation).</summary>
    private static ReadOnlySpan<double> TableHi =>
    [
        1.0, 1.0442737824274138, 1.0905077326652577, 1.1387886347566916, 1.189207115002721, 1.241857812073484,
        1.2968395546510096, 1.3542555469368927, 1.4142135623730951, 1.4768261459394993, 1.5422108254079407,
        1.6104903319492543, 1.681792830507429, 1.7562521603732995, 1.8340080864093424, 1.9152065613971474,
    ];

    private static ReadOnlySpan<double> TableLo =>
    [
        0.0, 8.551889705537965e-17, -3.046782079812471e-17, 8.912812676025408e-17, 3.982015231465646e-17,
        4.658027591836937e-17, 2.5382502794888315e-17, 7.70094837980299e-17, -9.667293313452913e-17,
        -3.483994556892796e-17, 7.949834809697621e-17, 2.4707192569797888e-17, 8.199010020581497e-17,
        2.960140695448873e-17, 3.283107224245627e-17, -1.0619946056195963e-16,
    ];

    /// <summary>e^x, within 1 ulp of the correctly rounded value; NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        if (!(Math.Abs(x) < FastLimit)) return ExpOutsideFastRange(x);
        double z = Math.FusedMultiplyAdd(x, SixteenOverLn2, Shift);
        long k = BitConverter.DoubleToInt64Bits(z) - ShiftBits;
        double y = Reduced(x, z - Shift, (int)(k & 15));
        return y * BitConverter.Int64BitsToDouble(((k >> 4) + 1023) << 52);
    }

    /// <summary>e^x in each lane, bit for bit <see cref="Exp(double)"/> of that lane. Inlined: around a call the batch loop would spill every live vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        if (!Avx512F.IsSupported || !Vector512.LessThanAll(Vector512.Abs(x), Vector512.Create(FastLimit)))
            return LaneByLane(x);
        var z = Vector512.FusedMultiplyAdd(x, Vector512.Create(SixteenOverLn2), Vector512.Create(Shift));
        var k = z.AsInt64() - Vector512.Create(ShiftBits);
        var kd = z - Vector512.Create(Shift);
        var j = k & Vector512.Create(15L);

        // The same operations as Reduced, in the same order.
        var rHi = Vector512.FusedMultiplyAdd(kd, Vector512.Create(-Ln2Over16Hi), x);
        var rLo = kd * Vector512.Create(-Ln2Over16Lo);
        var r = rHi + rLo;
        var r2 = r * r;
        var q = Vector512.FusedMultiplyAdd(r, Vector512.Create(C8), Vector512.Create(C7));
        q = Vector512.FusedMultiplyAdd(r, q, Vector512.Create(C6));
        q = Vector512.FusedMultiplyAdd(r, q, Vector512.Create(C5));
        q = Vector512.FusedMultiplyAdd(r, q, Vector512.Create(C4));
        q = Vector512.FusedMultiplyAdd(r, q, Vector512.Create(C3));
        q = Vector512.FusedMultiplyAdd(r, q, Vector512.Create(C2));
        var tHi = Avx512F.PermuteVar8x64x2(Vector512.Create(TableHi), j, Vector512.Create(TableHi[8..]));
        var tLo = Avx512F.PermuteVar8x64x2(Vector512.Create(TableLo), j, Vector512.Create(TableLo[8..]));
        var w = Vector512.FusedMultiplyAdd(tHi, Vector512.FusedMultiplyAdd(r2, q, rLo), tLo);
        var h = Vector512.FusedMultiplyAdd(tHi, rHi, tHi);
        var l = Vector512.FusedMultiplyAdd(tHi, rHi, tHi - h);
        var y = h + (l + w);

        var scale = Vector512.ShiftLeft(Vector512.ShiftRightArithmetic(k, 4) + Vector512.Create(1023L), 52).AsDouble();
        return y * scale;
    }

    /// <summary>
    /// 2^(j/16) · e^r for r = x − kd·ln2/16 (|r| ≤ ln2/32 or a hair more): a value in [0.97, 2.05]. The head
    /// 2^(j/16)·(1 + rHi) is split exactly into h + l, the rest (table tail, r's tail, r²·(1/2 + r/6 + …)) is added
    /// to l, and only h + (l + rest) rounds to 53 bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Reduced(double x, double kd, int j)
    {
        double rHi = Math.FusedMultiplyAdd(kd, -Ln2Over16Hi, x);
        double rLo = kd * -Ln2Over16Lo;
        double r = rHi + rLo;
        double r2 = r * r;
        double q = Math.FusedMultiplyAdd(r, C8, C7);
        q = Math.FusedMultiplyAdd(r, q, C6);
        q = Math.FusedMultiplyAdd(r, q, C5);
        q = Math.FusedMultiplyAdd(r, q, C4);
        q = Math.FusedMultiplyAdd(r, q, C3);
        q = Math.FusedMultiplyAdd(r, q, C2);
        double tHi = TableHi[j], tLo = TableLo[j];
        double w = Math.FusedMultiplyAdd(tHi, Math.FusedMultiplyAdd(r2, q, rLo), tLo);
        double h = Math.FusedMultiplyAdd(tHi, rHi, tHi);
        double l = Math.FusedMultiplyAdd(tHi, rHi, tHi - h);
        return h + (l + w);
    }

    /// <summary>NaN, ±∞, and results near overflow or below the normal range (subnormal or zero).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ExpOutsideFastRange(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > OverflowAbove) return double.PositiveInfinity;
        if (x < ZeroBelow) return 0;
        double z = Math.FusedMultiplyAdd(x, SixteenOverLn2, Shift);
        long k = BitConverter.DoubleToInt64Bits(z) - ShiftBits;
        double y = Reduced(x, z - Shift, (int)(k & 15));
        long power = k >> 4;   // −1077 … 1024
        // Two power-of-two factors, each a normal double: the first product is exact, the second rounds once
        // (to +∞ past the largest double, or onto the subnormal grid).
        return power > 0
            ? y * PowerOfTwo(power - 64) * PowerOfTwo(64)
            : y * PowerOfTwo(power + 64) * PowerOfTwo(-64);
    }

    private static double PowerOfTwo(long exponent) => BitConverter.Int64BitsToDouble((exponent + 1023) << 52);

    /// <summary>Without AVX-512, or when a lane needs the careful path: the scalar function on each lane.</summary>
    private static Vector512<double> LaneByLane(Vector512<double> x) => Vector512.Create(
        Exp(x.GetElement(0)), Exp(x.GetElement(1)), Exp(x.GetElement(2)), Exp(x.GetElement(3)),
        Exp(x.GetElement(4)), Exp(x.GetElement(5)), Exp(x.GetElement(6)), Exp(x.GetElement(7)));
}
