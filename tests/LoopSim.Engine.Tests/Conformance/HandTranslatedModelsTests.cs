using LoopSim.Engine.Formats;

namespace LoopSim.Engine.Tests.Conformance;

/// <summary>
/// STEP, RAMP, DELAY1/3/N, DELAY, SMTH1/3/N, TREND and FORCST against Vensim's numbers: the
/// suite tests them only in Vensim-only folders, so Models/*.xmile translate those models by hand
/// where XMILE and Vensim semantics agree (each file says what it leaves out and why).
/// </summary>
public class HandTranslatedModelsTests
{
    [SuiteTheory]
    [InlineData("step_ramp.xmile", "tests/input_functions/output.csv")]
    [InlineData("delays.xmile", "tests/delays/output.tab")]
    [InlineData("delay_fixed.xmile", "tests/delay_fixed/output.tab")]
    [InlineData("delay_pipeline.xmile", "tests/delay_pipeline/output.tab")]
    [InlineData("smooth.xmile", "tests/smooth/output.tab")]
    // output.csv prints TREND with 5 decimals: it is exact to ±5e-6 only.
    [InlineData("trend.xmile", "tests/trend/output.csv", 5e-6)]
    [InlineData("forecast.xmile", "tests/forecast/output.tab")]
    public void Reproduces_the_Vensim_output(string model, string expectedOutput, double absolute = OutputComparison.Absolute)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Models", model);
        var expected = ExpectedOutput.Read(Path.Combine(SdxorgSuite.RequiredFolder, expectedOutput));

        var outcome = OutputComparison.Run(model, () => XmileReader.Load(path), expected, absolute: absolute);

        Assert.True(outcome.Passed, outcome.ToString());
    }
}
