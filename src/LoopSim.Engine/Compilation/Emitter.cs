using System.Linq.Expressions;
using LoopSim.Engine.Model;
using E = System.Linq.Expressions.Expression;

namespace LoopSim.Engine.Compilation;

/// <summary>
/// What a builtin's emitter (its catalogue entry's Emit) writes code with: the value representation (<see cref="Lanes"/>:
/// one run, or a batch in vector lanes), the clock, and the model's dialect.
/// </summary>
internal sealed class Emitter(Lanes lanes, Dialect dialect, Func<int, E> clock)
{
    public Lanes Lanes { get; } = lanes;
    public Dialect Dialect { get; } = dialect;

    public E Time => clock(Runtime.Slots.Time);
    public E Dt => clock(Runtime.Slots.Dt);
    public E Start => clock(Runtime.Slots.Start);
    public E Stop => clock(Runtime.Slots.Stop);

    public E Constant(double value) => Lanes.Constant(value);

    /// <summary>The number an argument holds when it is written as a constant, else null (then the code must decide at run time).</summary>
    public double? Known(E value) => Lanes.Known(value);

    /// <summary>Abs, Min, Max, Sqrt, Floor or Truncate: Math's for one run, the (bit-identical) vector instruction for a batch.</summary>
    public E Native(string name, params E[] args) => Lanes.Native(name, args);

    /// <summary>A function of Runtime.Functions: called directly, or lane by lane.</summary>
    public E Call(Type function, params E[] args) => Lanes.Call(function, args);

    /// <summary>A function of all the arguments at once (Runtime.IArrayFunction): called directly, or lane by lane.</summary>
    public E CallOnArray(Type function, E[] args) => Lanes.CallOnArray(function, args);

    /// <summary>Evaluates <paramref name="value"/> once for a body that reads it more than once.</summary>
    public E Let(E value, Func<ParameterExpression, E> body)
    {
        var local = E.Variable(Lanes.Value, "let");
        return E.Block(Lanes.Value, new[] { local }, E.Assign(local, value), body(local));
    }
}
