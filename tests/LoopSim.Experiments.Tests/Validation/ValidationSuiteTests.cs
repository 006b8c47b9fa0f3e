using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Model;
using LoopSim.Experiments.Validation;

namespace LoopSim.Experiments.Tests.Validation;

/// <summary>Each check of the validation suite on small models built to pass it or to fail it.</summary>
public sealed class ValidationSuiteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("loopsim-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A tank refilled at a constant rate and drained in proportion to its content (time constant drain_time).</summary>
    private static string Tank(double drainTime = 4, string extra = "") => $$"""
        model: tank
        sim: { start: 0, stop: 20, dt: 0.25, save_step: 1, method: euler, time_units: week }
        constants:
          drain_time: { value: {{drainTime}}, units: week, range: [0.1, 10] }
          refill: { value: 2, units: litres/week, range: [0, 100] }
          capacity: { value: 20, units: litres, range: [5, 100] }
        stocks:
          Water: { initial: 10, inflows: [filling], outflows: [draining], non_negative: true, units: litres }
          Drained: { initial: 0, inflows: [draining], units: litres }
        flows:
          filling: { equation: refill, units: litres/week }
          draining: { equation: Water / drain_time, units: litres/week }
        auxiliaries:
          level: { equation: Water / capacity, units: dimensionless }
        {{extra}}
        """;

    private static CheckSubject Subject(string path, int medianRuns = 0) =>
        CheckSubject.Load(path, new CheckSettings { MedianRuns = medianRuns, Threads = 2 });

    private static CheckReport Run(IModelCheck check, string path) => check.Run(Subject(path), CancellationToken.None);

    [Fact]
    public void MassBalancePassesWhenEveryStockChangesByItsFlows()
    {
        var report = Run(new MassBalanceCheck(), Write("tank.yaml", Tank()));
        Assert.Equal(CheckStatus.Pass, report.Status);
        Assert.Contains("2 stocks", report.Rows[0].Subject);
    }

    [Fact]
    public void MassBalanceFailsWhenAStockIsOverdrawnAndHeldAtZero()
    {
        // A non-negative stock limits its outflows, not a negative inflow: −3 litres a week out of 10 empties it after
        // 3⅓ weeks, after which the engine holds Water at zero, which creates water.
        var model = Tank().Replace("equation: Water / drain_time", "equation: 0");
        var report = Run(new MassBalanceCheck(), Write("tank.yaml", model.Replace("equation: refill", "equation: -3")));
        Assert.Equal(CheckStatus.Fail, report.Status);
        Assert.Contains("Water overdrawn at week 3.25", report.Rows[0].Measured);
    }

    [Fact]
    public void DeclaredSumsMustStayConstant()
    {
        var path = Write("tank.yaml", Tank());
        Write("checks/tank.yaml", "conserved: { all water: [Water, Drained] }\n");
        var report = Run(new MassBalanceCheck(), path);
        // The refill comes from outside: the sum grows, which the check reports.
        Assert.Equal(CheckStatus.Fail, report.Status);
        Assert.Equal("all water = Water + Drained", report.Rows[1].Subject);
        Write("tank.yaml", Tank().Replace("refill: { value: 2", "refill: { value: 0"));
        Assert.Equal(CheckStatus.Pass, Run(new MassBalanceCheck(), path).Status);
    }

    [Fact]
    public void TimeConstantsShorterThanFourStepsAreNamed()
    {
        var calm = Run(new TimeConstantCheck(), Write("calm.yaml", Tank(drainTime: 4)));
        Assert.Equal(CheckStatus.Pass, calm.Status);
        Assert.Contains("τ = 4 week = 16 DT", calm.Rows[0].Measured);

        var fast = Run(new TimeConstantCheck(), Write("fast.yaml",
            Tank(drainTime: 0.5, extra: "  smoothed: { equation: 'SMTH3(level, MAX(drain_time, 0.6))', units: dimensionless }")));
        Assert.Equal(CheckStatus.Warn, fast.Status);
        Assert.Contains(fast.Rows, r => r.Subject == "Water drains through draining" && r.Measured.StartsWith("τ = 0.5 week = 2 DT", StringComparison.Ordinal));
        Assert.Contains(fast.Rows, r => r.Subject == "smoothed: SMTH3 time / 3 stages" && r.Measured.StartsWith("τ = 0.2 week", StringComparison.Ordinal));
    }

    [Fact]
    public void IntegrationErrorComparesHalfTheStepAndAnotherMethod()
    {
        var report = Run(new IntegrationErrorCheck(), Write("tank.yaml", Tank()));
        Assert.Equal(CheckStatus.Pass, report.Status);
        Assert.Equal(2, report.Rows.Count);
        Assert.StartsWith("DT 0.25 → 0.125 (Euler)", report.Rows[0].Subject);
        Assert.StartsWith("Euler → RK4 (DT 0.25)", report.Rows[1].Subject);

        // Growth with a time constant of one week over 20 weeks at DT 0.25: Euler compounds 1.25 a step, not e^0.25.
        var coarse = Run(new IntegrationErrorCheck(), Write("coarse.yaml", """
            model: growth
            sim: { start: 0, stop: 20, dt: 0.25, save_step: 1, method: euler, time_units: week }
            stocks:
              Cash: { initial: 1, inflows: [interest] }
            flows:
              interest: { equation: Cash / 1 }
            """));
        Assert.Equal(CheckStatus.Fail, coarse.Status);
        Assert.All(coarse.Rows, r => Assert.Equal(CheckStatus.Fail, r.Status));
    }

    [Fact]
    public void ExtremeConditionsCheckSoundnessAndTheirOwnAssertions()
    {
        var path = Write("tank.yaml", Tank());
        Write("checks/tank.yaml", """
            bounds: { level: [0, 1] }
            extremes:
              - name: no refill
                set: { refill: 0 }
                expect: The tank only drains.
                assert: ["FINAL(Water) < INITIAL(Water)", "FINAL(Water) < FINAL(base.Water)"]
              - name: flood
                set: { refill: 100 }
                expect: The tank overflows its gauge.
            """);
        var report = Run(new ExtremeConditionsCheck(), path);
        Assert.Equal(CheckStatus.Fail, report.Status);
        Assert.Equal("as set (the scenario's settings)", report.Rows[0].Subject);
        Assert.Equal(CheckStatus.Pass, report.Rows[0].Status);
        Assert.Equal(CheckStatus.Pass, report.Rows[1].Status);
        Assert.Equal("The tank only drains.", report.Rows[1].Expected);
        Assert.Equal(CheckStatus.Fail, report.Rows[2].Status);
        Assert.Contains("level leaves [0, 1]", report.Rows[2].Measured);
    }

    /// <summary>A model whose 'gain' is 1.5 k: the mode "gain > 1" holds at k = 1 and flips when k halves.</summary>
    private string ModesScenario()
    {
        Write("gain.yaml", """
            model: gain
            sim: { start: 0, stop: 4, dt: 1, method: euler }
            constants:
              k: { value: 1, range: [0.6, 2] }
              unrelated: { value: 2 }
              base: { value: 1 }
            stocks:
              S: { initial: 0, inflows: [inflow] }
            flows:
              inflow: { equation: base * k }
            auxiliaries:
              gain: { equation: 1.5 * k * base }
            """);
        Write("checks/gain.yaml", """
            runs:
              plain: { scenario: ../scenario.yaml }
              doubled: { scenario: ../scenario.yaml, set: { base: 2 } }
            modes:
              - id: "1"
                name: gain above one
                claim: The gain exceeds one.
                assert: ["FINAL(plain.gain) > 1"]
              - id: "2"
                name: doubling doubles
                claim: Doubling the base doubles the stock.
                assert: ["FINAL(doubled.S) = 2 * FINAL(plain.S)"]
                report: ["FINAL(doubled.S)"]
            """);
        return Write("scenario.yaml", """
            scenario: gain
            model: gain.yaml
            cities:
              - { name: One, set: { base: 1 } }
              - { name: Two, set: { base: 1 } }
            report: [S]
            """);
    }

    [Fact]
    public void ReferenceModesHoldCityByCityAndReportTheirMeasurements()
    {
        var report = Run(new ReferenceModesCheck(), ModesScenario());
        Assert.Equal(CheckStatus.Pass, report.Status);
        Assert.Equal("1 gain above one", report.Rows[0].Subject);
        Assert.StartsWith("holds: 2/2 single runs", report.Rows[0].Measured);
        Assert.Contains("FINAL(doubled.S): One 8, Two 8", report.Rows[1].Measured);
    }

    [Fact]
    public void SensitivityNamesTheChangeThatFlipsAMode()
    {
        var report = Run(new SensitivityCheck(), ModesScenario());
        Assert.Equal(CheckStatus.Warn, report.Status);
        // k −50% is clipped to its range (0.6): gain 0.9, mode 1 flips in both cities; k +50% and 'unrelated' flip nothing.
        var row = Assert.Single(report.Rows);
        Assert.Equal("k −40% (1 → 0.6)", row.Subject);
        Assert.Equal("flips mode 1 (every city)", row.Measured);
        Assert.Contains("1 of 4 changes", report.Summary);
    }

    [Fact]
    public void UnitsFailOnEachInconsistencyNamingTheVariableAndBothUnits()
    {
        Assert.Equal(CheckStatus.Pass, Run(new UnitsCheck(), Write("tank.yaml", Tank())).Status);
        var report = Run(new UnitsCheck(), Write("tank.yaml", Tank().Replace("Water / drain_time, units: litres/week", "Water / drain_time, units: litres")));
        Assert.Equal(CheckStatus.Fail, report.Status);
        Assert.Equal(["draining (LS7002, ", "draining (LS7003, ", "draining (LS7003, "], report.Rows.Select(r => r.Subject[..18]));
        Assert.Equal(("declared: litres", "equation: litres/week"), (report.Rows[0].Expected, report.Rows[0].Measured));
        Assert.Equal(("Water per week: litres/week", "draining: litres"), (report.Rows[1].Expected, report.Rows[1].Measured));
        var unitless = System.Text.RegularExpressions.Regex.Replace(Tank(), @",\s*units: [^,}]+", "");
        Assert.Equal(CheckStatus.Skipped, Run(new UnitsCheck(), Write("tank.yaml", unitless)).Status);
    }

    [Fact]
    public void ChecksFileMistakesNameTheFileAndLine()
    {
        var path = Write("tank.yaml", Tank());
        Write("checks/tank.yaml", "bounds:\n  levle: [0, 1]\n");
        var e = Assert.Throws<ModelException>(() => Subject(path));
        Assert.Contains("checks/tank.yaml:2:3: 'levle' is not a variable of model 'tank'. Did you mean 'level'?", e.Diagnostics[0].ToString().Replace('\\', '/'));
        Assert.Equal(DiagnosticCodes.UnknownName, e.Diagnostics[0].Code);

        Write("checks/tank.yaml", "modes:\n  - { id: \"1\", name: n, claim: c, assert: [\"FINAL(nowhere.Water) > 0\"] }\n");
        e = Assert.Throws<ModelException>(() => Subject(path));
        Assert.Contains("reads 'nowhere.water', but there is no run 'nowhere' under 'runs'", e.Message);
        Assert.Equal(DiagnosticCodes.RunUnknown, e.Diagnostics[0].Code);
    }

    [Fact]
    public void TheSuiteSkipsWhatAModelWithoutChecksFileCannotTell()
    {
        var reports = ValidationSuite.Run(Subject(Write("tank.yaml", Tank())));
        Assert.Equal(["units", "mass balance", "time constants", "integration error", "extreme conditions", "reference modes", "sensitivity"], reports.Select(r => r.Check));
        Assert.All(reports.Take(4), r => Assert.Equal(CheckStatus.Pass, r.Status));
        Assert.All(reports.Skip(4), r => Assert.Equal(CheckStatus.Skipped, r.Status));
        var e = Assert.Throws<ModelException>(() => ValidationSuite.Run(CheckSubject.Load(Path.Combine(_dir, "tank.yaml"), new CheckSettings { Skip = ["sensitivty"] })));
        Assert.Contains("--skip 'sensitivty' is not a check", e.Message);
        Assert.Equal(DiagnosticCodes.UnknownCheck, e.Diagnostics[0].Code);
    }
}
