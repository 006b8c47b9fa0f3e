using LoopSim.Engine.Diagnostics;
using LoopSim.Engine.Syntax;
using LoopSim.Engine.Formats;
using LoopSim.Engine.Formats.Mdl;
using LoopSim.Engine.Model;
using LoopSim.Engine.Simulation;

namespace LoopSim.Engine.Tests.Formats;

public class MdlReaderTests
{
    private const string Controls = """
        ********************************************************
        	.Control
        ********************************************************~
        		Simulation Control Parameters
        	|

        FINAL TIME  = 4
        	~	Month
        	~	The final time for the simulation.
        	|

        INITIAL TIME  = 0
        	~	Month
        	~	The initial time for the simulation.
        	|

        SAVEPER  = 
                TIME STEP
        	~	Month [0,?]
        	~	The frequency with which output is stored.
        	|

        TIME STEP  = 0.5
        	~	Month [0,?]
        	~	The time step for the simulation.
        	|

        \\\---/// Sketch information - do not modify anything except names
        V300  Do not put anything below this section - it will be ignored
        *View 1
        10,1,Stock,267,235,32,8,8,3,0,0,0,0,0,0
        ///---\\\
        :L<%^E!@
        22:Month,Months
        """;

    private static SdModel Read(string equations) => MdlReader.Parse("{UTF-8}\n" + equations + "\n" + Controls, "test.mdl");

    private static ModelException Rejects(string equations) => Assert.Throws<ModelException>(() => Read(equations));

    [Fact]
    public void Control_variables_become_the_sim_specs()
    {
        var model = Read("x = 1 ~~|");
        Assert.Equal(new SimSpecs { Start = 0, Stop = 4, Dt = 0.5, Method = IntegrationMethod.Euler, TimeUnits = "Month" }, model.Specs);
        Assert.Equal(["x"], model.Variables.Select(v => v.Name));
    }

    [Fact]
    public void INTEG_makes_a_stock_whose_rate_terms_are_its_inflows_and_outflows()
    {
        var model = Read("""
            Stock = INTEG(births - deaths, 10) ~ people ~ the population |
            births = Stock * 0.1 ~~|
            deaths = Stock / 20 ~~|
            """);
        var stock = model.Variables.Single(v => v.Name == "Stock");
        Assert.Equal(VariableKind.Stock, stock.Kind);
        Assert.Equal("10", stock.Equation!.Text);
        Assert.Equal(["births"], stock.Inflows);
        Assert.Equal(["deaths"], stock.Outflows);
        Assert.Equal("people", stock.Units);
        Assert.Equal("the population", stock.Description);
        Assert.All(model.Variables.Where(v => v.Name != "Stock"), v => Assert.Equal(VariableKind.Flow, v.Kind));

        var result = ModelCompiler.Compile(model).Run();
        Assert.Equal(10 * Math.Pow(1 + 0.5 * (0.1 - 0.05), 8), result["Stock"][^1], 12);
    }

    [Fact]
    public void A_rate_that_is_not_a_sum_of_flows_becomes_a_net_flow_of_its_own()
    {
        var model = Read("s = INTEG(2 * r, 0) ~~|\nr = 1 ~~|");
        var flow = Assert.Single(model.Variables, v => v.Kind == VariableKind.Flow);
        Assert.Equal("s net flow", flow.Name);
        Assert.Equal("2 * r", flow.Equation!.Text);
        Assert.Equal(8, ModelCompiler.Compile(model).Run()["s"][^1], 12);
    }

    [Theory]
    [InlineData("-2^2", -4)]
    [InlineData("2^3^2", 512)]
    [InlineData("2^-1", 0.5)]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("IF THEN ELSE(1 = 1 :AND: :NOT: 2 < 1, 5, 6)", 5)]
    [InlineData("IF THEN ELSE(0 :OR: 1 > 2, 5, 6)", 6)]
    [InlineData("ZIDZ(1, 0) + XIDZ(3, 0, 7)", 7)]
    [InlineData("INTEGER(-2.5) + MODULO(7, 3)", -1)]
    [InlineData("POWER(2, 10) + LOG(100, 10)", 1026)]
    [InlineData("QUANTUM(7.5, 2)", 6)]
    [InlineData("MIN(3, MAX(1, 2))", 2)]
    [InlineData("SINH(1) + COSH(1)", 2.718281828459045)]
    [InlineData("TANH(0.5) + TANH(-800)", -0.5378828427399902)]
    public void Expressions_follow_Vensim_precedence_and_functions(string equation, double expected)
    {
        var result = ModelCompiler.Compile(Read($"x = {equation} ~~|")).Run();
        Assert.Equal(expected, result["x"][0], 12);
    }

    [Fact]
    public void STEP_PULSE_and_RAMP_follow_Vensim()
    {
        var result = ModelCompiler.Compile(Read("""
            s = STEP(2, 1.2) ~~|
            p = PULSE(1, 1) ~~|
            q = PULSE TRAIN(0.5, 0.5, 2, 3) ~~|
            r = RAMP(2, 1, 2) ~~|
            """)).Run();
        // TIME = 0, 0.5, … 4; a STEP switches on at the step nearest its time (1.0 here: 1.0 + DT/2 > 1.2).
        Assert.Equal([0, 0, 2, 2, 2, 2, 2, 2, 2], result["s"]);
        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 0, 0], result["p"]);
        Assert.Equal([0, 1, 0, 0, 0, 1, 0, 0, 0], result["q"]);
        Assert.Equal([0, 0, 0, 1, 2, 2, 2, 2, 2], result["r"]);
    }

    [Fact]
    public void Names_hold_spaces_quotes_and_line_continuations()
    {
        var model = Read("""
            "rate (per month)" = 2 ~~|
            a very long name that \
            		goes on = "rate (per month)" * Time ~~|
            """);
        var result = ModelCompiler.Compile(model).Run();
        Assert.Equal(8, result["a very long name that goes on"][^1], 12);
        Assert.Equal(2, result["rate (per month)"][0]);
    }

    [Fact]
    public void Lookups_standalone_and_WITH_LOOKUP_hold_their_end_values()
    {
        var model = Read("""
            table([(0,0)-(10,10)], (0,0), (1,2), (2,2)) ~~|
            via table = table(Time) ~~|
            inline = WITH LOOKUP(Time, ((0,1),(2,3))) ~~|
            """);
        var table = model.Variables.Single(v => v.Name == "table").Graph!;
        Assert.Equal([0, 1, 2], table.X);
        Assert.Equal([0, 2, 2], table.Y);
        var result = ModelCompiler.Compile(model).Run();
        Assert.Equal([0, 1, 2, 2, 2, 2, 2, 2, 2], result["via table"]);
        Assert.Equal([1, 1.5, 2, 2.5, 3, 3, 3, 3, 3], result["inline"]);
    }

    [Fact]
    public void A_macro_is_expanded_where_it_is_called()
    {
        var model = Read("""
            :MACRO: GROWTH(start, rate)
            GROWTH = INTEG(GROWTH * rate, start) ~~|
            :END OF MACRO:
            grown = GROWTH(1, 2) ~~|
            grown twice = GROWTH(2, 1) ~~|
            """);
        var result = ModelCompiler.Compile(model).Run();
        Assert.Equal(Math.Pow(2, 8), result["grown"][^1], 9);
        Assert.Equal(2 * Math.Pow(1.5, 8), result["grown twice"][^1], 9);
        Assert.Contains(model.Variables, v => v.Name == "GROWTH 2.GROWTH" && v.Kind == VariableKind.Stock);
    }

    [Fact]
    public void The_order_of_SMOOTH_N_and_DELAY_N_is_its_initial_value()
    {
        var model = Read("""
            order = 2 + STEP(1, 3) ~~|
            smoothed = SMOOTH N(Time, 1, 0, order) ~~|
            delayed = DELAY N(Time, 1, 0, order) ~~|
            twice = SMOOTH N(Time, 1, 0, 2) ~~|
            """);
        var result = ModelCompiler.Compile(model).Run();
        Assert.Equal(result["twice"], result["smoothed"]);
        Assert.Contains(model.Variables, v => v.Name == "delayed" && v.Equation!.Text == "DELAY_N(Time(), 1, 0, 2)");
    }

    [Fact]
    public void DELAY_N_gives_each_stage_at_least_one_DT()
    {
        // DT = 0.5: three stages in a delay of 1 would be shorter than DT, so the order is 2 (the SDXorg delay_pipeline
        // model's expected output shows the same); a delay of 1.5 keeps order 3.
        var model = Read("""
            short = DELAY N(Time, 1, 0, 3) ~~|
            long = DELAY N(Time, 1.5, 0, 3) ~~|
            """);
        Assert.Contains(model.Variables, v => v.Name == "short" && v.Equation!.Text == "DELAY_N(Time(), 1, 0, 2)");
        Assert.Contains(model.Variables, v => v.Name == "long" && v.Equation!.Text == "DELAY_N(Time(), 1.5, 0, 3)");
    }

    [Fact]
    public void DELAY_N_carries_its_delay_time_down_the_stages()
    {
        // DT = 0.5, one stage holding 1 × 1 at the start, nothing flowing in; the delay time goes from 1 to 2 at TIME = 1
        // (Vensim's STEP). The stage drains by the delay time now, the output divides by the delay time one step before:
        // t = 1: stage 0.25, output 0.25 / 1; t = 1.5: stage 0.25 − 0.5 × 0.25 / 2 = 0.1875, output 0.1875 / 2.
        var result = ModelCompiler.Compile(Read("""
            delay time = 1 + STEP(1, 1) ~~|
            carried = DELAY N(0, delay time, 1, 1) ~~|
            """)).Run();
        Assert.Equal([1, 0.5, 0.25, 0.09375, 0.0703125, 0.052734375], result["carried"][..6]);
        // With a constant delay time it is DELAYN.
        var constant = ModelCompiler.Compile(Read("constant = DELAY N(Time, 1, 0, 2) ~~|\nreference = DELAY1I(DELAY1I(Time, 0.5, 0), 0.5, 0) ~~|")).Run();
        Assert.Equal(constant["reference"], constant["constant"]);
    }

    [Fact]
    public void DELAY_FIXED_delays_by_its_initial_delay_time_in_whole_steps()
    {
        // DT = 0.5, TIME = 0 … 4. Steps: 0.6/0.5 = 1.2 → 1; 0.75/0.5 = 1.5 → 2 (halves round up); 0 → 1 (at least one);
        // 1 + TIME is 1 at the start → 2 steps for the whole run.
        var result = ModelCompiler.Compile(Read("""
            one = DELAY FIXED(Time, 0.6, -1) ~~|
            two = DELAY FIXED(Time, 0.75, -1) ~~|
            none = DELAY FIXED(Time, 0, 7) ~~|
            growing = DELAY FIXED(Time, 1 + Time, 3) ~~|
            """)).Run();
        Assert.Equal([-1, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], result["one"]);
        Assert.Equal([-1, -1, 0, 0.5, 1, 1.5, 2, 2.5, 3], result["two"]);
        Assert.Equal([7, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], result["none"]);
        Assert.Equal([3, 3, 0, 0.5, 1, 1.5, 2, 2.5, 3], result["growing"]);
    }

    [Fact]
    public void ACTIVE_INITIAL_initialises_from_its_second_argument_and_runs_on_its_first()
    {
        // DT = 0.5. Stocks start from the initial value (45); the variable itself is its run equation from the start
        // time on (Vensim reports TIME = 0 there), even when that equation is a constant.
        // In the loop, y starts at x's initial value 1; then x = y + 1: x(0) = 2, y(0.5) = 1 + 0.5 × 2 = 2, x(0.5) = 3.
        var result = ModelCompiler.Compile(Read("""
            a = ACTIVE INITIAL(Time, 45) ~~|
            s = INTEG(1, a) ~~|
            k = ACTIVE INITIAL(5, 45) ~~|
            t = INTEG(0, k) ~~|
            x = ACTIVE INITIAL(y + 1, 1) ~~|
            y = INTEG(x, x) ~~|
            """)).Run();
        Assert.Equal([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4], result["a"]);
        Assert.Equal([45, 45.5, 46, 46.5, 47, 47.5, 48, 48.5, 49], result["s"]);
        Assert.All(result["k"], v => Assert.Equal(5, v));
        Assert.All(result["t"], v => Assert.Equal(45, v));
        Assert.Equal([1, 2, 3.5], result["y"][..3]);
        Assert.Equal([2, 3, 4.5], result["x"][..3]);
    }

    [Fact]
    public void SAMPLE_IF_TRUE_holds_the_last_sample()
    {
        // DT = 0.5. Sampled while 1 ≤ TIME < 2, held after; the initial value until the first sample. A condition true at
        // the start samples there (Vensim's and PySD's definition).
        var result = ModelCompiler.Compile(Read("""
            held = SAMPLE IF TRUE(Time >= 1 :AND: Time < 2, Time, -1) ~~|
            first = SAMPLE IF TRUE(Time < 0.5, 10 + Time, -1) ~~|
            """)).Run();
        Assert.Equal([-1, -1, 1, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5], result["held"]);
        Assert.All(result["first"], v => Assert.Equal(10, v));
    }

    [Fact]
    public void GET_TIME_VALUE_is_the_time_plus_an_offset()
    {
        var result = ModelCompiler.Compile(Read("later = GET TIME VALUE(0, 2.5, 0) ~~|")).Run();
        Assert.Equal([2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5], result["later"]);
        // Relative to the computer's clock or in calendar measures no two runs would agree: refused, with the line.
        var d = Assert.Single(Rejects("x = 1 ~~|\nclock = GET TIME VALUE(2, 0, 7) ~~|").Diagnostics);
        Assert.Equal(DiagnosticCodes.MdlUnsupported, d.Code);
        Assert.Equal(3, d.Location!.Line);
        Assert.Contains("GET TIME VALUE(0, offset, 0)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vensim_only_builtins_export_to_XMILE_in_the_Vensim_dialect_and_read_back_to_the_same_numbers()
    {
        var model = Read("""
            a = ACTIVE INITIAL(Time, 45) ~~|
            s = INTEG(1, a) ~~|
            d = DELAY FIXED(Time, 0.75, -1) ~~|
            h = SAMPLE IF TRUE(Time >= 1, Time, -1) ~~|
            """);
        var original = ModelCompiler.Compile(model).Run();
        var exported = XmileWriter.Write(model);
        Assert.Contains("SAMPLE_IF_TRUE(", exported, StringComparison.Ordinal);
        var back = ModelCompiler.Compile(XmileReader.Parse(exported, "exported.xmile")).Run();
        foreach (var name in new[] { "a", "s", "d", "h" })
            Assert.Equal(original[name], back[name]);
    }

    [Fact]
    public void NA_is_Vensims_missing_value()
    {
        var result = ModelCompiler.Compile(Read("x = :NA: ~~|")).Run();
        Assert.Equal(MdlParser.NotAvailable, result["x"][0]);
    }

    [Fact]
    public void Reality_checks_and_groups_are_not_part_of_the_run()
    {
        var model = Read("""
            check:THE CONDITION: x > 0 :IMPLIES: x < 10 ~~|
            x = 1 ~~|
            """);
        Assert.Equal(["x"], model.Variables.Select(v => v.Name));
    }

    [Fact]
    public void An_unsupported_function_is_named_with_its_line_and_a_hint()
    {
        var e = Rejects("x = 1 ~~|\ny = RANDOM NORMAL(0, 1, x, 1, 0) ~~|");
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(3, d.Location!.Line);
        Assert.Equal(DiagnosticCodes.MdlUnsupported, d.Code);
        Assert.Equal("y", d.Variable);
        Assert.Contains("RANDOM NORMAL is not supported yet", d.Message, StringComparison.Ordinal);
        Assert.NotNull(d.Hint);
    }

    [Fact]
    public void A_problem_of_an_arrayed_equation_is_reported_once_not_once_per_element()
    {
        var e = Rejects("dim: a, b, c ~~|\ny[dim] = RANDOM NORMAL(0, 1, 0, 1, 0) ~~|");
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal((3, "y[a]"), (d.Location!.Line, d.Variable));
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var e = Rejects("""
            dim: a, b ~~|
            x[dim] = 1, 2, 3 ~~|
            y = 1 + ~~|
            z = INTEG(1) ~~|
            w = GET TIME VALUE(2, 0, 1) ~~|
            """);
        Assert.Equal(4, e.Diagnostics.Count);
        Assert.Equal([3, 4, 5, 6], e.Diagnostics.Select(d => d.Location!.Line).Order());
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.MdlSyntax && d.Message.Contains("3 values for 2 elements", StringComparison.Ordinal));
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.MdlArgumentCount && d.Message.Contains("INTEG takes 2 arguments", StringComparison.Ordinal));
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.MdlSyntax && d.Variable == "y");
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.MdlUnsupported && d.Message.StartsWith("GET TIME VALUE", StringComparison.Ordinal));
    }

    [Fact]
    public void An_arrayed_variable_is_one_variable_per_element()
    {
        var model = Read("""
            region: north, south, east ~~|
            coast: north, south ~~|
            other: n2, s2 -> coast ~~|
            initial[region] = 10, 20, 30 ~~|
            growth[coast] = 0.1 ~~|
            growth[east] = 0 ~~|
            pop[region] = INTEG(births[region], initial[region]) ~~|
            births[region] = pop[region] * growth[region] ~~|
            total = SUM(pop[region!]) ~~|
            largest = VMAX(pop[region!]) ~~|
            coastal = SUM(pop[coast!]) ~~|
            count = ELMCOUNT(region) ~~|
            position[region] = region ~~|
            mapped[other] = initial[coast] ~~|
            table[coast]((0,0),(10,1)) ~~|
            looked up[coast] = table[coast](Time) ~~|
            m[region, coast] :EXCEPT: [east, north] = 1 ~~|
            m[east, north] = 2 ~~|
            """);
        Assert.Contains(model.Variables, v => v.Name == "pop[north]" && v.Kind == VariableKind.Stock && v.Inflows.SequenceEqual(["births[north]"]));
        var result = ModelCompiler.Compile(model).Run();
        double north = 10 * Math.Pow(1.05, 8), south = 20 * Math.Pow(1.05, 8);
        Assert.Equal(north, result["pop[north]"][^1], 9);
        Assert.Equal(30, result["pop[east]"][^1]);
        Assert.Equal(north + south + 30, result["total"][^1], 9);
        Assert.Equal(30, result["largest"][^1], 9);
        Assert.Equal(north + south, result["coastal"][^1], 9);
        Assert.Equal(3, result["count"][0]);
        Assert.Equal([1, 2, 3], new[] { "north", "south", "east" }.Select(r => result[$"position[{r}]"][0]));
        Assert.Equal([10, 20], new[] { "n2", "s2" }.Select(e => result[$"mapped[{e}]"][0]));
        Assert.Equal(0.4, result["looked up[south]"][^1], 12);
        Assert.Equal([1, 1, 1, 1, 2, 1], new[] { "north,north", "north,south", "south,north", "south,south", "east,north", "east,south" }.Select(t => result[$"m[{t}]"][0]));
    }

    [Fact]
    public void An_element_defined_twice_or_a_range_not_on_the_left_is_an_error()
    {
        var e = Rejects("""
            d: a, b ~~|
            e: c, f ~~|
            x[d] = 1 ~~|
            x[a] = 2 ~~|
            y[d] = x[e] ~~|
            """);
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.DuplicateName && d.Message.Contains("'x[a]' is defined twice", StringComparison.Ordinal));
        Assert.Contains(e.Diagnostics, d => d.Code == DiagnosticCodes.UnknownName && d.Message.Contains("'e'", StringComparison.Ordinal) && d.Location!.Line == 6);
    }

    [Fact]
    public void Missing_control_variables_and_broken_macros_have_their_codes()
    {
        var noControls = Assert.Throws<ModelException>(() => MdlReader.Parse("x = 1 ~~|", "bare.mdl"));
        Assert.Equal(3, noControls.Diagnostics.Count(d => d.Code == DiagnosticCodes.MdlControl));
        var macro = Rejects(":MACRO: M(a)\nM = a ~~|\n:END OF MACRO:\nx = M(1, 2) ~~|");
        Assert.Equal(DiagnosticCodes.MdlMacro, Assert.Single(macro.Diagnostics).Code);
        var twice = Rejects("x = 1 ~~|\nx = 2 ~~|");
        Assert.Equal(DiagnosticCodes.DuplicateName, Assert.Single(twice.Diagnostics).Code);
    }

    [Fact]
    public void A_syntax_error_points_at_its_column()
    {
        var d = Assert.Single(Rejects("x = (1 + 2 ~~|").Diagnostics);
        Assert.Equal(new SourceLocation("test.mdl", 2, 12), d.Location);
        Assert.Equal(DiagnosticCodes.MdlSyntax, d.Code);
        Assert.Contains("expected ')'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_expression_writer_reads_back_to_the_same_tree()
    {
        foreach (var text in new[] { "-(a + b) * c ^ -d", "IF a > 1 THEN b ELSE c", "(IF a THEN 1 ELSE 2) + 3", "NOT (a = b) AND c", "a - (b - c)", "(-2)^2", "\"x y\" MOD 3" })
        {
            var tree = Parser.Parse(text);
            var written = ExprWriter.Write(tree);
            Assert.Equal(ExprWriter.Write(Parser.Parse(written)), written);
        }
        Assert.Equal("(-2)^2", ExprWriter.Write(Parser.Parse("(-2)^2")));
        Assert.Equal("-2^2", ExprWriter.Write(Parser.Parse("-2^2")));
    }
}
