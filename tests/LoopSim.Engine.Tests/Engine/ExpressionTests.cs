using LoopSim.Engine.Model;
using LoopSim.Engine.Syntax;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>The XMILE expression language, evaluated through the whole compiler at TIME = 0.</summary>
public class ExpressionTests
{
    private static double Eval(string equation, params (string Name, string Equation)[] others)
    {
        var model = new TestModel(stop: 1);
        foreach (var (name, eq) in others) model.Aux(name, eq);
        model.Aux("result", equation);
        return model.Run()["result"][0];
    }

    [Theory]
    [InlineData("-2^2", -4)]
    [InlineData("2^3^2", 512)]
    [InlineData("2^-1", 0.5)]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("12 / 3 / 2", 2)]
    [InlineData(".5 + 3e-05", 0.50003)]
    [InlineData("1.5E+2", 150)]
    [InlineData("7 mod 3", 1)]
    [InlineData("7 MOD 3 * 2", 2)]
    [InlineData("-7 mod 3", 2)]      // the floored modulus: its sign follows the divisor (XMILE 1.0 §3.3.1)
    [InlineData("7 mod -3", -2)]
    [InlineData("-7 mod -3", -1)]
    [InlineData("INT(-2.5)", -3)]     // the floor (XMILE 1.0 §3.5.1, footnote 7)
    [InlineData("INT(2.5)", 2)]
    [InlineData("1 < 2", 1)]
    [InlineData("2 <= 1", 0)]
    [InlineData("1 = 1", 1)]
    [InlineData("1 <> 1", 0)]
    [InlineData("1 < 2 AND 2 < 1", 0)]
    [InlineData("1 < 2 or 2 < 1", 1)]
    [InlineData("not 0", 1)]
    [InlineData("NOT 1 = 0", 1)] // NOT is unary, so it binds before '='
    [InlineData("1 < 2 = 2 < 3", 1)] // relational before equality
    [InlineData("MOD(7, 3) + 1", 2)]
    [InlineData("1 OR 0 AND 0", 1)]
    [InlineData("IF 1 > 0 THEN 10 ELSE 20", 10)]
    [InlineData("if 0 then 10 else if 1 then 30 else 40", 30)]
    [InlineData("IF 0 THEN 1 ELSE 2 + 3", 5)]
    [InlineData("{a comment} 4 {another}", 4)]
    [InlineData("+.72", 0.72)]
    public void EvaluatesWithXmilePrecedence(string equation, double expected) =>
        Assert.Equal(expected, Eval(equation), 12);

    [Fact]
    public void NamesAreCaseInsensitiveWithSpacesAndUnderscoresAlike()
    {
        Assert.Equal(6, Eval("Birth_Rate * 2 + \"birth rate\"", ("Birth Rate", "2")));
        Assert.Equal(3, Eval("stock_with_newline", ("Stock with \\n Newline", "3")));
        Assert.Equal(5, Eval("\"Aux with $peC!@|_characters\"", ("Aux with $peC!@| characters", "5")));
    }

    [Theory]
    [InlineData("1 +", "ends too early")]
    [InlineData("(1 + 2", "expected ')'")]
    [InlineData("1 2", "unexpected '2'")]
    [InlineData("IF 1 THEN 2", "expected ELSE")]
    [InlineData("3 # 4", "unexpected character '#'")]
    public void SyntaxErrorsNameTheProblemAndColumn(string equation, string message)
    {
        var e = Assert.Throws<ModelException>(() => Equation.Parse(equation, new SourceLocation("m.xmile", 7, 10), "bad"));
        var d = Assert.Single(e.Diagnostics);
        Assert.Contains(message, d.Message);
        Assert.Equal("bad", d.Variable);
        Assert.Equal(7, d.Location!.Line);
        Assert.True(d.Location.Column >= 10, d.ToString());
    }
}
