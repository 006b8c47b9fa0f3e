namespace LoopSim.Engine.Tests.Engine;

public class SmokeTests
{
    [Fact]
    public void ExponentialDecayMatchesEulerByHand()
    {
        var r = new TestModel(stop: 3).Stock("S", "100", outflows: new[] { "out" }).Flow("out", "S * 0.1").Run();
        Close.Equal(new[] { 100.0, 90, 81, 72.9 }, r["S"]);
    }
}
