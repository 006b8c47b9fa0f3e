using LoopSim.Engine.Model;

namespace LoopSim.Engine.Diagnostics;

/// <summary>How bad a diagnostic is: an error stops the command (exit 1), a warning and an info are printed and the work goes on.</summary>
public enum Severity { Error, Warning, Info }

/// <summary>
/// One kind of problem, with a stable code that users can search for and tests can assert. Every code is one entry of
/// <see cref="DiagnosticCodes"/>; docs/diagnostics.md lists them all.
/// </summary>
/// <param name="Id">The stable code, "LS" and four digits; the first digit is the area (see <see cref="DiagnosticCodes.Areas"/>).</param>
/// <param name="Title">A few words: what went wrong.</param>
/// <param name="Explanation">One or two sentences: why it is a problem and what usually fixes it.</param>
public sealed record DiagnosticCode(string Id, Severity Severity, string Title, string Explanation)
{
    public override string ToString() => Id;
}

/// <summary>
/// One problem found in a model, scenario, option or result: its code, where it is (file, line and column; the
/// variable), what is wrong in the user's words, and how to fix it.
/// </summary>
public sealed record Diagnostic(DiagnosticCode Code, string Message, SourceLocation? Location = null, string? Variable = null, string? Hint = null)
{
    public Severity Severity => Code.Severity;

    /// <summary>The line the CLI prints: "error LS4103: scenarios/x.yaml:7:3: variable 'win_rate': uncertain parameter: … Fix."</summary>
    public string Format() => $"{Severity.ToString().ToLowerInvariant()} {Code.Id}: {this}";

    /// <summary>The place, the variable, the message and the fix, without the code.</summary>
    public override string ToString()
    {
        var where = Location?.ToString();
        var prefix = string.IsNullOrEmpty(where) ? "" : where + ": ";
        var variable = Variable is null ? "" : $"variable '{Names.Display(Variable)}': ";
        var separator = Message.EndsWith('.') || Message.EndsWith('?') || Message.EndsWith(':') ? " " : ". ";
        return prefix + variable + Message + (string.IsNullOrEmpty(Hint) ? "" : separator + Hint);
    }
}
