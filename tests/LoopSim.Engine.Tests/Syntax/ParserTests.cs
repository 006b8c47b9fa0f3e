using LoopSim.Engine.Formats;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Tests.Syntax;

/// <summary>Readers parse equations: errors name the file, line and column; deep nesting is refused, not a stack overflow.</summary>
public class ParserTests
{
    [Fact]
    public void Ten_thousand_nested_parentheses_are_a_clear_error()
    {
        var text = new string('(', 10_000) + "1" + new string(')', 10_000);
        var e = Assert.Throws<ModelException>(() => Equation.Parse(text, new SourceLocation("m.xmile", 3, 5), "deep"));
        var d = Assert.Single(e.Diagnostics);
        Assert.Contains($"more than {Parser.MaxNesting} levels of nested parentheses", d.Message);
        Assert.Equal("deep", d.Variable);
        Assert.Contains("Split the equation", d.Hint);
    }

    [Fact]
    public void Nesting_up_to_the_limit_compiles_and_runs()
    {
        int depth = Parser.MaxNesting - 2;
        var text = new string('(', depth) + "1" + new string(')', depth) + " + " + string.Join(" + ", Enumerable.Repeat("x", 400));
        var result = new TestModel(stop: 1).Aux("x", "2").Aux("deep", text).Run();
        Assert.Equal(801, result["deep"][0]);
    }

    [Fact]
    public void An_equation_taller_than_the_limit_is_refused()
    {
        var text = string.Join(" + ", Enumerable.Repeat("1", Parser.MaxHeight + 1));
        var e = Assert.Throws<ModelException>(() => Equation.Parse(text));
        Assert.Contains($"more than {Parser.MaxHeight:N0} operations deep", e.Message);
    }

    [Fact]
    public void A_unary_chain_is_nesting_too()
    {
        var e = Assert.Throws<ModelException>(() => Equation.Parse(new string('-', 5_000) + "1"));
        Assert.Contains("levels of nested", e.Message);
    }

    [Fact]
    public void XMILE_syntax_errors_give_the_line_and_column_of_the_problem()
    {
        var xml = """
            <xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">
              <header><name>m</name></header>
              <sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>
              <model><variables>
                <aux name="a"><eqn>1 + * 2</eqn></aux>
                <aux name="b"><eqn>
                    3 +
                    (4</eqn></aux>
              </variables></model>
            </xmile>
            """;
        var e = Assert.Throws<ModelException>(() => XmileReader.Parse(xml, "m.xmile"));
        Assert.Equal(2, e.Diagnostics.Count);
        // a: "1 + * 2" starts at column 24 of line 5; the '*' is 4 characters in.
        Assert.Equal(new SourceLocation("m.xmile", 5, 28), e.Diagnostics[0].Location);
        Assert.Equal("a", e.Diagnostics[0].Variable);
        // b: the text starts on line 7 (after the line break and indentation), the unclosed '(' ends on line 8.
        Assert.Equal(8, e.Diagnostics[1].Location!.Line);
        Assert.Equal("b", e.Diagnostics[1].Variable);
    }

    [Fact]
    public void YAML_syntax_errors_give_the_line_and_column_of_the_problem()
    {
        var yaml = "sim: {start: 0, stop: 1, dt: 1}\nauxiliaries:\n  a:\n    equation: 1 + * 2\n";
        var d = Assert.Single(Assert.Throws<ModelException>(() => YamlModelReader.Parse(yaml, "m.yaml")).Diagnostics);
        Assert.Equal(new SourceLocation("m.yaml", 4, 19), d.Location);
    }

    [Theory]
    [InlineData("-2^2")]
    [InlineData("(-2)^2")]
    [InlineData("2^3^2")]
    [InlineData("(2^3)^2")]
    [InlineData("a - (b - c)")]
    [InlineData("a / (b * c)")]
    [InlineData("-(a + b)")]
    [InlineData("NOT a = b")]
    [InlineData("NOT (a = b)")]
    [InlineData("(IF a THEN 1 ELSE 2) + 3")]
    [InlineData("IF a THEN 1 ELSE 2 + 3")]
    [InlineData("a MOD b * c")]
    [InlineData("a OR b AND c")]
    [InlineData("(a OR b) AND c")]
    [InlineData("\"birth rate\" * SMTH1(x, 2)")]
    [InlineData("\"if\" + \"a \\\"quoted\\\" name\"")]
    [InlineData("hares.area / 1.5E-05")]
    public void Written_syntax_parses_back_to_the_same_tree(string text)
    {
        var tree = Parser.Parse(text);
        var written = ExprWriter.Write(tree);
        Assert.Equal(ExprWriter.Write(tree), ExprWriter.Write(Parser.Parse(written)));
        Assert.True(SameTree(tree, Parser.Parse(written)), $"{text} was written as {written}");
    }

    /// <summary>Structural equality, ignoring positions and how names were written.</summary>
    internal static bool SameTree(Expr p, Expr q) => (p, q) switch
    {
        (NumberExpr a, NumberExpr b) => a.Value.Equals(b.Value),
        (VariableExpr a, VariableExpr b) => a.Name == b.Name,
        (UnaryExpr a, UnaryExpr b) => a.Op == b.Op && SameTree(a.Operand, b.Operand),
        (BinaryExpr a, BinaryExpr b) => a.Op == b.Op && SameTree(a.Left, b.Left) && SameTree(a.Right, b.Right),
        (IfExpr a, IfExpr b) => SameTree(a.Condition, b.Condition) && SameTree(a.Then, b.Then) && SameTree(a.Else, b.Else),
        (CallExpr a, CallExpr b) => a.Function == b.Function && a.Args.Count == b.Args.Count && a.Args.Zip(b.Args).All(t => SameTree(t.First, t.Second)),
        _ => false,
    };

    [Fact]
    public void Compiling_reads_each_equation_once_parsed()
    {
        // The reader's trees are what the compiler resolves: no text is parsed again downstream.
        var model = YamlModelReader.Parse("sim: {start: 0, stop: 2, dt: 1}\nauxiliaries:\n  a:\n    equation: 2 * TIME\n", "m.yaml");
        Assert.IsType<BinaryExpr>(model.Variables[0].Equation!.Syntax);
        Assert.Equal([0, 2, 4], ModelCompiler.Compile(model).Run()["a"]);
    }
}
