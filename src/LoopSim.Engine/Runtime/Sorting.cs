namespace LoopSim.Engine.Runtime;

/// <summary>Vensim's VECTOR SORT ORDER, computed at run time from all the vector's elements (<see cref="IArrayFunction"/>).</summary>
internal static class Sorting
{
    /// <summary>
    /// (k, direction, v₁ … vₙ): the index, from 0, of the element that comes k-th (from 1) when the vector is sorted,
    /// ascending when direction &gt; 0, else descending; equal values keep their order ascending and come in reverse
    /// descending (the descending order is the ascending one reversed). NaN when any element is NaN.
    /// </summary>
    public readonly struct SortOrder : IArrayFunction
    {
        public static double Apply(double[] a, int count)
        {
            int n = count - 2;
            int wanted = a[1] > 0 ? (int)a[0] : n + 1 - (int)a[0];
            for (int j = 0; j < n; j++)
            {
                if (double.IsNaN(a[2 + j])) return double.NaN;
                if (AscendingRank(a, n, j) == wanted) return j;
            }
            return double.NaN;
        }
    }

    /// <summary>Element j's place (from 1) in the ascending order of the vector at a[2 …], equal values in index order.</summary>
    public static int AscendingRank(double[] a, int n, int j)
    {
        int rank = 1;
        double v = a[2 + j];
        for (int i = 0; i < n; i++)
            if (a[2 + i] < v || a[2 + i] == v && i < j) rank++;
        return rank;
    }
}
