using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LoopSim.Engine.Model;
using LoopSim.Engine.Runtime;
using E = System.Linq.Expressions.Expression;
using ParameterExpression = System.Linq.Expressions.ParameterExpression;

namespace LoopSim.Engine.Compilation;

/// <summary>
/// How <see cref="CodeGen"/> represents a value: one run (double) or a batch of runs, one per lane of a
/// Vector512&lt;double&gt;. + − × ÷ and negation are the same operators on both; everything else goes through here.
/// Every lane computes the same IEEE operations as one run, so a batch equals its runs done one by one, bit for bit:
/// the vector instructions used (compare, select, and, or, ABS, MIN, MAX, SQRT, floor, truncate, permute) are exact, and the
/// transcendental functions are the scalar ones applied lane by lane (EXP and PULSE have vector forms equal to their scalar ones).
/// </summary>
internal abstract class Lanes
{
    public static readonly Lanes Scalar = new ScalarLanes();
    public static readonly Lanes Vector = new VectorLanes();

    /// <summary>double, or Vector512&lt;double&gt;.</summary>
    public abstract Type Value { get; }

    public abstract E Constant(double value);
    /// <summary>The number <paramref name="value"/> holds when it is a constant written by <see cref="Constant"/>, else null.</summary>
    public abstract double? Known(E value);
    /// <summary>A double (the fused loop's TIME) as a value.</summary>
    public abstract E Broadcast(E scalar);
    /// <summary>A comparison as a mask: a bool for one run, all-ones lanes where true for a batch.</summary>
    public abstract E Compare(ExpressionType comparison, E left, E right);
    public abstract E And(E left, E right);
    public abstract E Or(E left, E right);
    public abstract E Select(E mask, E whenTrue, E whenFalse);
    /// <summary>1 where the mask is true, 0 where it is false.</summary>
    public abstract E Truth(E mask);
    /// <summary>Abs, Min, Max, Sqrt, Floor or Truncate: Math's for one run, the vector instruction (bit-identical) for a batch.</summary>
    public abstract E Native(string name, params E[] args);
    /// <summary>A function of <see cref="Functions"/>: called directly, or lane by lane.</summary>
    public abstract E Call(Type function, params E[] args);

    /// <summary>
    /// An <see cref="IArrayFunction"/> of all the arguments (evaluated first, so a call among them is done before the
    /// array is filled): called once, or once per lane.
    /// </summary>
    public E CallOnArray(Type function, E[] args)
    {
        var locals = args.Select((_, i) => E.Variable(Value, "arg" + i)).ToArray();
        var buffer = E.Variable(typeof(double[]), "arguments");
        var apply = function.GetMethod(nameof(IArrayFunction.Apply))!;
        E Once(Func<ParameterExpression, E> scalar) => E.Block(
            locals.Select((l, i) => (E)E.Assign(E.ArrayAccess(buffer, E.Constant(i)), scalar(l))).Append(E.Call(apply, buffer, E.Constant(args.Length))));
        return E.Block(Value, locals.Append(buffer), locals.Zip(args, (l, a) => (E)E.Assign(l, a))
            .Append(E.Assign(buffer, E.Call(typeof(ArrayCall).GetMethod(nameof(ArrayCall.Arguments))!, E.Constant(args.Length))))
            .Append(LaneByLane(Once)));
    }

    /// <summary>One value from a computation on doubles (<paramref name="once"/>, given how to read a lane of a value): itself, or one per lane.</summary>
    protected abstract E LaneByLane(Func<Func<ParameterExpression, E>, E> once);

    /// <summary>
    /// A graphical function of x as straight-line code, without a call: interpolation between the points,
    /// y0 + s × (x − x0) with the segment's slope s = (y1 − y0) / (x1 − x0) folded to a constant (no division at
    /// run time), clamped or extrapolated at the ends; a discrete table steps. NaN gives NaN.
    /// </summary>
    public E Lookup(GraphicalFunction table, E x)
    {
        var t = E.Variable(Value, "x");
        var xs = table.X;
        var ys = table.Y;
        int last = xs.Length - 1;
        var isNaN = Compare(ExpressionType.NotEqual, t, t);
        E body;
        if (table.Type == GraphType.Discrete || last == 0)
        {
            // y[i] for i = how many of x[1..last] are <= x
            body = Select(isNaN, t, Pick(t, ExpressionType.GreaterThanOrEqual, xs[1..], ys, null));
        }
        else
        {
            // segment i (from x[i] to x[i+1]) for i = how many of x[1..last-1] are < x
            var x0 = xs[..last];
            var y0 = ys[..last];
            var slope = Enumerable.Range(0, last).Select(i => (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i])).ToArray();
            var interior = Pick(t, ExpressionType.GreaterThan, xs[1..last], null,
                c => E.Add(c(y0), E.Multiply(c(slope), E.Subtract(t, c(x0)))));
            bool extrapolate = table.Type == GraphType.Extrapolate;
            var interiorValue = E.Variable(Value, "interior");
            E low = extrapolate ? Select(Compare(ExpressionType.LessThan, t, Constant(xs[0])), interiorValue, Constant(ys[0])) : Constant(ys[0]);
            E high = extrapolate
                ? Select(Compare(ExpressionType.GreaterThan, t, Constant(xs[last])),
                    E.Add(Constant(ys[last]), E.Multiply(Constant(slope[^1]), E.Subtract(t, Constant(xs[last])))),
                    Constant(ys[last]))
                : Constant(ys[last]);
            body = Select(Compare(ExpressionType.LessThanOrEqual, t, Constant(xs[0])), low,
                Select(Compare(ExpressionType.GreaterThanOrEqual, t, Constant(xs[last])), high, interiorValue));
            body = E.Block(new[] { interiorValue }, E.Assign(interiorValue, interior), body);
        }
        return E.Block(Value, new[] { t }, E.Assign(t, x), body);
    }

    /// <summary>
    /// Entry i of a table, for i = how many of <paramref name="bounds"/> (ascending) pass "x comparison bound":
    /// <paramref name="values"/>[i], or, given <paramref name="entry"/>, the expression it builds from a chooser of
    /// entry i of per-entry constants.
    /// </summary>
    protected abstract E Pick(ParameterExpression x, ExpressionType comparison, double[] bounds, double[]? values, Func<Func<double[], E>, E>? entry);

    private sealed class ScalarLanes : Lanes
    {
        public override Type Value => typeof(double);
        public override E Constant(double value) => E.Constant(value);
        public override double? Known(E value) => value is ConstantExpression { Value: double d } ? d : null;
        public override E Broadcast(E scalar) => scalar;
        public override E Compare(ExpressionType comparison, E left, E right) => E.MakeBinary(comparison, left, right);
        public override E And(E left, E right) => E.AndAlso(left, right);
        public override E Or(E left, E right) => E.OrElse(left, right);
        public override E Select(E mask, E whenTrue, E whenFalse) => E.Condition(mask, whenTrue, whenFalse);
        public override E Truth(E mask) => E.Condition(mask, E.Constant(1.0), E.Constant(0.0));

        public override E Native(string name, params E[] args) =>
            E.Call(typeof(Math).GetMethod(name, args.Select(_ => typeof(double)).ToArray())!, args);

        public override E Call(Type function, params E[] args) => E.Call(function.GetMethod("Apply")!, args);
        protected override E LaneByLane(Func<Func<ParameterExpression, E>, E> once) => once(v => v);

        // A balanced tree of branches: log2(n) predictable compares, then one entry's arithmetic.
        protected override E Pick(ParameterExpression x, ExpressionType comparison, double[] bounds, double[]? values, Func<Func<double[], E>, E>? entry)
        {
            E Tree(int lo, int hi) // entries lo..hi-1
            {
                if (hi - lo == 1) return values is null ? entry!(c => E.Constant(c[lo])) : E.Constant(values[lo]);
                int mid = (lo + hi) / 2;
                return E.Condition(E.MakeBinary(comparison, x, E.Constant(bounds[mid - 1])), Tree(mid, hi), Tree(lo, mid));
            }
            return Tree(0, bounds.Length + 1);
        }
    }

    private sealed class VectorLanes : Lanes
    {
        private static readonly Type V = typeof(Vector512<double>);
        private static readonly MethodInfo CreateScalar = typeof(Vector512).GetMethod(nameof(Vector512.Create), [typeof(double)])!;
        private static readonly MethodInfo CreateLong = typeof(Vector512).GetMethod(nameof(Vector512.Create), [typeof(long)])!;
        private static readonly MethodInfo CreateEight = typeof(Vector512).GetMethod(nameof(Vector512.Create), Enumerable.Repeat(typeof(double), 8).ToArray())!;
        private static readonly MethodInfo AsInt64 = Generic(nameof(Vector512.AsInt64), 1);
        private static readonly MethodInfo GetElement = typeof(Vector512).GetMethod(nameof(Vector512.GetElement))!.MakeGenericMethod(typeof(double));
        private static readonly MethodInfo ToScalar = typeof(Vector512).GetMethod(nameof(Vector512.ToScalar))!.MakeGenericMethod(typeof(double));
        private static readonly MethodInfo EqualsAll = Generic(nameof(Vector512.EqualsAll), 2, typeof(bool));
        private static readonly MethodInfo Permute = typeof(Avx512F).GetMethod(nameof(Avx512F.PermuteVar8x64x2), [V, typeof(Vector512<long>), V])!;

        public override Type Value => V;
        public override E Constant(double value) => E.Call(CreateScalar, E.Constant(value));
        public override double? Known(E value) =>
            value is MethodCallExpression { Arguments: [ConstantExpression { Value: double d }] } call && call.Method == CreateScalar ? d : null;
        public override E Broadcast(E scalar) => E.Call(CreateScalar, scalar);

        public override E Compare(ExpressionType comparison, E left, E right) => comparison switch
        {
            ExpressionType.Equal => E.Call(Generic(nameof(Vector512.Equals), 2), left, right),
            ExpressionType.NotEqual => E.Call(Generic(nameof(Vector512.OnesComplement), 1), E.Call(Generic(nameof(Vector512.Equals), 2), left, right)),
            ExpressionType.LessThan => E.Call(Generic(nameof(Vector512.LessThan), 2), left, right),
            ExpressionType.LessThanOrEqual => E.Call(Generic(nameof(Vector512.LessThanOrEqual), 2), left, right),
            ExpressionType.GreaterThan => E.Call(Generic(nameof(Vector512.GreaterThan), 2), left, right),
            ExpressionType.GreaterThanOrEqual => E.Call(Generic(nameof(Vector512.GreaterThanOrEqual), 2), left, right),
            _ => throw new InvalidOperationException("not a comparison: " + comparison),
        };

        public override E And(E left, E right) => E.Call(Generic(nameof(Vector512.BitwiseAnd), 2), left, right);
        public override E Or(E left, E right) => E.Call(Generic(nameof(Vector512.BitwiseOr), 2), left, right);
        public override E Select(E mask, E whenTrue, E whenFalse) => E.Call(Generic(nameof(Vector512.ConditionalSelect), 3), mask, whenTrue, whenFalse);
        public override E Truth(E mask) => And(mask, Constant(1.0));

        public override E Native(string name, params E[] args) => E.Call(name switch
        {
            nameof(Math.Truncate) => typeof(Vector512).GetMethod(nameof(Vector512.Truncate), [V])!,
            nameof(Math.Floor) => typeof(Vector512).GetMethod(nameof(Vector512.Floor), [V])!,
            _ => Generic(name, args.Length),
        }, args);

        // A function with a vector form (EXP, PULSE) takes all lanes at once. Others go lane by lane, except when every argument
        // is the same in all lanes (a shared TIME, a parameter no run varies): then once, inline, and broadcast.
        protected override E LaneByLane(Func<Func<ParameterExpression, E>, E> once) =>
            E.Call(CreateEight, Enumerable.Range(0, 8).Select(lane => once(v => E.Call(GetElement, v, E.Constant(lane)))));

        public override E Call(Type function, params E[] args)
        {
            if (typeof(ILaneFunction).IsAssignableFrom(function)) return E.Call(function.GetMethod(nameof(ILaneFunction1.ApplyToLanes))!, args);
            var values = args.Select((_, i) => E.Variable(V, "arg" + i)).ToArray();
            var uniform = values.Select(v => (E)E.Call(EqualsAll, v, E.Call(CreateScalar, E.Call(ToScalar, v)))).Aggregate(E.AndAlso);
            var once = E.Call(CreateScalar, E.Call(function.GetMethod("Apply")!, values.Select(v => E.Call(ToScalar, v))));
            var perLane = E.Call(typeof(PerLane).GetMethods().Single(m => m.Name == nameof(PerLane.Apply) && m.GetParameters().Length == args.Length)
                .MakeGenericMethod(function), values);
            return E.Block(V, values, values.Zip(args, (v, a) => (E)E.Assign(v, a)).Append(E.Condition(uniform, once, perLane)));
        }

        // Each lane's entry index is a sum of compare masks; the entries are then permuted into the lanes (tables of up to
        // 16 entries on AVX-512), or chosen by a chain of selects.
        protected override E Pick(ParameterExpression x, ExpressionType comparison, double[] bounds, double[]? values, Func<Func<double[], E>, E>? entry)
        {
            var masks = bounds.Select((_, j) => E.Variable(V, "pass" + j)).ToArray();
            var statements = bounds.Select((b, j) => (E)E.Assign(masks[j], Compare(comparison, x, Constant(b)))).ToList();
            var variables = masks.ToList();
            Func<double[], E> choose;
            if (Avx512F.IsSupported && bounds.Length < 16)
            {
                var index = E.Variable(typeof(Vector512<long>), "index");
                variables.Add(index);
                statements.Add(E.Assign(index, E.Call(CreateLong, E.Constant(0L))));
                statements.AddRange(masks.Select(m => (E)E.Assign(index, E.Subtract(index, E.Call(AsInt64, m)))));   // a passed mask is −1
                choose = c => E.Call(Permute, Eight(c, 0), index, Eight(c, 8));
            }
            else
            {
                choose = c =>
                {
                    E r = Constant(c[0]);
                    for (int j = 1; j < c.Length; j++) r = Select(masks[j - 1], Constant(c[j]), r);
                    return r;
                };
            }
            statements.Add(values is null ? entry!(choose) : choose(values));
            return E.Block(V, variables, statements);
        }

        private static E Eight(double[] c, int from) =>
            E.Call(CreateEight, Enumerable.Range(from, 8).Select(i => E.Constant(i < c.Length ? c[i] : 0.0)));

        private static MethodInfo Generic(string name, int parameters, Type? returns = null) =>
            typeof(Vector512).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Single(m => m.Name == name && m.IsGenericMethodDefinition && m.GetParameters().Length == parameters
                    && (returns is null || m.ReturnType == returns)
                    && m.GetParameters().All(p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(Vector512<>)))
                .MakeGenericMethod(typeof(double));
    }
}
