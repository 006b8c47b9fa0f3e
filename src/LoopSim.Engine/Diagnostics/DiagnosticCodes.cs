using System.Reflection;

namespace LoopSim.Engine.Diagnostics;

/// <summary>A range of codes and what it covers.</summary>
public sealed record DiagnosticArea(int First, int Last, string Name);

/// <summary>
/// Every diagnostic code LoopSim reports: one entry per code (its id, severity, title and a sentence of explanation),
/// in one table. A message says what is wrong in this instance; the entry says what the code means in general.
/// docs/diagnostics.md is this table (a test keeps it in step); every code has a test that provokes it.
/// Codes are stable: never reuse or renumber one; retire it by leaving it here, unused.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The ranges, by the first digit after "LS". A new code takes the next free number of its area.</summary>
    public static readonly IReadOnlyList<DiagnosticArea> Areas =
    [
        new(1000, 1999, "Reading files: missing or unreadable files, XML and YAML syntax, the shape of model files"),
        new(2000, 2099, "Names: unknown, duplicate or misused names of variables"),
        new(2100, 2199, "Equations: syntax, functions, circular definitions (the compiler)"),
        new(3000, 3999, "Simulation specs and limits: start, stop, dt, save step, numbers, declared ranges"),
        new(4000, 4999, "Scenarios: cities, settings, uncertain parameters and distributions, sweeps, metrics"),
        new(5000, 5999, "Command line and outputs: option values, the output folder, writing files"),
        new(6000, 6999, "Run-time warnings: non-finite results, charts and diagrams that could not be drawn as asked"),
        new(7000, 7999, "Units: the units checker"),
        new(8000, 8999, "Validation: the results of `loopsim check`"),
        new(9000, 9999, "Internal errors: a bug in LoopSim, not in the input"),
    ];

    // ---- 1xxx reading files --------------------------------------------------------------------------------------

    public static readonly DiagnosticCode FileNotFound = new("LS1001", Severity.Error, "File not found",
        "A model, scenario or cities file named on the command line or in a scenario does not exist. Relative paths in a scenario start from the scenario's folder.");
    public static readonly DiagnosticCode UnknownFileType = new("LS1002", Severity.Error, "Unknown kind of model file",
        "The file's extension does not name a format LoopSim reads (.xmile, .stmx, .mdl, .yaml, .yml).");
    public static readonly DiagnosticCode FileUnreadable = new("LS1003", Severity.Error, "File cannot be read",
        "The file exists but could not be read (permissions, a folder of that name, a device error).");
    public static readonly DiagnosticCode FileEmpty = new("LS1004", Severity.Error, "File is empty",
        "The file holds no document; each kind of file needs at least its required keys.");
    public static readonly DiagnosticCode XmlMalformed = new("LS1101", Severity.Error, "Malformed XML",
        "An XMILE file is not well-formed XML; a missing or mismatched closing tag is the usual cause.");
    public static readonly DiagnosticCode NotXmile = new("LS1102", Severity.Error, "Not an XMILE file",
        "The XML's root element is not <xmile>.");
    public static readonly DiagnosticCode XmileElementMissing = new("LS1103", Severity.Error, "Required XMILE element missing",
        "An XMILE file lacks an element every model needs: <sim_specs> with <start> and <stop>, or a <model>.");
    public static readonly DiagnosticCode NameMissing = new("LS1104", Severity.Error, "Variable without a name",
        "A variable or module is declared without a name, so nothing can refer to it.");
    public static readonly DiagnosticCode EquationMissing = new("LS1105", Severity.Error, "Variable without an equation",
        "A variable has no equation (for a stock: no initial value), so it has no value to compute.");
    public static readonly DiagnosticCode ArraysUnsupported = new("LS1106", Severity.Error, "Arrays not declared",
        "An equation subscripts a name (x[a]) in a model that declares no dimensions, or an XMILE variable gives <element>s without <dimensions>.");
    public static readonly DiagnosticCode ModuleMalformed = new("LS1107", Severity.Error, "Module cannot be connected",
        "An XMILE <module> names no model of the file, contains itself, or has a <connect> that is incomplete or names no variable of the module.");
    public static readonly DiagnosticCode GraphMalformed = new("LS1120", Severity.Error, "Graphical function malformed",
        "A graphical function (lookup table) needs at least its y values and as many x values (or an x scale), with x increasing.");
    public static readonly DiagnosticCode YamlSyntax = new("LS1201", Severity.Error, "YAML syntax error",
        "The YAML file cannot be parsed: check indentation (spaces, not tabs), colons after keys, and closing brackets and quotes.");
    public static readonly DiagnosticCode YamlManyDocuments = new("LS1202", Severity.Error, "More than one YAML document",
        "The file holds several documents separated by '---'; LoopSim reads one document per file.");
    public static readonly DiagnosticCode UnknownKey = new("LS1203", Severity.Error, "Unknown key",
        "A key is not one of those allowed at that place; it is usually misspelt. The message lists the allowed keys.");
    public static readonly DiagnosticCode WrongShape = new("LS1204", Severity.Error, "Wrong kind of entry",
        "An entry is a mapping where a list or a single value was expected (or the other way round).");
    public static readonly DiagnosticCode ValueMissing = new("LS1205", Severity.Error, "Required value missing",
        "A required key is absent or left empty.");
    public static readonly DiagnosticCode WrongValueType = new("LS1206", Severity.Error, "Value of the wrong type",
        "A value is not of the kind asked for: a number, a whole number, or true/false.");
    public static readonly DiagnosticCode UnknownChoice = new("LS1207", Severity.Error, "Value not among the choices",
        "A value must be one of a fixed list (a graph type, for example) and is not; the message lists the choices.");

    public static readonly DiagnosticCode MdlSyntax = new("LS1301", Severity.Error, "Vensim syntax error",
        "An equation of a Vensim .mdl file cannot be parsed: an operator, parenthesis, comma or '~' is missing or out of place, or a name with special characters is not in double quotes.");
    public static readonly DiagnosticCode MdlUnsupported = new("LS1302", Severity.Error, "Vensim construct not supported",
        "The .mdl file uses a Vensim function or feature LoopSim does not run yet (the message names it and what it needs); LoopSim refuses the model rather than run it with a wrong number.");
    public static readonly DiagnosticCode MdlArgumentCount = new("LS1303", Severity.Error, "Vensim function given the wrong number of arguments",
        "A Vensim function (or INTEG, WITH LOOKUP) is called with more or fewer arguments than it takes; the message gives its arguments.");
    public static readonly DiagnosticCode MdlControl = new("LS1304", Severity.Error, "Vensim control variable missing or not constant",
        "A .mdl model needs INITIAL TIME, FINAL TIME and TIME STEP (SAVEPER is optional), each a number or an expression of constants.");
    public static readonly DiagnosticCode MdlMacro = new("LS1305", Severity.Error, "Vensim macro malformed",
        "A :MACRO: lacks its :END OF MACRO:, has no equation for its result, calls itself, or is called with the wrong number of arguments.");

    public static readonly DiagnosticCode DataFileNotFound = new("LS1401", Severity.Error, "External data file not found",
        "A GET XLS/GET DIRECT function of a .mdl model names a spreadsheet, .csv or .tab file that does not exist. Its name is read from the model's folder; an indirect name ('?name', set in Vensim's options) is not supported.");
    public static readonly DiagnosticCode DataFileUnreadable = new("LS1402", Severity.Error, "External data file cannot be read",
        "The data file exists but is not a spreadsheet (.xls, .xlsx) or text table (.csv, .tab) LoopSim can read, or it is damaged or locked.");
    public static readonly DiagnosticCode DataSheetNotFound = new("LS1403", Severity.Error, "Sheet not found in the data file",
        "The sheet a GET XLS/GET DIRECT function names is not in the spreadsheet (names are compared ignoring case); the message lists its sheets.");
    public static readonly DiagnosticCode DataCellNotFound = new("LS1404", Severity.Error, "Cell or named range not found",
        "A cell argument is neither a cell reference (B5) nor a named range of that sheet or workbook, a row or column argument of a time or x axis is malformed, or the cells it names are empty.");
    public static readonly DiagnosticCode DataValueNotNumber = new("LS1405", Severity.Error, "Data cell not a number",
        "A constant read from a file is empty or text, or a series has no number at all for one of its elements. Missing values inside a data or lookup series are no error: they are filled as Vensim does, by the series' interpolation rule.");
    public static readonly DiagnosticCode DataShapeMismatch = new("LS1406", Severity.Error, "Data file range does not fit the subscripts",
        "The cells a GET function reads do not match the variable's subscripts: a named range of another size, more than two subscript ranges with several elements (one for DATA and LOOKUPS), an axis with repeated values, or a GET used where it cannot be.");

    // ---- 2xxx names ----------------------------------------------------------------------------------------------

    public static readonly DiagnosticCode UnknownName = new("LS2001", Severity.Error, "Unknown variable",
        "A name does not match any variable of the model (or, where a value is set per run, any constant). Names ignore case, and spaces equal underscores.");
    public static readonly DiagnosticCode DuplicateName = new("LS2002", Severity.Error, "Name used twice",
        "Two variables have the same name once case, spaces and underscores are ignored.");
    public static readonly DiagnosticCode NotAFlow = new("LS2003", Severity.Error, "Stock lists something that is not a flow",
        "A stock's inflows and outflows must name flows of the model.");
    public static readonly DiagnosticCode GivenTwice = new("LS2004", Severity.Error, "Given twice",
        "The same variable, city, parameter or key appears twice where it may appear once.");
    public static readonly DiagnosticCode UnknownDimension = new("LS2005", Severity.Error, "Unknown dimension",
        "A variable is arrayed over a dimension the model does not declare (XMILE <dimensions>, YAML 'dimensions:'), or a dimension is declared without elements.");
    public static readonly DiagnosticCode UnknownElement = new("LS2006", Severity.Error, "Unknown array element",
        "A subscript names no element of the dimension at its place, or a position beyond the dimension's size (positions count from 1).");
    public static readonly DiagnosticCode SubscriptCount = new("LS2007", Severity.Error, "Wrong number of subscripts",
        "An arrayed variable is given more or fewer subscripts than it has dimensions, or a scalar variable is subscripted.");
    public static readonly DiagnosticCode ArrayAsValue = new("LS2008", Severity.Error, "Array used where one value is needed",
        "A whole array (x[*], a bare arrayed name, a dimension not being computed) stands where one number is needed; only array functions (SUM, MEAN, MIN …) take whole arrays. Each element also needs exactly one equation.");

    public static readonly DiagnosticCode DimensionMapping = new("LS2009", Severity.Error, "Dimension mapped to one it cannot map to",
        "A dimension maps (isee:maps_to) to a dimension that is not declared, or that has a different number of elements: a mapping pairs the elements of two dimensions by position.");

    // ---- 21xx equations (the compiler) ---------------------------------------------------------------------------

    public static readonly DiagnosticCode EquationSyntax = new("LS2101", Severity.Error, "Equation syntax error",
        "An equation cannot be parsed: an operator, parenthesis, comma or quote is missing or out of place; the message shows the equation and the place.");
    public static readonly DiagnosticCode EquationTooDeep = new("LS2102", Severity.Error, "Equation nested too deeply",
        "An equation nests parentheses, calls, IFs or signs more than 200 levels deep, or chains more than 1,000 operations; split it into auxiliaries.");
    public static readonly DiagnosticCode UnknownFunction = new("LS2103", Severity.Error, "Unknown function",
        "A call names neither a builtin (of the model's dialect: XMILE names, and Vensim's in Vensim models) nor a graphical function of the model; the message suggests close names.");
    public static readonly DiagnosticCode ArgumentCount = new("LS2104", Severity.Error, "Wrong number of arguments",
        "A builtin or a graphical function is called with more or fewer arguments than it takes; the message gives what it takes.");
    public static readonly DiagnosticCode OrderNotConstant = new("LS2105", Severity.Error, "Order not a constant whole number",
        "The order of SMTHN and DELAYN sets how many hidden stocks they have, so it must be a whole number of at least 1 written as a number.");
    public static readonly DiagnosticCode TableWithoutInput = new("LS2106", Severity.Error, "Graphical function used as a value",
        "A graphical function without an equation is a table: call it with an input, table(x), or LOOKUP(table, x).");
    public static readonly DiagnosticCode LookupWithoutTable = new("LS2107", Severity.Error, "LOOKUP without a graphical function",
        "LOOKUP's first argument must be the name of a graphical function of the model.");
    public static readonly DiagnosticCode CircularDefinition = new("LS2108", Severity.Error, "Circular definition",
        "Variables compute each other in a circle within one time step; every feedback loop must pass through a stock or a delay (SMTH1, DELAY …).");
    public static readonly DiagnosticCode CircularInitialisation = new("LS2109", Severity.Error, "Circular initial values",
        "Initial values (of stocks, INIT, DELAY) refer to each other in a circle; give one of them a value that does not depend on the others.");

    public static readonly DiagnosticCode ArrayFunctionShape = new("LS2120", Severity.Error, "Array function arguments that do not fit it",
        "An array function (VECTOR SELECT, INVERT MATRIX, ALLOCATE …) is given arrays of different sizes, a matrix that is not square, an element place that is not a constant, or a constant option it does not know (VECTOR SELECT's numerical action is 0 to 10, its error action 0 to 3); the message says which.");
    public static readonly DiagnosticCode MdlArrayFunction = new("LS2121", Severity.Error, "Vensim array function written in a way LoopSim cannot flatten",
        "A Vensim array function's array argument is not written as LoopSim reads it: INVERT MATRIX's matrix must be subscripted by ranges of the left-hand side in its last two places, with as many elements each as its size argument (a constant); ALLOCATE AVAILABLE's and ALLOCATE BY PRIORITY's request by a range of the left-hand side in its last place, ALLOCATE AVAILABLE's priority by the first of 4 profile elements, ALLOCATE BY PRIORITY's size a constant equal to the range's size.");

    // ---- 3xxx simulation specs and limits ------------------------------------------------------------------------

    public static readonly DiagnosticCode StopNotAfterStart = new("LS3001", Severity.Error, "Stop time not after start time",
        "A simulation needs a stop time after its start time.");
    public static readonly DiagnosticCode DtNotPositive = new("LS3002", Severity.Error, "Time step not positive",
        "The time step DT must be a positive number; a typical DT is 1/4 or 1/8 of the time unit.");
    public static readonly DiagnosticCode DtLongerThanRun = new("LS3003", Severity.Error, "Time step longer than the run",
        "DT is longer than the time from start to stop, so the run would not take a single step; usually a unit slip in dt or stop.");
    public static readonly DiagnosticCode SaveStepNotPositive = new("LS3004", Severity.Error, "Save step not positive",
        "The interval between saved results must be a positive number.");
    public static readonly DiagnosticCode UnknownMethod = new("LS3005", Severity.Error, "Unknown integration method",
        "The integration method must be Euler, RK2 or RK4.");
    public static readonly DiagnosticCode NumberTooLarge = new("LS3006", Severity.Error, "Number too large",
        "A number is beyond what a 64-bit float holds (about ±1.8e308), such as 1e400; it would silently become infinity.");
    public static readonly DiagnosticCode OutsideRange = new("LS3007", Severity.Error, "Value outside its declared range",
        "A constant declares a plausible range, and a value given to it (in the model, a city, --set, a sweep or a distribution) lies outside.");
    public static readonly DiagnosticCode RangeMalformed = new("LS3008", Severity.Error, "Declared range malformed",
        "A declared range must be two numbers [min, max] with min ≤ max.");

    public static readonly DiagnosticCode TooManySteps = new("LS3009", Severity.Error, "Too many time steps",
        "The run from start to stop in steps of dt would take more steps than LoopSim allows; a dt or stop time off by orders of magnitude is the usual cause.");

    // ---- 4xxx scenarios ------------------------------------------------------------------------------------------

    public static readonly DiagnosticCode NoCities = new("LS4001", Severity.Error, "Empty list of cities",
        "A scenario's 'cities' list is empty; list at least one city, or leave 'cities' out to run the model once as it is.");
    public static readonly DiagnosticCode NothingToReport = new("LS4002", Severity.Error, "Nothing to report",
        "A list of variables to report (report, summary, composition) is empty.");
    public static readonly DiagnosticCode RunsNotPositive = new("LS4003", Severity.Error, "Runs must be at least 1",
        "The number of runs per city must be a whole number of at least 1.");
    public static readonly DiagnosticCode SeedInvalid = new("LS4004", Severity.Error, "Seed not a whole number of 0 or more",
        "The random seed must be a whole number from 0 to 18446744073709551615.");
    public static readonly DiagnosticCode UnknownDistribution = new("LS4101", Severity.Error, "Unknown distribution",
        "An uncertain parameter's 'dist' is missing or not one of uniform, normal, lognormal, triangular, beta, discrete.");
    public static readonly DiagnosticCode DistributionArgument = new("LS4102", Severity.Error, "Distribution argument missing or not understood",
        "A distribution lacks an argument it needs, has one it does not take, or has one that is not a finite number.");
    public static readonly DiagnosticCode DistributionImpossible = new("LS4103", Severity.Error, "Impossible distribution",
        "A distribution's arguments contradict each other or its definition (sd ≤ 0, min ≥ max, a mode outside [min, max], negative weights).");
    public static readonly DiagnosticCode TruncationTooNarrow = new("LS4104", Severity.Error, "Truncation keeps almost nothing",
        "min/max truncate a distribution to a sliver of its probability, so every draw would sit at a bound.");
    public static readonly DiagnosticCode UncertainAndFixed = new("LS4105", Severity.Error, "Parameter both uncertain and fixed",
        "A parameter is drawn per run by 'uncertain' and also set (by the scenario, a city or a sweep); it must be one or the other.");
    public static readonly DiagnosticCode UnknownSampling = new("LS4106", Severity.Error, "Unknown sampling method",
        "The sampling method must be lhs (Latin hypercube) or random.");
    public static readonly DiagnosticCode SweepAxisMalformed = new("LS4201", Severity.Error, "Swept parameter malformed",
        "A swept parameter is written NAME=FROM:TO:STEP (inclusive, STEP > 0, FROM ≤ TO) or NAME=V1,V2,... with finite numbers.");
    public static readonly DiagnosticCode SweepTooLarge = new("LS4202", Severity.Error, "Sweep grid too large",
        "The sweep asks for more values of one parameter, or more grid points, than LoopSim runs at once; use larger steps or fewer values.");
    public static readonly DiagnosticCode SweepMissing = new("LS4203", Severity.Error, "Nothing to sweep",
        "A sweep needs at least one parameter (--param, or 'params' in the scenario's 'sweep' section) and a metric.");
    public static readonly DiagnosticCode MetricMalformed = new("LS4204", Severity.Error, "Metric malformed",
        "A metric is written VARIABLE[@TIME][:STAT], STAT one of mean, p5, p25, p50, p75, p95.");
    public static readonly DiagnosticCode NotASavedTime = new("LS4205", Severity.Error, "Time not among the saved times",
        "A metric's time must be one of the model's saved times (start, start + save step, ..., stop).");

    // Analyses: sensitivity, discovery, calibration (43xx).
    public static readonly DiagnosticCode NoDistribution = new("LS4301", Severity.Error, "Parameter has no distribution to vary over",
        "An analysis was asked to vary a parameter by name only, and the scenario's 'uncertain:' section gives it no distribution; give a range NAME=LOW..HIGH instead.");
    public static readonly DiagnosticCode ParameterRangeMalformed = new("LS4302", Severity.Error, "Parameter range malformed",
        "A --param or --fit range must be NAME=LOW..HIGH with plain numbers and LOW below HIGH.");
    public static readonly DiagnosticCode NothingToVary = new("LS4303", Severity.Error, "No parameters to vary",
        "An analysis needs at least one parameter: from the scenario's 'uncertain:' section or from --param / --fit.");
    public static readonly DiagnosticCode AnalysisSetting = new("LS4304", Severity.Error, "Analysis setting out of range",
        "A setting of an analysis (samples, levels, resamples, cases, peeling share, minimum mass, density threshold, starts, chains, generations) is outside what the method accepts; the message gives the accepted values.");
    public static readonly DiagnosticCode DesignTooLarge = new("LS4305", Severity.Error, "Design too large",
        "The analysis would vary more parameters than its design supports (the Sobol' sequence has 57 dimensions: 28 parameters) or hold more runs than memory allows.");
    public static readonly DiagnosticCode ConditionMalformed = new("LS4311", Severity.Error, "Condition malformed",
        "A --where condition must be METRIC OP NUMBER, METRIC / METRIC OP NUMBER or METRIC - METRIC OP NUMBER, with METRIC = [versus.]VARIABLE[@TIME] and OP one of > >= < <=.");
    public static readonly DiagnosticCode VersusMissing = new("LS4312", Severity.Error, "Nothing to compare with",
        "A condition uses 'versus.' terms but no --versus scenario was given, or that scenario lacks one of the cities analysed.");
    public static readonly DiagnosticCode DataColumnUnknown = new("LS4322", Severity.Error, "Data column matches no variable",
        "Each column of the observed data besides 'time' is matched to a model variable by name (any spelling); this one matches none.");
    public static readonly DiagnosticCode DataTimeNotSaved = new("LS4323", Severity.Error, "Data time not saved by the model",
        "Every time in the observed data must be one of the model's saved times; change the data's times or the model's save step.");
    public static readonly DiagnosticCode DataTooFew = new("LS4324", Severity.Error, "Too little data to fit",
        "There must be more observed values than fitted parameters (and at least one value at all).");
    public static readonly DiagnosticCode DataNotCounts = new("LS4325", Severity.Error, "Data are not counts",
        "A Poisson payoff needs whole numbers of 0 or more in every observed cell; use the Gaussian or SSE payoff for other data.");
    public static readonly DiagnosticCode FitFailed = new("LS4326", Severity.Error, "No finite fit",
        "Every start of the optimiser gave a non-finite payoff: the model gives non-finite values across the whole fitted ranges.");
    public static readonly DiagnosticCode PosteriorMalformed = new("LS4327", Severity.Error, "Posterior file malformed",
        "A scenario's 'posterior:' CSV needs a header of parameter names and one row of numbers per draw.");

    // ---- 5xxx command line and outputs ---------------------------------------------------------------------------

    public static readonly DiagnosticCode OptionInvalid = new("LS5001", Severity.Error, "Option value not allowed",
        "An option's value is outside what it accepts (a count below 1, a negative number, a number too large).");
    public static readonly DiagnosticCode SetMalformed = new("LS5002", Severity.Error, "--set not NAME=VALUE",
        "--set replaces a variable by a constant and is written NAME=VALUE with a number.");
    public static readonly DiagnosticCode UnknownCity = new("LS5003", Severity.Error, "Unknown city",
        "--city names no city of the scenario (by name or label).");
    public static readonly DiagnosticCode CityWithoutScenario = new("LS5004", Severity.Error, "--city needs a scenario",
        "--city picks a city of a scenario, and the file given is a model.");
    public static readonly DiagnosticCode OutputUnusable = new("LS5005", Severity.Error, "Output cannot be written there",
        "The output named by --output cannot be used: it is a file where a folder is needed, or it would overwrite the input.");
    public static readonly DiagnosticCode CompareMismatch = new("LS5006", Severity.Error, "Scenarios cannot be compared",
        "Compared scenarios need distinct names and some reported variables, summary variables and cities in common.");
    public static readonly DiagnosticCode TooMuchToKeep = new("LS5007", Severity.Error, "Too many values to keep",
        "Retired: was raised when a Monte Carlo's run values did not fit in memory; they now spill to disk. Kept so that the number is never reused.");
    public static readonly DiagnosticCode WriteFailed = new("LS5008", Severity.Error, "Input or output failed",
        "The system refused to read or write a file (a full disk, missing permissions, a path that is too long).");
    public static readonly DiagnosticCode CommandLineInvalid = new("LS5009", Severity.Error, "Command line not understood",
        "An option is unknown, misspelt or given a value of the wrong kind, or a required argument is missing; 'loopsim VERB --help' lists the options.");
    public static readonly DiagnosticCode ShardInvalid = new("LS5010", Severity.Error, "--shard not I/N of a Monte Carlo",
        "--shard is written I/N with 0 ≤ I < N, and splits the runs of a Monte Carlo (runs > 1).");
    public static readonly DiagnosticCode ShardsOfDifferentExperiments = new("LS5011", Severity.Error, "Shards of different experiments",
        "merge takes the shards of one experiment: the same verb, scenario (its files unchanged since), seed, runs, cities, sweep and number of shards.");
    public static readonly DiagnosticCode ShardSetIncomplete = new("LS5012", Severity.Error, "Shard missing or given twice",
        "merge needs every shard 0 … N−1 of the experiment, each once.");
    public static readonly DiagnosticCode ShardDamaged = new("LS5013", Severity.Error, "Shard folder partly written",
        "A shard folder lacks its shard.json (written last), or a run store in it is shorter than its manifest or its own end marker say.");
    public static readonly DiagnosticCode LoopAnalysisTooLarge = new("LS5014", Severity.Error, "Loop analysis too large for its memory budget",
        "A loop analysis keeps every loop's scores at every save time; the estimate for this model is past the budget (--max-memory, 1 GB by default). The message names what fits: fewer loops (--max-loops), a coarser save step, or a larger budget.");
    public static readonly DiagnosticCode DataOptionFileUnusable = new("LS5015", Severity.Error, "--data file missing or unreadable",
        "A file given with --data does not exist, or is not a table of time series (.tab, .csv or a spreadsheet: a column headed 'time', else the first column, or a first row of times, then one column or row per variable, named as in the model: 'var[A,B]' for an element).");
    public static readonly DiagnosticCode DataVariableWithoutData = new("LS5016", Severity.Error, "Data variable without data",
        "A Vensim data variable (a name with no equation, 'x ~ units ~ |', or with :INTERPOLATE: and no equation) takes its values from a data file at run time; no file was given with --data, or none of the files has a column for it.");
    public static readonly DiagnosticCode DataOptionValueInvalid = new("LS5017", Severity.Error, "--data file value not a number",
        "A time or value in a --data file is text or infinite, or the times are not increasing; every value must be a number (an empty cell or NA is a missing value: a data variable fills it by its interpolation rule, a calibration leaves it out).");

    // ---- 6xxx run-time warnings ---------------------------------------------------------------------------------

    public static readonly DiagnosticCode NonFiniteResult = new("LS6001", Severity.Warning, "Result not a finite number",
        "A variable became NaN or infinite during the run (a division by zero, LN or SQRT of a negative number, growth without limit); every value computed from it is meaningless from then on. The message names the first variable and time; --strict makes it an error.");
    public static readonly DiagnosticCode ChartFontMissing = new("LS6002", Severity.Warning, "No font for the chart labels",
        "No installed font can draw some characters of the chart labels (Chinese city names without a CJK font); the charts are written with boxes for them.");
    public static readonly DiagnosticCode DiagramNotRendered = new("LS6003", Severity.Warning, "Causal loop diagram not rendered",
        "Graphviz failed or took too long to lay out the diagram; its .dot file is written, and can be rendered by hand.");
    public static readonly DiagnosticCode GraphvizMissing = new("LS6004", Severity.Info, "Graphviz not installed",
        "Graphviz's 'dot' is not on PATH, so the causal loop diagram is written as a .dot file only.");

    public static readonly DiagnosticCode LoopsExplainLittle = new("LS6005", Severity.Warning, "Loops found explain little of the change",
        "More loops than --max-loops, so the strongest-path search listed some; for some stocks the loops it found explain less than half of the change (coverage.csv), so loops it missed may dominate. Raise --max-loops to list every loop.");

    // ---- 7xxx units ----------------------------------------------------------------------------------------------

    public static readonly DiagnosticCode UnitsDisagree = new("LS7001", Severity.Warning, "Units disagree",
        "Two quantities that are added, subtracted, compared or chosen between (IF THEN ELSE), or that a builtin needs alike (MIN's, a smooth's input and initial value), have different units; fix the equation or one of the declared units. A bare number adapts to its partner.");
    public static readonly DiagnosticCode EquationUnits = new("LS7002", Severity.Warning, "Equation's units differ from the declared units",
        "The units an equation (a stock's initial value) computes from its inputs are not the units declared for the variable.");
    public static readonly DiagnosticCode FlowUnits = new("LS7003", Severity.Warning, "Flow's units do not fit its stock",
        "A flow's units must be its stock's units per time unit (people/week into a stock of people, when the model's time unit is the week).");
    public static readonly DiagnosticCode UnitsUnreadable = new("LS7004", Severity.Warning, "Units not understood",
        "A units text is not a unit expression (names joined by *, / and ^ with a whole power, parentheses, numbers); the variable is treated as having no units.");
    public static readonly DiagnosticCode PowerUnits = new("LS7005", Severity.Warning, "Power of a quantity with units",
        "A quantity with units can only be raised to a constant power that leaves whole powers of its units (x^2, SQRT of m^2); an exponent must be dimensionless.");
    public static readonly DiagnosticCode ArgumentUnits = new("LS7006", Severity.Warning, "Builtin argument has the wrong units",
        "A builtin needs an argument with given units: the time unit for a delay's or smooth's time and STEP's time, dimensionless for EXP, LN and the trigonometric functions.");

    // ---- 8xxx validation (loopsim check) -------------------------------------------------------------------------

    public static readonly DiagnosticCode AssertionMalformed = new("LS8001", Severity.Error, "Check assertion malformed",
        "An assertion of a checks file must be one comparison whose sides reduce series to numbers (FINAL, AT, MAXIMUM, ...); a measurement must be a number. The message names the function or side at fault.");
    public static readonly DiagnosticCode RunUnknown = new("LS8002", Severity.Error, "Named run unknown or misnamed",
        "A reference mode reads RUN.VARIABLE for a run not listed under 'runs' (or an extreme condition reads a run other than its own or 'base'), or a run's name has a dot.");
    public static readonly DiagnosticCode UnknownCheck = new("LS8003", Severity.Error, "Unknown check",
        "--skip names a check that is not part of the validation suite; the message lists the checks.");

    // ---- 9xxx internal -------------------------------------------------------------------------------------------

    public static readonly DiagnosticCode InternalError = new("LS9001", Severity.Error, "Internal error",
        "LoopSim failed in a way its checks did not foresee. This is a bug in LoopSim, not in the input; please report it with the command line.");

    public static readonly DiagnosticCode Uncoded = new("LS9000", Severity.Error, "Error without a code yet",
        "Retired: was given to the compiler's errors until they had codes of their own (LS21xx); kept so that the number is never reused.");

    /// <summary>Every code, by id.</summary>
    public static IReadOnlyList<DiagnosticCode> All { get; } = typeof(DiagnosticCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticCode))
        .Select(f => (DiagnosticCode)f.GetValue(null)!)
        .OrderBy(c => c.Id, StringComparer.Ordinal)
        .ToList();
}
