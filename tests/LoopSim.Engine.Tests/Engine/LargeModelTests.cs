using System.Diagnostics;
using System.Globalization;
using System.Text;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;
using Xunit.Abstractions;

namespace LoopSim.Engine.Tests.Engine;

/// <summary>A model too large for one generated method (the fused Euler loop's locals) compiles into chunks and runs, one run and a batch.</summary>
public class LargeModelTests(ITestOutputHelper output)
{
    [Fact]
    public void A_chain_of_25000_stocks_compiles_and_runs()
    {
        const int stocks = 25_000;
        var watch = Stopwatch.StartNew();
        var model = ModelCompiler.Compile(XmileReader.Parse(Chain(stocks)));
        var compiled = watch.Elapsed;
        Assert.True(model.Nodes.Count + model.StockNodes.Length > Compilation.CodeGen.MaxFusedLocals, "the chain must be past the fused loop's limit");

        var r = model.Run();
        var ran = watch.Elapsed;
        // Each step moves half of every stock on: s_k(t) = C(t, k) / 2^t (dt 1); the total stays 1.
        for (int k = 0; k <= 10; k++)
            Assert.Equal(Binomial(10, k) / 1024.0, r["s" + k.ToString(CultureInfo.InvariantCulture)][^1]);
        Assert.Equal(0, r["s11"][^1]);
        Assert.Equal(1.0, Enumerable.Range(0, stocks).Sum(k => r["s" + k.ToString(CultureInfo.InvariantCulture)][^1]), 12);

        // A batch of two runs (the vector phases, also chunked) equals the runs one by one.
        var outputs = new[] { model.OutputIndex("s3"), model.OutputIndex("f9") };
        var batch = model.CreateBatchSimulation();
        var parameters = model.DefaultParameters.Concat(model.DefaultParameters.Select((p, i) => i == model.ParameterIndex("s0") ? 2 : p)).ToArray();
        var values = new double[2 * batch.SaveCount * outputs.Length];
        batch.Run(parameters, [1, 2], outputs, values);
        int perRun = batch.SaveCount * outputs.Length;
        Assert.Equal(Binomial(10, 3) / 1024.0, values[perRun - 2]);
        Assert.Equal(2 * Binomial(10, 3) / 1024.0, values[2 * perRun - 2]);
        output.WriteLine($"{stocks} stocks: compiled in {compiled.TotalSeconds:0.0} s, one run by {ran.TotalSeconds:0.0} s, a batch by {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private static double Binomial(int n, int k) => k > n ? 0 : Enumerable.Range(1, k).Aggregate(1.0, (c, i) => c * (n - k + i) / i);

    /// <summary>s0 (1) → f0 → s1 → … → s(n−1), each flow half its stock per time unit; 10 steps of dt 1.</summary>
    private static string Chain(int n)
    {
        var xml = new StringBuilder("""
            <xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
            <header><vendor>test</vendor><product version="1">test</product></header>
            <sim_specs><start>0</start><stop>10</stop><dt>1</dt></sim_specs>
            <model><variables>
            """);
        for (int i = 0; i < n; i++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<stock name=\"s{i}\"><eqn>{(i == 0 ? 1 : 0)}</eqn>");
            if (i > 0) xml.Append(CultureInfo.InvariantCulture, $"<inflow>f{i - 1}</inflow>");
            if (i < n - 1) xml.Append(CultureInfo.InvariantCulture, $"<outflow>f{i}</outflow></stock><flow name=\"f{i}\"><eqn>s{i} * 0.5</eqn></flow>");
            else xml.Append("</stock>");
            xml.Append('\n');
        }
        return xml.Append("</variables></model></xmile>").ToString();
    }
}
