using LoopSim.Engine.Formats;

namespace LoopSim.Engine.Tests.Formats;

public class DelimitedLineTests
{
    [Theory]
    [InlineData("a, b ,c", ',', new[] { "a", "b", "c" })]
    [InlineData("\"1,5\",2", ',', new[] { "1,5", "2" })]
    [InlineData("\"say \"\"hi\"\"\"\tx", '\t', new[] { "say \"hi\"", "x" })]
    [InlineData("5\" pipe,3", ',', new[] { "5\" pipe", "3" })]   // a quote inside a cell is a character
    [InlineData("a,,", ',', new[] { "a", "", "" })]
    [InlineData("a, \"b, c\"", ',', new[] { "a", "b, c" })]   // the space a tool writes after the separator
    public void Splits_cells_as_RFC_4180_does(string line, char separator, string[] cells) =>
        Assert.Equal(cells, DelimitedLine.Split(line, separator));
}
