namespace LoopSim.Reports.Tests;

public class NumberFormatTests
{
    [Theory]
    [InlineData(12345.6, "12,346")]
    [InlineData(1234567.0, "1,234,567")]
    [InlineData(156.0, "156")]
    [InlineData(45.0, "45")]
    [InlineData(2.0, "2")]
    [InlineData(12.345, "12.3")]
    [InlineData(1.2345, "1.23")]
    [InlineData(0.12345, "0.123")]
    [InlineData(0.0012345, "0.00123")]
    [InlineData(0.000012345, "1.23e-5")]
    [InlineData(-0.4321, "-0.432")]
    [InlineData(-9876.4, "-9,876")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "n/a")]
    [InlineData(double.PositiveInfinity, "∞")]
    public void Readable_shows_about_three_significant_digits(double value, string expected) =>
        Assert.Equal(expected, NumberFormat.Readable(value));

    [Theory]
    [InlineData(250.0, 0)]
    [InlineData(99.9, 1)]
    [InlineData(10.0, 1)]
    [InlineData(9.99, 2)]
    [InlineData(1.0, 2)]
    [InlineData(0.5, 3)]
    [InlineData(0.05, 4)]
    [InlineData(1e-12, 6)]
    [InlineData(0.0, 0)]
    public void DecimalsFor_gives_three_significant_digits_at_a_magnitude(double magnitude, int decimals) =>
        Assert.Equal(decimals, NumberFormat.DecimalsFor(magnitude));

    [Theory]
    [InlineData(5.0, 1, "5.0")]
    [InlineData(51.04, 1, "51.0")]
    [InlineData(-0.001, 2, "0.00")]
    [InlineData(1234.5678, 2, "1,234.57")]
    [InlineData(7.0, 0, "7")]
    public void Fixed_uses_the_given_decimals(double value, int decimals, string expected) =>
        Assert.Equal(expected, NumberFormat.Fixed(value, decimals));

    [Theory]
    [InlineData(0.30000000000000004, "0.3")]
    [InlineData(12000.0, "12,000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(-0.0, "0")]
    [InlineData(-2.5, "-2.5")]
    public void Tick_labels_drop_floating_point_noise(double value, string expected) =>
        Assert.Equal(expected, NumberFormat.Tick(value));

    [Fact]
    public void Range_joins_two_readable_numbers() =>
        Assert.Equal("0.412–0.634", NumberFormat.Range(0.41234, 0.63421));

    [Theory]
    [InlineData(0.05, "5%")]
    [InlineData(0.3, "30%")]
    [InlineData(0.125, "12.5%")]
    [InlineData(1.0, "100%")]
    public void Percent_reads_a_share_as_a_percentage(double share, string text) => Assert.Equal(text, NumberFormat.Percent(share));
}
