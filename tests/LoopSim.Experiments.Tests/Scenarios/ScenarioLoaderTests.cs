using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;
using LoopSim.Experiments.Scenarios;

namespace LoopSim.Experiments.Tests.Scenarios;

/// <summary>Each test works in its own folder holding models/m.yaml, so relative paths are exercised for real.</summary>
public sealed class ScenarioLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("loopsim-scenario-").FullName;

    private const string ModelText = """
        model: shop
        sim: {start: 0, stop: 10, dt: 1}
        constants:
          member_cap:
            value: 100
          Prospect Pool:
            value: 1000
          deal_value:
            value: 5
        stocks:
          Members:
            initial: 10
            inflows: [joining]
        flows:
          joining:
            equation: Prospect_Pool * 0.01
        auxiliaries:
          engagement:
            equation: Members / member_cap
        """;

    public ScenarioLoaderTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "models"));
        File.WriteAllText(Path.Combine(_folder, "models", "m.yaml"), ModelText);
    }

    public void Dispose() => Directory.Delete(_folder, true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Scenario Load(string text) => ScenarioLoader.Load(Write("s.yaml", text));

    private Diagnostic Fails(string text)
    {
        var e = Assert.Throws<ModelException>(() => Load(text));
        return Assert.Single(e.Diagnostics);
    }

    private const string Inline = """
        scenario: alliance
        title: "Alliance (城市联盟)"
        description: The article's proposal.
        model: models/m.yaml
        set:
          member_cap: 200
          prospect pool: 3000
        cities:
          - name: Shanghai
            label: 上海
            set: { prospect_pool: 4000, deal_value: 7 }
            notes: "pool: an assumption"
          - name: Chengdu
        report: [members, Engagement]
        """;

    [Fact]
    public void Loads_an_inline_scenario()
    {
        var s = Load(Inline);
        Assert.Equal(("alliance", "Alliance (城市联盟)", "The article's proposal."), (s.Name, s.Title, s.Description));
        Assert.Equal(Path.Combine(_folder, "models", "m.yaml"), s.ModelPath);
        Assert.Equal("shop", s.Model.Name);
        Assert.Equal(Path.Combine(_folder, "s.yaml"), s.Source.Path);
        // Names take the model's spelling, whatever the scenario wrote.
        Assert.Equal(new[] { ("member_cap", 200.0), ("Prospect Pool", 3000.0) }, s.Set.Select(p => (p.Name, p.Value)));
        Assert.Equal(new[] { "Members", "engagement" }, s.Report);
        Assert.Equal((1, 42UL), (s.Runs, s.Seed));
        Assert.Empty(s.Uncertain);
        Assert.Null(s.Sweep);
    }

    [Fact]
    public void Cities_keep_label_notes_settings_and_location()
    {
        var s = Load(Inline);
        Assert.Equal(new[] { "Shanghai", "Chengdu" }, s.Cities.Select(c => c.Name));
        var shanghai = s.Cities[0];
        Assert.Equal(("上海", "上海", "pool: an assumption"), (shanghai.Label, shanghai.DisplayName, shanghai.Notes));
        Assert.Equal(new[] { ("Prospect Pool", 4000.0), ("deal_value", 7.0) }, shanghai.Set.Select(p => (p.Name, p.Value)));
        Assert.Equal(new SourceLocation(Path.Combine(_folder, "s.yaml"), 9, 11), shanghai.Location);
        var chengdu = s.Cities[1];
        Assert.Equal(("Chengdu", null, null), (chengdu.DisplayName, chengdu.Label, chengdu.Notes));
        Assert.Empty(chengdu.Set);
    }

    [Fact]
    public void City_settings_apply_after_the_scenario_settings()
    {
        var s = Load(Inline);
        var shanghai = s.OverridesFor(s.Cities[0]);
        Assert.Equal(new Dictionary<string, double> { ["member_cap"] = 200, ["Prospect Pool"] = 4000, ["deal_value"] = 7 }, shanghai);
        var chengdu = s.OverridesFor(s.Cities[1]);
        Assert.Equal(new Dictionary<string, double> { ["member_cap"] = 200, ["Prospect Pool"] = 3000 }, chengdu);
    }

    [Fact]
    public void Overrides_drive_the_compiled_model()
    {
        var s = Load(Inline);
        var shanghai = ModelCompiler.Compile(s.Model, new CompileOptions { Overrides = s.OverridesFor(s.Cities[0]) }).Run();
        Assert.Equal(40, shanghai["joining"][0], 12);           // city: prospect pool 4000 × 0.01
        Assert.Equal(10.0 / 200, shanghai["engagement"][0], 12); // scenario: member cap 200
        var chengdu = ModelCompiler.Compile(s.Model, new CompileOptions { Overrides = s.OverridesFor(s.Cities[1]) }).Run();
        Assert.Equal(30, chengdu["joining"][0], 12);            // scenario: prospect pool 3000 × 0.01
    }

    [Fact]
    public void Cities_can_come_from_a_file_beside_the_scenario()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        Write("data/cities.yaml", "- name: Beijing\n  label: 北京\n  set: {deal_value: 9}\n- name: Hangzhou\n");
        var s = Load("model: models/m.yaml\ncities: data/cities.yaml\nreport: [Members]\n");
        Assert.Equal(new[] { "北京", "Hangzhou" }, s.Cities.Select(c => c.DisplayName));
        Assert.Equal(9, s.OverridesFor(s.Cities[0])["deal_value"]);
        Assert.Equal(Path.Combine(_folder, "data", "cities.yaml"), s.Cities[0].Location.File);
        Assert.Equal("s", s.Name);
    }

    [Fact]
    public void Errors_in_a_cities_file_point_into_it()
    {
        Write("cities.yaml", "- name: Beijing\n  set:\n    deal_valu: 9\n");
        var d = Fails("model: models/m.yaml\ncities: cities.yaml\nreport: [Members]\n");
        Assert.Equal("'deal_valu' in 'set' of city 'Beijing' is not a variable of model 'shop'.", d.Message);
        Assert.Equal("Did you mean 'deal_value'?", d.Hint);
        Assert.Equal(new SourceLocation(Path.Combine(_folder, "cities.yaml"), 3, 5), d.Location);
    }

    [Fact]
    public void Reads_runs_seed_and_the_uncertain_and_sweep_sections_at_load()
    {
        var s = Load("""
            model: models/m.yaml
            cities: [{name: A}]
            report: [Members]
            runs: 500
            seed: 7
            uncertain:
              Deal_Value: {dist: normal, mean: 5, sd: 1}
            sweep:
              params: {member_cap: [100, 200]}
              metric: engagement
            """);
        Assert.Equal((500, 7UL), (s.Runs, s.Seed));
        var spec = Assert.Single(s.Uncertain);
        Assert.Equal(("deal_value", 7), (spec.Parameter, spec.Location!.Line));  // the model's spelling, the file's line
        Assert.Equal("member_cap", Assert.Single(s.Sweep!.Axes).Parameter);
        Assert.Equal(9, s.Sweep.Axes[0].Location!.Line);
    }

    [Fact]
    public void A_bad_uncertain_block_is_an_error_at_load_even_when_nothing_is_sampled()
    {
        var e = Assert.Throws<ModelException>(() => Load("""
            model: models/m.yaml
            report: [Members]
            uncertain:
              deal_value: {dist: normal, mean: 5, sd: -1}
              member_cap: {dist: triangle, min: 1, max: 2}
              nothing: {dist: uniform, min: 0, max: 1}
            """));
        // Every entry is read on its own: all three problems at once, each at its line.
        Assert.Equal([("LS4103", 4), ("LS4101", 5), ("LS2001", 6)], e.Diagnostics.Select(d => (d.Code.Id, d.Location!.Line)));
    }

    [Fact]
    public void A_file_reports_all_its_problems_at_once()
    {
        var e = Assert.Throws<ModelException>(() => Load("""
            model: models/m.yaml
            set: {membercap: 1}
            cities:
              - name: A
                set: {deal_valu: 2}
              - name: B
                set: {deal_value: x}
            report: [Membrs]
            runs: 0
            seed: -3
            sweep: {params: {member_cap: 3:1:1}}
            """));
        Assert.Equal(["LS2001", "LS2001", "LS1206", "LS2001", "LS4003", "LS4004", "LS4201"], e.Diagnostics.Select(d => d.Code.Id));
    }

    [Fact]
    public void A_scenario_without_cities_is_the_model_as_it_is()
    {
        var s = Load("model: models/m.yaml\nset: {member_cap: 50}\nreport: [Members]\n");
        Assert.Empty(s.Cities);
        Assert.Equal("shop", ScenarioPlan.AsItself(s).Name);
    }

    [Fact]
    public void Declared_ranges_hold_for_every_source_of_a_value()
    {
        Write("models/ranged.yaml", ModelText.Replace("  deal_value:\n    value: 5", "  deal_value:\n    value: 5\n    range: [1, 10]"));
        var e = Assert.Throws<ModelException>(() => Load("""
            model: models/ranged.yaml
            set: {deal_value: 0.5}
            cities:
              - name: A
                set: {deal_value: 70}
            report: [Members]
            sweep: {params: {deal_value: [2, 20]}}
            """));
        Assert.Equal(["LS3007", "LS3007", "LS3007"], e.Diagnostics.Select(d => d.Code.Id));
        Assert.Equal("city 'A' gives deal_value the value 70, outside its declared range [1, 10].", e.Diagnostics[1].Message);
        Assert.Equal((5, 11), (e.Diagnostics[1].Location!.Line, e.Diagnostics[1].Location!.Column));

        var d = Fails("model: models/ranged.yaml\nreport: [Members]\nuncertain:\n  deal_value: {dist: normal, mean: 5, sd: 1}\n");
        Assert.Equal("LS3007", d.Code.Id);
        Assert.Equal("'uncertain' draws deal_value from [-∞, ∞], beyond its declared range [1, 10].", d.Message);
        Assert.Equal("Truncate the distribution with min: 1 and max: 10, or widen the range in the model.", d.Hint);
        Assert.Empty(Load("model: models/ranged.yaml\nreport: [Members]\nuncertain:\n  deal_value: {dist: normal, mean: 5, sd: 1, min: 1, max: 10}\n").Set);
    }

    [Fact]
    public void A_parameter_is_either_uncertain_or_fixed()
    {
        var e = Assert.Throws<ModelException>(() => Load("""
            model: models/m.yaml
            set: {member_cap: 5}
            cities: [{name: A, set: {deal_value: 1}}]
            report: [Members]
            uncertain:
              member_cap: {dist: uniform, min: 1, max: 9}
              deal_value: {dist: uniform, min: 1, max: 9}
              Deal Value: {dist: uniform, min: 1, max: 9}
            sweep: {params: {member_cap: [1, 2]}}
            """));
        Assert.Equal(["uncertain parameter is also set by the scenario's 'set'.", "uncertain parameter is also set for city 'A'.",
                "uncertain parameter is given twice.", "uncertain parameter is also swept."],
            e.Diagnostics.Select(d => d.Message));
    }

    [Fact]
    public void Summary_defaults_to_the_report_and_composition_to_nothing()
    {
        var s = Load(Inline);
        Assert.Equal(s.Report, s.Summary);
        Assert.Empty(s.Composition);

        var custom = Load(Inline + "\nsummary: [engagement]\ncomposition: [members, joining]\n");
        Assert.Equal(new[] { "engagement" }, custom.Summary);
        Assert.Equal(new[] { "Members", "joining" }, custom.Composition);
    }

    [Fact]
    public void Unknown_composition_name_is_located()
    {
        var d = Fails(Inline + "\ncomposition: [Membrs]\n");
        Assert.Equal("'Membrs' in 'composition' is not a variable of model 'shop'.", d.Message);
        Assert.Equal("Did you mean 'Members'?", d.Hint);
        Assert.Equal((15, 15), (d.Location!.Line, d.Location.Column));
    }

    [Fact]
    public void Unknown_override_suggests_close_names()
    {
        var d = Fails("model: models/m.yaml\nset:\n  membercap: 1\ncities: [{name: A}]\nreport: [Members]\n");
        Assert.Equal("'membercap' in 'set' is not a variable of model 'shop'.", d.Message);
        Assert.StartsWith("Did you mean 'member_cap'", d.Hint);
        Assert.Equal(new SourceLocation(Path.Combine(_folder, "s.yaml"), 3, 3), d.Location);
    }

    [Fact]
    public void Unknown_report_name_is_located()
    {
        var d = Fails("model: models/m.yaml\ncities: [{name: A}]\nreport: [Members, engagment]\n");
        Assert.Equal("'engagment' in 'report' is not a variable of model 'shop'.", d.Message);
        Assert.Equal("Did you mean 'engagement'?", d.Hint);
        Assert.Equal((3, 19), (d.Location!.Line, d.Location.Column));
    }

    [Fact]
    public void Override_value_must_be_a_number()
    {
        var d = Fails("model: models/m.yaml\nset: {member_cap: lots}\ncities: [{name: A}]\nreport: [Members]\n");
        Assert.Equal("the value of 'member_cap' in 'set' must be a number, not 'lots'.", d.Message);
        Assert.Equal((2, 19), (d.Location!.Line, d.Location.Column));
    }

    [Fact]
    public void The_same_variable_set_twice_under_two_spellings()
    {
        var d = Fails("model: models/m.yaml\ncities:\n  - name: A\n    set: {prospect_pool: 1, Prospect Pool: 2}\nreport: [Members]\n");
        Assert.StartsWith("'Prospect Pool' is set twice in 'set' of city 'A' (first at ", d.Message);
    }

    [Fact]
    public void Needs_at_least_one_city()
    {
        var d = Fails("model: models/m.yaml\ncities: []\nreport: [Members]\n");
        Assert.Equal("the scenario lists no cities; give at least one.", d.Message);
        Assert.Equal((2, 9), (d.Location!.Line, d.Location.Column));
    }

    [Fact]
    public void City_names_are_unique_ignoring_case()
    {
        var d = Fails("model: models/m.yaml\ncities:\n  - name: Shanghai\n  - name: shanghai\nreport: [Members]\n");
        Assert.StartsWith("the city 'shanghai' is listed twice (first at ", d.Message);
        Assert.Equal((4, 11), (d.Location!.Line, d.Location.Column));
    }

    [Fact]
    public void Missing_model_file_is_an_error_at_the_model_line()
    {
        var d = Fails("scenario: x\nmodel: models/nope.yaml\ncities: [{name: A}]\nreport: [Members]\n");
        Assert.Equal($"model file '{Path.Combine(_folder, "models", "nope.yaml")}' not found.", d.Message);
        Assert.Equal((2, 8), (d.Location!.Line, d.Location.Column));
    }

    [Fact]
    public void Errors_in_the_model_point_into_the_model_file()
    {
        Write("models/bad.yaml", "sim: {start: 0, stop: 1, dt: 0}\n");
        var d = Fails("model: models/bad.yaml\ncities: [{name: A}]\nreport: [Members]\n");
        Assert.Equal(Path.Combine(_folder, "models", "bad.yaml"), d.Location!.File);
        Assert.Contains("'dt' must be positive", d.Message);
    }

    [Fact]
    public void Unknown_scenario_key_lists_the_allowed_ones()
    {
        var d = Fails("model: models/m.yaml\ncitys: [{name: A}]\nreport: [Members]\n");
        Assert.Equal("unknown key 'citys' in the scenario file.", d.Message);
        Assert.StartsWith("Did you mean 'cities'? Allowed keys: scenario, title, description, model, set, cities, report, runs, seed, uncertain, sweep, summary, composition, posterior.", d.Hint);
    }

    [Fact]
    public void Unknown_city_key_suggests()
    {
        var d = Fails("model: models/m.yaml\ncities:\n  - name: A\n    lable: 甲\nreport: [Members]\n");
        Assert.Equal("unknown key 'lable' in a city.", d.Message);
        Assert.StartsWith("Did you mean 'label'?", d.Hint);
    }

    [Fact]
    public void Runs_and_seed_are_checked()
    {
        Assert.Equal("'runs' must be at least 1, not 0.", Fails("model: models/m.yaml\ncities: [{name: A}]\nreport: [Members]\nruns: 0\n").Message);
        Assert.Equal("'runs' of the scenario file must be a whole number, not '2.5'.", Fails("model: models/m.yaml\ncities: [{name: A}]\nreport: [Members]\nruns: 2.5\n").Message);
        Assert.Equal("'seed' must be a whole number of 0 or more, not '-1'.", Fails("model: models/m.yaml\ncities: [{name: A}]\nreport: [Members]\nseed: -1\n").Message);
    }

    [Fact]
    public void Missing_scenario_file_is_named()
    {
        var e = Assert.Throws<ModelException>(() => ScenarioLoader.Load(Path.Combine(_folder, "none.yaml")));
        Assert.Contains("scenario file", e.Message);
        Assert.Contains("none.yaml' not found", e.Message);
    }

    [Fact]
    public void Rerun_gives_the_Monte_Carlo_run_it_names_bit_for_bit()
    {
        var path = Write("mc.yaml", """
            scenario: mc
            model: models/m.yaml
            runs: 20
            seed: 7
            cities:
              - name: Shanghai
                set: { member_cap: 150 }
            uncertain:
              prospect pool: {dist: uniform, min: 500, max: 1500}
            report: [members, engagement]
            """);
        var plan = ScenarioPlan.Load(path, new ExperimentSettings(null, null, 2, false, []));
        var outcome = plan.Cities[0].RunMonteCarlo(["members", "engagement"], _folder, null, default);
        var mc = outcome.MonteCarlo!;
        for (int run = 0; run < mc.Runs; run += 6)
        {
            var rerun = ScenarioPlan.Rerun(outcome, run);
            var parameters = outcome.Run.Parameters();
            parameters[outcome.Run.Model.ParameterIndex("prospect pool")] = mc.Samples[run, 0];
            var alone = outcome.Run.Model.Run(parameters, mc.Samples.EquationSeeds[run]);
            foreach (var (name, k) in new[] { ("members", 0), ("engagement", 1) })
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(mc.FinalValue(run, k)), BitConverter.DoubleToInt64Bits(rerun[name][^1]));
                Assert.Equal(alone[name], rerun[name]);
            }
            Assert.Equal(alone.Times, rerun.Times);
        }
    }
}
