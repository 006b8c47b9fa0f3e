using System.Text.RegularExpressions;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Simulation;

namespace LoopSim.Benchmarks;

/// <summary>
/// Issue 11's yardstick for arrays: the supply-chain model arrayed over <see cref="Sites"/> sites, against the scalar
/// model, side by side in one process. The arrayed copy is generated here from ../shared/bench/supplychain.xmile
/// (never copied into the project): every stock, flow and auxiliary gets &lt;dimensions&gt;&lt;dim name="Site"/&gt;,
/// the constants stay shared, and the equations are unchanged (a bare name is the same site's element), so each
/// site computes exactly the scalar model. The arrayed run's time is reported per site: a ratio near 1 to the
/// baseline means an arrayed model runs as fast per element as its unrolled twin.
/// </summary>
[MemoryDiagnoser]
public class ArrayedSupplyChainBenchmarks
{
    public const int Sites = 8;

    private Simulator _scalar = null!, _arrayed = null!;
    private double[] _scalarParameters = null!, _arrayedParameters = null!, _scalarBuffer = null!, _arrayedBuffer = null!;
    private int[] _scalarOutputs = null!, _arrayedOutputs = null!;
    private int[] _scalarInputs = null!, _arrayedInputs = null!;
    private ulong _lcg = 12345;

    /// <summary>The supply chain arrayed over a dimension Site of <paramref name="sites"/> elements (XMILE text).</summary>
    public static string ArrayedXmile(int sites)
    {
        var document = XDocument.Load(BenchFiles.SupplyChain);
        var ns = document.Root!.Name.Namespace;
        document.Root.Element(ns + "sim_specs")!.AddAfterSelf(
            new XElement(ns + "dimensions", new XElement(ns + "dim", new XAttribute("name", "Site"), new XAttribute("size", sites))));
        var variables = document.Root.Element(ns + "model")!.Element(ns + "variables")!;
        foreach (var variable in variables.Elements().Where(e => e.Name.LocalName is "stock" or "flow" or "aux"))
        {
            bool constant = Regex.IsMatch(variable.Element(ns + "eqn")?.Value ?? "", @"^\s*[0-9.]+\s*$");
            if (!constant) variable.AddFirst(new XElement(ns + "dimensions", new XElement(ns + "dim", new XAttribute("name", "Site"))));
        }
        return document.ToString();
    }

    [GlobalSetup]
    public void Setup()
    {
        var scalar = ModelCompiler.Compile(XmileReader.Load(BenchFiles.SupplyChain));
        var arrayed = ModelCompiler.Compile(XmileReader.Parse(ArrayedXmile(Sites), "supplychain-arrayed.xmile"));
        (_scalar, _scalarParameters, _scalarOutputs, _scalarBuffer, _scalarInputs) = Prepare(scalar, SupplyChainBenchmarks.Outputs);
        var perSite = SupplyChainBenchmarks.Outputs.SelectMany(o => Enumerable.Range(1, Sites).Select(s => $"{o}[{s}]")).ToArray();
        (_arrayed, _arrayedParameters, _arrayedOutputs, _arrayedBuffer, _arrayedInputs) = Prepare(arrayed, perSite);
    }

    private static (Simulator, double[], int[], double[], int[]) Prepare(CompiledModel model, string[] outputs)
    {
        var simulator = model.CreateSimulation();
        var indices = outputs.Select(model.OutputIndex).ToArray();
        int[] inputs = [model.ParameterIndex("Base Demand"), model.ParameterIndex("Production Delay"), model.ParameterIndex("Hiring Time")];
        return (simulator, (double[])model.DefaultParameters.Clone(), indices, new double[simulator.SaveCount * indices.Length], inputs);
    }

    private double Draw(double min, double max)
    {
        _lcg = _lcg * 6364136223846793005UL + 1442695040888963407UL;
        return min + (max - min) * ((_lcg >> 11) * (1.0 / (1UL << 53)));
    }

    private void ChangeInputs(double[] parameters, int[] inputs)
    {
        parameters[inputs[0]] = Draw(50, 150);
        parameters[inputs[1]] = Draw(2, 10);
        parameters[inputs[2]] = Draw(4, 20);
    }

    [Benchmark(Baseline = true, Description = "scalar supply chain: one run, inputs changed, 5 outputs")]
    public double Scalar()
    {
        ChangeInputs(_scalarParameters, _scalarInputs);
        _scalar.Run(_scalarParameters, 0, _scalarOutputs, _scalarBuffer);
        return _scalarBuffer[^1];
    }

    [Benchmark(Description = "arrayed over 8 sites: one run, inputs changed, 5 outputs per site (per site)", OperationsPerInvoke = Sites)]
    public double ArrayedPerSite()
    {
        ChangeInputs(_arrayedParameters, _arrayedInputs);
        _arrayed.Run(_arrayedParameters, 0, _arrayedOutputs, _arrayedBuffer);
        return _arrayedBuffer[^1];
    }
}
