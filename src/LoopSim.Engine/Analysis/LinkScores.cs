using LoopSim.Engine.Compilation;
using LoopSim.Engine.Runtime;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Analysis;

/// <summary>
/// Link scores of the Loops That Matter method at every DT. The formulas below read [t − dt, t] as the papers write
/// them; the analysis labels each step by its start (t − dt here), as Stella does (see LoopAnalysis.Times).
/// <para>
/// Auxiliary and flow links (Schoenberg, Davidsen &amp; Eberlein, SDR 36(2) 2020, eq. 2):
/// LS(x→z) = |Δₓz / Δz| · sign(Δₓz / Δx), and 0 when Δz = 0 or Δx = 0, where Δₓz = f(x at t, every other input
/// at t − dt) − z(t − dt): the equation is re-evaluated by the compiler's own delegate (CodeGen.Evaluator) on the
/// previous step's values with only x changed, so every builtin has one implementation.
/// </para>
/// <para>
/// Flow-to-stock links, as corrected by Schoenberg, Hayward &amp; Eberlein (SDR 39(2) 2023, eq. 3):
/// LS(i→S) = |Δi / (ΔS_t − ΔS_{t−dt})| for an inflow, −|Δo / (ΔS_t − ΔS_{t−dt})| for an outflow. The denominator,
/// the stock's second difference, is written as the change of its net flow (Σ inflows − Σ outflows) over the same
/// interval as every other link, so the score does not depend on whether flows are written apart or netted
/// (the paper's point) and a loop's links all describe one interval.
/// </para>
/// <para>
/// A fixed DELAY has no instantaneous path from input to output; as the LTM authors do for conveyors (the
/// perfect-mixing approximation), the change in its output not due to its delay time is attributed to its input,
/// with positive polarity.
/// </para>
/// Scores that come out infinite or NaN (a model producing NaN) count as 0.
/// </summary>
internal static class LinkScores
{
    /// <returns>scores[k][step − 1] for each link index k (for the step from values[step − 1] to values[step]) in <paramref name="links"/>; null for links not asked for.</returns>
    public static double[]?[] Compute(CompiledModel model, CausalGraph graph, IReadOnlyList<int> links, double[][] values, RunContext context)
    {
        int steps = values.Length - 1;
        var scores = new double[]?[graph.Links.Count];
        foreach (var k in links) scores[k] = new double[steps];

        var byTarget = links.Where(k => graph.Links[k].Kind == LinkKind.Equation)
            .GroupBy(k => graph.Links[k].To)
            .Select(g => (Target: g.Key, Links: g.ToArray(), Evaluate: model.CodeGen.Evaluator(g.Key)))
            .OrderBy(t => t.Target).ToArray();
        var stockLinks = links.Where(k => graph.Links[k].Kind != LinkKind.Equation).ToArray();
        var netFlow = NetFlows(graph, stockLinks.Select(k => graph.Links[k].To).Distinct(), values);

        var scratch = new double[values[0].Length];
        for (int step = 1; step <= steps; step++)
        {
            var previous = values[step - 1];
            var current = values[step];
            Array.Copy(previous, scratch, scratch.Length);
            foreach (var (target, targetLinks, evaluate) in byTarget)
            {
                int zSlot = Slots.Of(target);
                double dz = current[zSlot] - previous[zSlot];
                if (dz == 0 || !double.IsFinite(dz)) continue;
                var node = graph.Nodes[target];
                double explained = 0;
                int delayInputLink = -1;
                foreach (var k in targetLinks)
                {
                    int x = graph.Links[k].From;
                    if (node.Kind == NodeKind.FixedDelay && x == node.DelayInput) { delayInputLink = k; continue; }
                    int xSlot = Slots.Of(x);
                    double dx = current[xSlot] - previous[xSlot];
                    if (dx == 0) continue;
                    scratch[xSlot] = current[xSlot];
                    double partial = evaluate(scratch, context) - previous[zSlot];
                    scratch[xSlot] = previous[xSlot];
                    explained += partial;
                    if (double.IsFinite(partial) && double.IsFinite(dx))
                        scores[k]![step - 1] = Finite(Math.Abs(partial / dz) * Math.Sign(partial) * Math.Sign(dx));
                }
                if (delayInputLink >= 0)
                    scores[delayInputLink]![step - 1] = Finite(Math.Abs((dz - explained) / dz));
            }
            foreach (var k in stockLinks)
            {
                var link = graph.Links[k];
                int fSlot = Slots.Of(link.From);
                double df = current[fSlot] - previous[fSlot];
                var net = netFlow[link.To];
                double dNet = net[step] - net[step - 1];
                if (df == 0 || dNet == 0) continue;
                scores[k]![step - 1] = Finite(Math.Abs(df / dNet) * (link.Kind == LinkKind.Inflow ? 1 : -1));
            }
        }
        return scores;
    }

    private static Dictionary<int, double[]> NetFlows(CausalGraph graph, IEnumerable<int> stocks, double[][] values)
    {
        var result = new Dictionary<int, double[]>();
        foreach (var s in stocks)
        {
            var net = new double[values.Length];
            for (int step = 0; step < values.Length; step++)
            {
                double sum = 0;
                foreach (var f in graph.Nodes[s].Inflows) sum += values[step][Slots.Of(f)];
                foreach (var f in graph.Nodes[s].Outflows) sum -= values[step][Slots.Of(f)];
                net[step] = sum;
            }
            result[s] = net;
        }
        return result;
    }

    private static double Finite(double score) => double.IsFinite(score) ? score : 0;
}
