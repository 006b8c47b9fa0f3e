namespace LoopSim.Experiments.Sensitivity;

/// <summary>
/// The Sobol' low-discrepancy sequence in base 2 with Joe and Kuo's direction numbers (S. Joe and F. Y. Kuo,
/// "Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008)
/// 2635–2654; the table new-joe-kuo-6.21201 published at web.maths.unsw.edu.au/~fkuo/sobol/ under a BSD-style
/// licence, © 2008 Frances Y. Kuo and Stephen Joe). Points are generated in Gray-code order, as their
/// reference program and SciPy's unscrambled sampler do, with 32-bit precision: point i is
/// X_i = X_(i−1) xor V_c, c the position of the lowest zero bit of i − 1.
/// Written here rather than taken from a package: no NuGet package served here provides it, and it is
/// sixty lines plus the table.
/// </summary>
public static class SobolSequence
{
    /// <summary>
    /// Dimensions 2, 3, … of the table: degree s of the primitive polynomial, its coefficients a, and the
    /// initial direction numbers m_1 … m_s. Dimension 1 is van der Corput's sequence (all m_k = 1).
    /// </summary>
    private static readonly int[][] Table =
    [
        [1, 0, 1], [2, 1, 1, 3], [3, 1, 1, 3, 1], [3, 2, 1, 1, 1], [4, 1, 1, 1, 3, 3], [4, 4, 1, 3, 5, 13],
        [5, 2, 1, 1, 5, 5, 17], [5, 4, 1, 1, 5, 5, 5], [5, 7, 1, 1, 7, 11, 19], [5, 11, 1, 1, 5, 1, 1],
        [5, 13, 1, 1, 1, 3, 11], [5, 14, 1, 3, 5, 5, 31], [6, 1, 1, 3, 3, 9, 7, 49], [6, 13, 1, 1, 1, 15, 21, 21],
        [6, 16, 1, 3, 1, 13, 27, 49], [6, 19, 1, 1, 1, 15, 7, 5], [6, 22, 1, 3, 1, 15, 13, 25], [6, 25, 1, 1, 5, 5, 19, 61],
        [7, 1, 1, 3, 7, 11, 23, 15, 103], [7, 4, 1, 3, 7, 13, 13, 15, 69], [7, 7, 1, 1, 3, 13, 7, 35, 63],
        [7, 8, 1, 3, 5, 9, 1, 25, 53], [7, 14, 1, 3, 1, 13, 9, 35, 107], [7, 19, 1, 3, 1, 5, 27, 61, 31],
        [7, 21, 1, 1, 5, 11, 19, 41, 61], [7, 28, 1, 3, 5, 3, 3, 13, 69], [7, 31, 1, 1, 7, 13, 1, 19, 1],
        [7, 32, 1, 3, 7, 5, 13, 19, 59], [7, 37, 1, 1, 3, 9, 25, 29, 41], [7, 41, 1, 3, 5, 13, 23, 1, 55],
        [7, 42, 1, 3, 7, 3, 13, 59, 17], [7, 50, 1, 3, 1, 3, 5, 53, 69], [7, 55, 1, 1, 5, 5, 23, 33, 13],
        [7, 56, 1, 1, 7, 7, 1, 61, 123], [7, 59, 1, 1, 7, 9, 13, 61, 49], [7, 62, 1, 3, 3, 5, 3, 55, 33],
        [8, 14, 1, 3, 1, 15, 31, 13, 49, 245], [8, 21, 1, 3, 5, 15, 31, 59, 63, 97], [8, 22, 1, 3, 1, 11, 11, 11, 77, 249],
        [8, 38, 1, 3, 1, 11, 27, 43, 71, 9], [8, 47, 1, 1, 7, 15, 21, 11, 81, 45], [8, 49, 1, 3, 7, 3, 25, 31, 65, 79],
        [8, 50, 1, 3, 1, 1, 19, 11, 3, 205], [8, 52, 1, 1, 5, 9, 19, 21, 29, 157], [8, 56, 1, 3, 7, 11, 1, 33, 89, 185],
        [8, 67, 1, 3, 3, 3, 15, 9, 79, 71], [8, 70, 1, 3, 7, 11, 15, 39, 119, 27], [8, 84, 1, 1, 3, 1, 11, 31, 97, 225],
        [8, 97, 1, 1, 1, 3, 23, 43, 57, 177], [8, 103, 1, 3, 7, 7, 17, 17, 37, 71], [8, 115, 1, 3, 1, 5, 27, 63, 123, 213],
        [8, 122, 1, 1, 3, 5, 11, 43, 53, 133], [9, 8, 1, 3, 5, 5, 29, 17, 47, 173, 479], [9, 13, 1, 3, 3, 11, 3, 1, 109, 9, 69],
        [9, 16, 1, 1, 1, 5, 17, 39, 23, 5, 343], [9, 22, 1, 3, 1, 5, 25, 15, 31, 103, 499],
    ];

    private const int Bits = 32;

    /// <summary>The most dimensions this table provides.</summary>
    public static int MaxDimensions => Table.Length + 1;

    /// <summary>
    /// Points <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 of the
    /// <paramref name="dimensions"/>-dimensional sequence (point 0 is the origin), row-major:
    /// value [i * dimensions + d] is coordinate d of point first + i.
    /// </summary>
    public static double[] Points(long first, int count, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, MaxDimensions);
        if (first + count > (1L << Bits))
            throw new ArgumentOutOfRangeException(nameof(count), "A 32-bit Sobol' sequence has 2^32 points.");

        var directions = new uint[dimensions][];
        for (int d = 0; d < dimensions; d++) directions[d] = Directions(d);

        // Gray-code state at point `first`: X = xor of V_k over the set bits k of first's Gray code.
        var state = new uint[dimensions];
        ulong gray = (ulong)first ^ ((ulong)first >> 1);
        for (int k = 0; k < Bits; k++)
            if ((gray >> k & 1) != 0)
                for (int d = 0; d < dimensions; d++) state[d] ^= directions[d][k];

        var points = new double[(long)count * dimensions];
        const double scale = 1.0 / (1L << Bits);
        for (int i = 0; i < count; i++)
        {
            for (int d = 0; d < dimensions; d++) points[(long)i * dimensions + d] = state[d] * scale;
            int c = System.Numerics.BitOperations.TrailingZeroCount(~(ulong)(first + i));   // lowest zero bit of the index
            if (c >= Bits) break;
            for (int d = 0; d < dimensions; d++) state[d] ^= directions[d][c];
        }
        return points;
    }

    /// <summary>V_1 … V_32 of dimension <paramref name="dimension"/> (0-based), as 32-bit fractions.</summary>
    private static uint[] Directions(int dimension)
    {
        var v = new uint[Bits];
        if (dimension == 0)
        {
            for (int k = 0; k < Bits; k++) v[k] = 1u << (Bits - 1 - k);
            return v;
        }
        var row = Table[dimension - 1];
        int s = row[0], a = row[1];
        for (int k = 0; k < Math.Min(s, Bits); k++) v[k] = (uint)row[2 + k] << (Bits - 1 - k);
        for (int k = s; k < Bits; k++)
        {
            uint value = v[k - s] ^ (v[k - s] >> s);
            for (int i = 1; i < s; i++)
                if ((a >> (s - 1 - i) & 1) != 0) value ^= v[k - i];
            v[k] = value;
        }
        return v;
    }
}
