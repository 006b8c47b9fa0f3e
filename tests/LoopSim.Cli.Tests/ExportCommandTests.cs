using System.Xml.Linq;
using LoopSim.Engine.Formats;

namespace LoopSim.Cli.Tests;

[Collection("Console")]
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("loopsim-export-").FullName;

    private const string Model = """
        model: growth
        sim: {start: 0, stop: 10, dt: 0.5, method: rk2}
        constants:
          rate: {value: 0.1, units: 1/week, range: [0, 1], description: Births per person., source: Assumption.}
        graphical_functions:
          effect: {points: [[0, 1], [1, 0]]}
        stocks:
          Population:
            initial: 100
            inflows: [births]
        flows:
          births:
            equation: Population * rate * effect(0.5)
        """;

    public void Dispose() => Directory.Delete(_folder, true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Exports_beside_the_model_by_default()
    {
        var model = Write("growth.yaml", Model);
        var (exit, output, error) = CliRunner.Run("export", model, "--to", "xmile");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        var written = Path.Combine(_folder, "growth.xmile");
        Assert.Equal($"wrote {written}\n", output.Replace("\r\n", "\n"));
        var root = XDocument.Load(written).Root!;
        XNamespace x = XmileWriter.Namespace;
        Assert.Equal("growth", (string?)root.Element(x + "header")!.Element(x + "name"));
        Assert.Equal("births", root.Descendants(x + "stock").Single().Element(x + "inflow")!.Value);
    }

    [Fact]
    public void Exports_to_the_named_output()
    {
        var model = Write("growth.yml", Model);
        var target = Path.Combine(_folder, "out", "model.xmile");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var (exit, _, error) = CliRunner.Run("export", model, "--to", "xmile", "--output", target);
        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(XmileWriter.Write(ModelLoader.Load(model)), File.ReadAllText(target));
    }

    [Fact]
    public void An_exported_xmile_file_exports_to_the_same_text()
    {
        var model = Write("growth.yaml", Model);
        Assert.Equal(0, CliRunner.Run("export", model, "--to", "xmile").ExitCode);
        var first = Path.Combine(_folder, "growth.xmile");
        var second = Path.Combine(_folder, "again.xmile");
        Assert.Equal(0, CliRunner.Run("export", first, "--to", "xmile", "--output", second).ExitCode);
        Assert.Equal(File.ReadAllText(first), File.ReadAllText(second));
    }

    [Fact]
    public void A_bad_model_prints_a_located_error_and_writes_nothing()
    {
        var model = Write("bad.yaml", "sim: {start: 0, stop: 10, dt: 1}\nstocks:\n  S:\n    initial: 1\n    inflows: [birth]\nflows:\n  births:\n    equation: 1\n");
        var (exit, output, error) = CliRunner.Run("export", model, "--to", "xmile");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"error LS2001: {model}:5:15: inflow 'birth' of stock 'S' names no flow. Did you mean 'births'?\n", error.Replace("\r\n", "\n"));
        Assert.DoesNotContain("   at ", error);
        Assert.Equal(new[] { model }, Directory.GetFiles(_folder));
    }

    [Fact]
    public void An_unknown_extension_lists_the_supported_ones()
    {
        var model = Write("growth.txt", Model);
        var (exit, _, error) = CliRunner.Run("export", model, "--to", "xmile", "-o", Path.Combine(_folder, "x.xmile"));
        Assert.Equal(1, exit);
        Assert.Contains("unknown extension '.txt'", error);
        Assert.Contains(".yaml", error);
    }

    [Fact]
    public void A_missing_model_is_named()
    {
        var missing = Path.Combine(_folder, "none.yaml");
        var (exit, _, error) = CliRunner.Run("export", missing, "--to", "xmile");
        Assert.Equal(1, exit);
        Assert.Equal($"error LS1001: model file '{missing}' not found. Check the path (relative paths start from the current folder).\n", error.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Refuses_to_overwrite_the_model_itself()
    {
        var model = Write("growth.xmile", "<xmile/>");
        var (exit, _, error) = CliRunner.Run("export", model, "--to", "xmile");
        Assert.Equal(1, exit);
        Assert.Contains("would overwrite it", error);
        Assert.Equal("<xmile/>", File.ReadAllText(model));
    }

    [Fact]
    public void The_format_is_checked()
    {
        var model = Write("growth.yaml", Model);
        var (exit, _, error) = CliRunner.Run("export", model, "--to", "vensim");
        Assert.Equal(1, exit);
        Assert.Contains("vensim", error);
        Assert.False(File.Exists(Path.Combine(_folder, "growth.xmile")));
    }

    [Fact]
    public void A_scenario_exports_with_the_city_values_applied_and_runs_to_the_same_numbers()
    {
        var written = Path.Combine(_folder, "alliance-chengdu.xmile");
        var (exit, output, error) = CliRunner.Run("export", Shipped.Scenario("alliance"), "--city", "成都", "--output", written);
        Assert.True(exit == 0, error);
        Assert.Contains($"wrote {written}", output);
        var root = XDocument.Load(written).Root!;
        XNamespace x = XmileWriter.Namespace, isee = XmileWriter.IseeNamespace;
        Assert.Equal("alliance-Chengdu", (string?)root.Element(x + "header")!.Element(x + "name"));
        // The weekly save interval, in the attribute Stella writes and reads.
        Assert.Equal("1", (string?)root.Descendants(x + "sim_specs").Single().Attribute(isee + "save_interval"));

        // Read back by the XMILE reader, it runs to the city's deterministic run, every variable at every week.
        var exported = LoopSim.Engine.Simulation.ModelCompiler.Compile(ModelLoader.Load(written)).Run();
        var expected = Shipped.RunOnce("alliance", "Chengdu");
        foreach (var variable in new[] { "members", "commissions_paid", "referrals_per_week", "Trust" })
            Assert.Equal(expected[variable], exported[variable]);
        // Without --city, the first city; a city the scenario does not have is an error naming its cities.
        Assert.Equal(0, CliRunner.Run("export", Shipped.Scenario("alliance"), "--output", Path.Combine(_folder, "first.xmile")).ExitCode);
        var bad = CliRunner.Run("export", Shipped.Scenario("alliance"), "--city", "Paris", "--output", Path.Combine(_folder, "paris.xmile"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Its cities: Shanghai", bad.Error);
    }
}
