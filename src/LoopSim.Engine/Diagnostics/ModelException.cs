using LoopSim.Engine.Model;

namespace LoopSim.Engine.Diagnostics;

/// <summary>
/// Bad input (a model, scenario or option) that the user can fix, carrying every problem found. The CLI prints each
/// diagnostic with its code and exits 1, never with a stack trace.
/// </summary>
public sealed class ModelException : Exception
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public ModelException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics)) => Diagnostics = diagnostics;

    public ModelException(Diagnostic diagnostic) : this([diagnostic]) { }

    public ModelException(DiagnosticCode code, string message, SourceLocation? location = null, string? variable = null, string? hint = null)
        : this(new Diagnostic(code, message, location, variable, hint)) { }
}
