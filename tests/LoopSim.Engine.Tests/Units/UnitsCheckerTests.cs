using LoopSim.Engine.Formats;
using LoopSim.Engine.Formats.Mdl;
using LoopSim.Engine.Units;

namespace LoopSim.Engine.Tests.Units;

/// <summary>
/// The units checker on small models, each consistent or broken in one way: the issues it reports (code, variable and
/// the two units that disagree), and the silence it keeps where units are unknown.
/// </summary>
public class UnitsCheckerTests
{
    /// <summary>A YAML model with a week time unit: Population (people) fed by births (people/week) at a constant rate.</summary>
    private static IReadOnlyList<UnitsIssue> Check(string sections, string timeUnits = "week") => UnitsChecker.Check(YamlModelReader.Parse($$"""
        model: m
        sim: { start: 0, stop: 10, dt: 0.25, time_units: {{timeUnits}} }
        {{sections}}
        """, "m.yaml"));

    private const string Population = """
        constants:
          birth_rate: { value: 0.1, units: 1/week }
          price: { value: 5, units: CNY/people }
          delay: { value: 3, units: weeks }
        stocks:
          Population: { initial: 100, inflows: [births], units: people }

        """;

    private static UnitsIssue Single(IReadOnlyList<UnitsIssue> issues, DiagnosticCode code, string variable)
    {
        var issue = Assert.Single(issues);
        Assert.Equal(code, issue.Diagnostic.Code);
        Assert.Equal(variable, issue.Diagnostic.Variable);
        Assert.Equal(Severity.Warning, issue.Diagnostic.Severity);
        return issue;
    }

    [Fact]
    public void A_consistent_model_has_no_issue()
    {
        Assert.Empty(Check(Population + """
            flows:
              births: { equation: 'Population * birth_rate + 0 * Population / delay', units: persons/week }
            auxiliaries:
              revenue: { equation: 'Population * price', units: CNY }
              smoothed: { equation: 'SMTH1(births, delay, births)', units: people/week }
              weeks_left: { equation: 'MAX(10 - TIME, 0) + DT', units: week }
              growing: { equation: 'IF Population > 100 THEN 1 ELSE 0', units: dmnl }
              area: { equation: 'SQRT(delay ^ 2) / delay', units: dmnl }
            """));
    }

    [Fact]
    public void A_flow_that_is_not_its_stocks_units_per_time_unit_is_reported()
    {
        var issue = Single(Check(Population + "flows:\n  births: { equation: 'Population * birth_rate * delay', units: people }\n"), DiagnosticCodes.FlowUnits, "births");
        Assert.Contains("flows into 'Population' (people), so it needs people/week (per week), but has people", issue.Diagnostic.Message);
        Assert.Equal(("Population per week: people/week", "births: people"), (issue.Expected, issue.Found));
        Assert.Equal("m.yaml", issue.Diagnostic.Location?.File);
    }

    [Fact]
    public void Adding_people_to_money_is_reported_with_both_units()
    {
        var issue = Single(Check(Population + """
            flows:
              births: { equation: 'Population * birth_rate', units: people/week }
            auxiliaries:
              muddle: { equation: 'Population + Population * price', units: people }
            """), DiagnosticCodes.UnitsDisagree, "muddle");
        Assert.Matches(@"^a sum adds unlike units: 'Population' is people, the expression at \d+:\d+ is CNY$", issue.Diagnostic.Message);
        Assert.EndsWith("is CNY", issue.Diagnostic.Message);
        Assert.Equal("'Population': people", issue.Expected);
    }

    [Fact]
    public void An_equation_that_gives_other_units_than_declared_is_reported()
    {
        var issue = Single(Check(Population + """
            flows:
              births: { equation: 'Population * birth_rate', units: people/week }
            auxiliaries:
              revenue: { equation: 'Population * price / delay', units: CNY }
            """), DiagnosticCodes.EquationUnits, "revenue");
        Assert.Equal("its equation gives CNY/week, but its units are CNY", issue.Diagnostic.Message);
        Assert.Equal(("declared: CNY", "equation: CNY/week"), (issue.Expected, issue.Found));
    }

    [Theory]
    [InlineData("SMTH1(births, price)", "SMTH1's argument 2, 'price', has CNY/people, but needs week")]
    [InlineData("DELAY3(births, delay, Population)", "DELAY3's arguments 1 and 3 need one unit: 'births' is people/week, 'Population' is people")]
    [InlineData("births * EXP(Population)", "EXP's argument 1, 'Population', has people, but needs dimensionless")]
    [InlineData("MIN(births, Population)", "MIN's arguments 1 and 2 need one unit")]
    [InlineData("births + STEP(births, price)", "STEP's argument 2, 'price', has CNY/people, but needs week")]
    public void A_builtins_units_rule_is_checked(string equation, string message)
    {
        var issues = Check(Population + $"flows:\n  births: {{ equation: 'Population * birth_rate', units: people/week }}\nauxiliaries:\n  x: {{ equation: '{equation}', units: people/week }}\n");
        var issue = Assert.Single(issues, i => i.Diagnostic.Code != DiagnosticCodes.EquationUnits);
        Assert.Contains(message, issue.Diagnostic.Message);
        Assert.Equal("x", issue.Diagnostic.Variable);
    }

    [Fact]
    public void Bare_numbers_adapt_in_sums_and_are_dimensionless_in_products()
    {
        Assert.Empty(Check(Population + "flows:\n  births: { equation: '(Population - 100) * birth_rate + 2', units: people/week }\n"));
        var issue = Single(Check(Population + "flows:\n  births: { equation: '2 * birth_rate', units: people/week }\n"), DiagnosticCodes.EquationUnits, "births");
        Assert.Contains("gives 1/week", issue.Diagnostic.Message);
    }

    [Fact]
    public void TIME_and_DT_carry_the_models_time_unit()
    {
        Assert.Empty(Check(Population + "flows:\n  births: { equation: 'Population / TIME', units: people/week }\nauxiliaries:\n  per_step: { equation: 'Population / DT', units: people/week }\n"));
        var issue = Single(Check(Population + "flows:\n  births: { equation: 'Population * birth_rate', units: people/week }\n", timeUnits: "days"),
            DiagnosticCodes.FlowUnits, "births");
        Assert.Contains("so it needs people/days (per days), but has people/week", issue.Diagnostic.Message);
    }

    [Fact]
    public void A_graphical_function_gives_its_variables_units_whatever_its_input()
    {
        Assert.Empty(Check(Population + """
            flows:
              births: { equation: 'Population * birth_rate * effect', units: people/week }
            auxiliaries:
              effect:
                equation: Population * price
                graph: { points: [[0, 1], [1000, 0.5]] }
                units: dmnl
              crowding: { equation: 'table(Population) * birth_rate', units: 1/week }
            graphical_functions:
              table: { points: [[0, 1], [1000, 2]], units: dimensionless }
            """));
    }

    [Fact]
    public void Variables_without_units_are_never_reported()
    {
        Assert.Empty(Check("""
            stocks:
              S: { initial: 1, inflows: [f] }
            flows:
              f: { equation: 'S + TIME * 3 + EXP(TIME)' }
            auxiliaries:
              a: { equation: 'S + f + 1' }
            """));
        // A variable with units that reads one without: nothing known, nothing said.
        Assert.Empty(Check(Population + "flows:\n  births: { equation: 'Population * unknown', units: people/week }\nauxiliaries:\n  unknown: { equation: '0.1 + Population' }\n"));
    }

    [Fact]
    public void Powers_need_a_constant_exponent_and_leave_whole_powers()
    {
        var issues = Check(Population + """
            flows:
              births: { equation: 'Population * birth_rate', units: people/week }
            auxiliaries:
              squared: { equation: 'delay ^ 2', units: week^2 }
              root: { equation: 'Population ^ 0.5', units: people }
              varying: { equation: 'delay ^ birth_rate', units: week }
            """);
        Assert.Equal(["root", "varying"], issues.Select(i => i.Diagnostic.Variable));
        Assert.All(issues, i => Assert.Equal(DiagnosticCodes.PowerUnits, i.Diagnostic.Code));
        Assert.Contains("'Population' has units people, raised to 0.5", issues[0].Diagnostic.Message);
    }

    [Fact]
    public void Unreadable_units_are_reported_once_and_treated_as_unknown()
    {
        var issue = Single(Check(Population + "flows:\n  births: { equation: 'Population * birth_rate * 3', units: 'people/(week' }\n"), DiagnosticCodes.UnitsUnreadable, "births");
        Assert.Equal("its units 'people/(week' cannot be read: ')' missing at character 12", issue.Diagnostic.Message);
    }

    [Fact]
    public void IF_THEN_ELSE_branches_and_comparisons_need_one_unit()
    {
        var issues = Check(Population + """
            flows:
              births: { equation: 'IF Population > price THEN Population * birth_rate ELSE birth_rate', units: people/week }
            """);
        Assert.Equal([DiagnosticCodes.UnitsDisagree, DiagnosticCodes.UnitsDisagree], issues.Select(i => i.Diagnostic.Code));
        Assert.Contains("a comparison compares unlike units: 'Population' is people, 'price' is CNY/people", issues[0].Diagnostic.Message);
        Assert.Contains("IF THEN ELSE's branches differ", issues[1].Diagnostic.Message);
    }

    [Fact]
    public void A_Vensim_INTEG_rate_is_checked_against_its_stock()
    {
        var model = MdlReader.Parse("""
            Stock = INTEG(inflow - outflow * 2, 10) ~ Widgets ~ |
            inflow = 1 ~ Widgets/Month ~ |
            outflow = Stock ~ Widgets ~ |
            INITIAL TIME = 0 ~ Month ~ |
            FINAL TIME = 10 ~ Month ~ |
            TIME STEP = 1 ~ Month [0,?] ~ |
            SAVEPER = 1 ~ Month ~ |
            """, "m.mdl");
        var issues = UnitsChecker.Check(model);
        Assert.Equal([DiagnosticCodes.UnitsDisagree], issues.Select(i => i.Diagnostic.Code));
        Assert.Contains("'inflow' is Widgets/Month, the expression at", issues[0].Diagnostic.Message);
    }
}
