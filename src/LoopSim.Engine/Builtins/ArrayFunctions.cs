using System.Globalization;
using System.Linq.Expressions;
using LoopSim.Engine.Compilation;
using LoopSim.Engine.Semantics;
using E = System.Linq.Expressions.Expression;

namespace LoopSim.Engine.Builtins;

/// <summary>
/// Code of the array builtins whose arrays arrive element by element (the .mdl reader broadcasts Vensim's ranges
/// marked '!' and passes each array's elements in order): straight-line code per element, no loop and no call, the
/// same in one run and in vector lanes.
/// </summary>
internal static class ArrayFunctions
{
    // ---- VECTOR SELECT ------------------------------------------------------------------------------------------

    /// <summary>VECTOR SELECT's numerical actions: 0–4 weight each selected value by its selection, 5 raises it to it, 6–10 take it as it is.</summary>
    public const int LastNumericalAction = 10;
    public const int LastErrorAction = 3;

    /// <summary>(selection₁ … selectionₙ, expression₁ … expressionₙ, missing, numerical action, error action): n selections, n expressions.</summary>
    public static string? VectorSelectShape(IReadOnlyList<IrExpr> a)
    {
        if ((a.Count - 3) % 2 != 0)
            return $"the selection and the expression must have as many elements each, but {a.Count - 3} elements are given between them";
        if (a[^2] is IrNumber { Value: var action } && !IsOption(action, LastNumericalAction))
            return $"the numerical action {Format(action)} is not one of 0 to {LastNumericalAction}";
        if (a[^1] is IrNumber { Value: var error } && !IsOption(error, LastErrorAction))
            return $"the error action {Format(error)} is not one of 0 to {LastErrorAction}";
        return null;
    }

    /// <summary>
    /// Vensim's VECTOR SELECT: the selected elements (selection ≠ 0) of the expression, combined by the numerical action
    /// (sum, product, min, max, mean; of selection × expression for 0–4, of expression ^ selection for 5 (what Vensim
    /// computes, its manual says the reverse), of the expression itself for 6–10); the missing value when none is
    /// selected. An error action that holds (1: none selected, 2: more than one, 3: either) makes the value NaN, the
    /// floating-point error Vensim stops at. An action known when compiling emits only its own code.
    /// </summary>
    public static E VectorSelect(Emitter e, E[] a)
    {
        int n = (a.Length - 3) / 2;
        return Locals(e, a, v =>
        {
            var selection = v[..n];
            var expression = v[n..(2 * n)];
            var (missing, action, error) = (v[2 * n], v[2 * n + 1], v[2 * n + 2]);
            var selected = selection.Select(s => e.Lanes.Compare(ExpressionType.NotEqual, s, e.Constant(0))).ToArray();
            var count = selected.Select(e.Lanes.Truth).Aggregate(E.Add);
            E Combine(int k)
            {
                var values = Enumerable.Range(0, n).Select(i => k switch
                {
                    <= 4 => E.Multiply(selection[i], expression[i]),
                    5 => e.Call(typeof(Runtime.Functions.Power), expression[i], selection[i]),
                    _ => (E)expression[i],
                }).ToArray();
                E Masked(double neutral, int i) => e.Lanes.Select(selected[i], values[i], e.Constant(neutral));
                // 0 and 6 sum, 1, 5 and 7 product, 2 and 8 min, 3 and 9 max, 4 and 10 mean
                return (k <= 4 ? k : k == 5 ? 1 : k - 6) switch
                {
                    0 => Enumerable.Range(0, n).Select(i => Masked(0, i)).Aggregate(E.Add),
                    1 => Enumerable.Range(0, n).Select(i => Masked(1, i)).Aggregate(E.Multiply),
                    2 => Enumerable.Range(0, n).Select(i => Masked(double.PositiveInfinity, i)).Aggregate((x, y) => e.Native(nameof(Math.Min), x, y)),
                    3 => Enumerable.Range(0, n).Select(i => Masked(double.NegativeInfinity, i)).Aggregate((x, y) => e.Native(nameof(Math.Max), x, y)),
                    _ => E.Divide(Enumerable.Range(0, n).Select(i => Masked(0, i)).Aggregate(E.Add), count),
                };
            }
            E combined;
            if (e.Known(action) is { } known)
                combined = IsOption(known, LastNumericalAction) ? Combine((int)known) : e.Constant(double.NaN);
            else
            {
                combined = e.Constant(double.NaN);
                for (int k = LastNumericalAction; k >= 0; k--)
                    combined = e.Lanes.Select(e.Lanes.Compare(ExpressionType.Equal, action, e.Constant(k)), Combine(k), combined);
            }
            var none = e.Lanes.Compare(ExpressionType.Equal, count, e.Constant(0));
            var result = e.Lanes.Select(none, missing, combined);
            if (e.Known(error) is 0) return result;
            // error action 1 or 3 and none selected, or 2 or 3 and more than one selected
            var failsOnNone = e.Lanes.Or(e.Lanes.Compare(ExpressionType.Equal, error, e.Constant(1)), e.Lanes.Compare(ExpressionType.Equal, error, e.Constant(3)));
            var failsOnMany = e.Lanes.Or(e.Lanes.Compare(ExpressionType.Equal, error, e.Constant(2)), e.Lanes.Compare(ExpressionType.Equal, error, e.Constant(3)));
            var failed = e.Lanes.Or(e.Lanes.And(failsOnNone, none), e.Lanes.And(failsOnMany, e.Lanes.Compare(ExpressionType.GreaterThan, count, e.Constant(1))));
            return e.Lanes.Select(failed, e.Constant(double.NaN), result);
        });
    }

    // ---- INVERT MATRIX ------------------------------------------------------------------------------------------

    /// <summary>The largest matrix inverted: the code per element grows as n·2ⁿ.</summary>
    public const int LargestMatrix = 8;

    /// <summary>(row, column, m₁₁, m₁₂ … mₙₙ): the element's place (from 1, constants) and the n × n matrix row by row.</summary>
    public static string? InvertMatrixShape(IReadOnlyList<IrExpr> a)
    {
        int n = (int)Math.Round(Math.Sqrt(a.Count - 2));
        if (n * n != a.Count - 2 || n < 1)
            return $"the matrix must be square, but has {a.Count - 2} elements";
        if (n > LargestMatrix)
            return $"the matrix is {n} × {n}; LoopSim inverts matrices of at most {LargestMatrix} × {LargestMatrix}";
        foreach (var k in new[] { 0, 1 })
            if (a[k] is not IrNumber { Value: var place } || place != Math.Floor(place) || place < 1 || place > n)
                return $"the {(k == 0 ? "row" : "column")} of the element (argument {k + 1}) must be a whole number from 1 to {n} written as a constant";
        return null;
    }

    /// <summary>
    /// Element (row, column) of the inverse of the n × n matrix: the cofactor of (column, row) over the determinant.
    /// Each determinant is expanded along its rows with every minor computed once (n·2ⁿ products), exactly as a
    /// cofactor expansion, so a matrix with zero pivots needs no row exchange; a singular matrix gives ±∞ or NaN.
    /// </summary>
    public static E InvertMatrix(Emitter e, E[] a)
    {
        int row = (int)e.Known(a[0])!.Value - 1, column = (int)e.Known(a[1])!.Value - 1;
        int n = (int)Math.Round(Math.Sqrt(a.Length - 2));
        return Locals(e, a[2..], m =>
        {
            var all = Enumerable.Range(0, n).ToArray();
            var variables = new List<ParameterExpression>();
            var steps = new List<E>();
            var determinant = Determinant(e, (i, j) => m[i * n + j], all, all, variables, steps);
            var minor = Determinant(e, (i, j) => m[i * n + j], all.Where(i => i != column).ToArray(), all.Where(j => j != row).ToArray(), variables, steps);
            E cofactor = (row + column) % 2 == 0 ? minor : E.Negate(minor);
            steps.Add(E.Divide(cofactor, determinant));
            return E.Block(e.Lanes.Value, variables, steps);
        });
    }

    /// <summary>
    /// The determinant of the matrix's <paramref name="rows"/> × <paramref name="columns"/>, by expansion along the first
    /// row, each minor (the later rows × a set of columns) a local computed once; its code is appended to <paramref name="steps"/>.
    /// </summary>
    private static E Determinant(Emitter e, Func<int, int, E> m, int[] rows, int[] columns, List<ParameterExpression> variables, List<E> steps)
    {
        int k = rows.Length;
        if (k == 0) return e.Constant(1);
        // minors[set of column positions] for the last |set| rows
        var minors = new Dictionary<int, E> { [0] = e.Constant(1) };
        for (int size = 1; size <= k; size++)
        {
            int r = rows[k - size];
            for (int set = 1; set < 1 << k; set++)
            {
                if (System.Numerics.BitOperations.PopCount((uint)set) != size) continue;
                E? sum = null;
                int sign = 0;
                for (int j = 0; j < k; j++)
                {
                    if ((set & (1 << j)) == 0) continue;
                    var term = E.Multiply(m(r, columns[j]), minors[set & ~(1 << j)]);
                    sum = sum is null ? term : sign % 2 == 0 ? E.Add(sum, term) : E.Subtract(sum, term);
                    sign++;
                }
                var local = E.Variable(e.Lanes.Value, "minor");
                variables.Add(local);
                steps.Add(E.Assign(local, sum!));
                minors[set] = local;
            }
        }
        return minors[(1 << k) - 1];
    }

    // ---- ALLOCATE AVAILABLE, ALLOCATE BY PRIORITY (Runtime.Allocation) -------------------------------------------

    /// <summary>(k, request₁ … requestₙ, profile₁ … profileₙ of 4 values each, available).</summary>
    public static string? AllocateAvailableShape(IReadOnlyList<IrExpr> a) =>
        (a.Count - 2) % 5 != 0 ? $"each request needs a priority profile of 4 values (type, priority, width, extra), but {a.Count - 2} values are given for requests and profiles"
        : Requester(a, (a.Count - 2) / 5);

    /// <summary>(k, request₁ … requestₙ, priority₁ … priorityₙ, width, supply).</summary>
    public static string? AllocateByPriorityShape(IReadOnlyList<IrExpr> a) =>
        (a.Count - 3) % 2 != 0 ? $"the requests and the priorities must have as many elements each, but {a.Count - 3} elements are given between them"
        : Requester(a, (a.Count - 3) / 2);

    private static string? Requester(IReadOnlyList<IrExpr> a, int n) =>
        a[0] is IrNumber { Value: var k } && k == Math.Floor(k) && k >= 1 && k <= n ? null
        : $"the requester whose share is computed (argument 1) must be a whole number from 1 to {n} written as a constant";

    // ---- VECTOR SORT ORDER, VECTOR RANK, VECTOR REORDER ----------------------------------------------------------

    /// <summary>(k, direction, v₁ … vₙ): k from 1 to n, a constant.</summary>
    public static string? VectorOrderShape(IReadOnlyList<IrExpr> a) => Place(a, 0, a.Count - 2, "place of the element computed");

    /// <summary>
    /// Vensim's VECTOR RANK, element k: its place (from 1) when the vector is sorted, ascending when direction &gt; 0,
    /// else descending, equal values ranked in index order ascending and in reverse descending (as <see cref="Runtime.Sorting"/>):
    /// one compare per element, straight-line.
    /// </summary>
    public static E VectorRank(Emitter e, E[] a)
    {
        int k = (int)e.Known(a[0])!.Value - 1, n = a.Length - 2;
        return Locals(e, a[1..], v =>
        {
            var mine = v[1 + k];
            var ascending = Enumerable.Range(0, n).Where(i => i != k)
                .Select(i => e.Lanes.Truth(i < k
                    ? e.Lanes.Compare(ExpressionType.LessThanOrEqual, v[1 + i], mine)
                    : e.Lanes.Compare(ExpressionType.LessThan, v[1 + i], mine)))
                .Aggregate(e.Constant(1), E.Add);
            return e.Lanes.Select(e.Lanes.Compare(ExpressionType.GreaterThan, v[0], e.Constant(0)), ascending, E.Subtract(e.Constant(n + 1), ascending));
        });
    }

    /// <summary>
    /// Vensim's VECTOR REORDER, one element: (index, v₁ … vₙ) is v at the index (from 0, as VECTOR SORT ORDER gives
    /// it), NaN outside the vector: a chain of selects.
    /// </summary>
    public static E VectorReorder(Emitter e, E[] a) => Locals(e, a[..1], index =>
    {
        E chosen = e.Constant(double.NaN);
        for (int j = a.Length - 2; j >= 0; j--)
            chosen = e.Lanes.Select(e.Lanes.Compare(ExpressionType.Equal, index[0], e.Constant(j)), a[1 + j], chosen);
        return chosen;
    });

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static string? Place(IReadOnlyList<IrExpr> a, int k, int n, string what) =>
        n >= 1 && a[k] is IrNumber { Value: var place } && place == Math.Floor(place) && place >= 1 && place <= n ? null
        : $"the {what} (argument {k + 1}) must be a whole number from 1 to {n} written as a constant";

    private static bool IsOption(double value, int last) => value == Math.Floor(value) && value >= 0 && value <= last;

    private static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Each argument evaluated once into a local, for a body that reads them more than once.</summary>
    private static E Locals(Emitter e, E[] values, Func<ParameterExpression[], E> body)
    {
        var locals = values.Select(_ => E.Variable(e.Lanes.Value, "arg")).ToArray();
        return E.Block(e.Lanes.Value, locals, values.Select((v, i) => (E)E.Assign(locals[i], v)).Append(body(locals)));
    }
}
