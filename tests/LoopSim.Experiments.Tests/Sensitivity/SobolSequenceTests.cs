using LoopSim.Experiments.Sensitivity;

namespace LoopSim.Experiments.Tests.Sensitivity;

public class SobolSequenceTests
{
    [Fact]
    public void First_points_are_the_published_ones()
    {
        // Joe & Kuo's sequence in Gray-code order, as SciPy's qmc.Sobol(d=3, scramble=False).random_base2(3) prints it.
        double[,] expected =
        {
            { 0, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.75, 0.25, 0.25 }, { 0.25, 0.75, 0.75 },
            { 0.375, 0.375, 0.625 }, { 0.875, 0.875, 0.125 }, { 0.625, 0.125, 0.875 }, { 0.125, 0.625, 0.375 },
        };
        var points = SobolSequence.Points(0, 8, 3);
        for (int i = 0; i < 8; i++)
            for (int d = 0; d < 3; d++)
                Assert.Equal(expected[i, d], points[i * 3 + d]);
    }

    [Fact]
    public void Starting_in_the_middle_gives_the_same_points()
    {
        var all = SobolSequence.Points(0, 100, 7);
        var tail = SobolSequence.Points(37, 63, 7);
        Assert.Equal(all.AsSpan(37 * 7).ToArray(), tail);
    }

    [Fact]
    public void Every_dimension_of_the_first_two_to_the_m_points_is_a_net()
    {
        // Each coordinate of points 0 … 2^m − 1 takes each value k / 2^m exactly once: true for valid direction numbers (odd m_k).
        const int m = 10, n = 1 << m;
        int dims = SobolSequence.MaxDimensions;
        var points = SobolSequence.Points(0, n, dims);
        for (int d = 0; d < dims; d++)
        {
            var cells = new bool[n];
            for (int i = 0; i < n; i++)
            {
                double scaled = points[i * dims + d] * n;
                Assert.Equal(Math.Floor(scaled), scaled);
                Assert.False(cells[(int)scaled], $"dimension {d + 1}: value {scaled}/{n} twice");
                cells[(int)scaled] = true;
            }
        }
    }

    [Fact]
    public void The_first_two_dimensions_stratify_every_elementary_box()
    {
        // t = 0 for dimensions 1 and 2: every box of 2^a × 2^(m−a) cells of the unit square holds one of 2^m points.
        const int m = 8, n = 1 << m;
        var points = SobolSequence.Points(0, n, 2);
        for (int a = 0; a <= m; a++)
        {
            var seen = new HashSet<(int, int)>();
            for (int i = 0; i < n; i++)
                Assert.True(seen.Add(((int)(points[2 * i] * (1 << a)), (int)(points[2 * i + 1] * (1 << (m - a))))));
        }
    }
}
