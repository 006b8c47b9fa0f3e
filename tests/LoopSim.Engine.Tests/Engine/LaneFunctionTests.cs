using System.Runtime.Intrinsics;
using LoopSim.Engine.Runtime;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>A builtin's vector form (what a batch runs) equals its scalar form (one run) bit for bit in every lane.</summary>
public class LaneFunctionTests
{
    [Fact]
    public void The_vector_pulse_equals_the_scalar_pulse_in_every_lane()
    {
        double[] times = [0, 0.25, 0.999999, 1, 1.0000001, 2, 3.75, 4, 12, 12.25, 100, -1, double.NaN, double.PositiveInfinity];
        double[] dts = [0.25, 1, 1.0 / 3, 0.0625];
        double[] magnitudes = [1, 0, -3, 2.5, double.NaN];
        double[] firsts = [0, 1, 4, 12, -2, double.NaN];
        double[] intervals = [0, 4, 12, 0.25, -1, 1.0 / 3, double.NaN, double.PositiveInfinity];
        var cases = (from t in times from d in dts from m in magnitudes from f in firsts from i in intervals select (t, d, m, f, i)).ToArray();
        var lanes = new double[5, 8];
        for (int start = 0; start < cases.Length; start += 8)
        {
            for (int l = 0; l < 8; l++)
            {
                var (t, d, m, f, i) = cases[(start + l) % cases.Length];
                (lanes[0, l], lanes[1, l], lanes[2, l], lanes[3, l], lanes[4, l]) = (t, d, m, f, i);
            }
            Vector512<double> Arg(int a) => Vector512.Create(Enumerable.Range(0, 8).Select(l => lanes[a, l]).ToArray());
            var result = Functions.Pulse.ApplyToLanes(Arg(0), Arg(1), Arg(2), Arg(3), Arg(4));
            for (int l = 0; l < 8; l++)
            {
                double expected = Functions.Pulse.Apply(lanes[0, l], lanes[1, l], lanes[2, l], lanes[3, l], lanes[4, l]);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(result.GetElement(l)),
                    $"PULSE(time {lanes[0, l]}, dt {lanes[1, l]}, magnitude {lanes[2, l]}, first {lanes[3, l]}, interval {lanes[4, l]}): scalar {expected:R}, lane {result.GetElement(l):R}");
            }
        }
    }
}
