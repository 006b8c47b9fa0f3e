namespace LoopSim.Engine.Syntax;

/// <summary>
/// An equation's syntax tree, as a reader parsed it (stage 1 of the pipeline; <see cref="Semantics.Resolver"/> turns
/// it into the resolved IR). Names are still names here. <see cref="Position"/> is the offset in the equation text,
/// for error messages (<see cref="Equation.At"/> turns it into a file, line and column).
/// </summary>
public abstract record Expr(int Position);

public sealed record NumberExpr(double Value, int Position) : Expr(Position);

/// <summary>A reference to a variable; <see cref="Name"/> is canonical (see Names.Canonical), <see cref="Written"/> as in the text.</summary>
public sealed record VariableExpr(string Name, string Written, int Position) : Expr(Position);

public enum UnaryOp { Negate, Plus, Not }
public sealed record UnaryExpr(UnaryOp Op, Expr Operand, int Position) : Expr(Position);

public enum BinaryOp { Add, Subtract, Multiply, Divide, Power, Mod, Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, And, Or }
public sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right, int Position) : Expr(Position);

public sealed record IfExpr(Expr Condition, Expr Then, Expr Else, int Position) : Expr(Position);

/// <summary>A call of a builtin or of a named graphical function; <see cref="Function"/> is canonical (lower case), <see cref="Written"/> as in the text.</summary>
public sealed record CallExpr(string Function, string Written, IReadOnlyList<Expr> Args, int Position) : Expr(Position);

/// <summary>
/// name[i, j]: elements of an arrayed variable. Each index is a name (an element, or a dimension standing for the
/// element being computed), a number (a position, from 1), or a <see cref="WildcardExpr"/>.
/// </summary>
public sealed record SubscriptExpr(string Name, string Written, IReadOnlyList<Expr> Indices, int Position) : Expr(Position);

/// <summary>A whole dimension as an index, for array functions such as SUM: XMILE's "*" (Dimension null) or Vensim's "dim!".</summary>
public sealed record WildcardExpr(string? Dimension, int Position) : Expr(Position);
