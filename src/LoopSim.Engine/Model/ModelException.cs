namespace LoopSim.Engine.Model;

/// <summary>One problem found in a model or input file: where, what, and how to fix it.</summary>
public sealed record Diagnostic(string Message, SourceLocation? Location = null, string? Variable = null, string? Hint = null)
{
    public override string ToString()
    {
        var where = Location?.ToString();
        var prefix = string.IsNullOrEmpty(where) ? "" : where + ": ";
        var variable = Variable is null ? "" : $"variable '{Names.Display(Variable)}': ";
        var separator = Message.EndsWith('.') || Message.EndsWith('?') || Message.EndsWith(':') ? " " : ". ";
        return prefix + variable + Message + (string.IsNullOrEmpty(Hint) ? "" : separator + Hint);
    }
}

/// <summary>Bad input (a model, scenario or option) that the user can fix. The CLI prints it and exits 1, never a stack trace.</summary>
public sealed class ModelException : Exception
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public ModelException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics)) => Diagnostics = diagnostics;

    public ModelException(string message, SourceLocation? location = null, string? variable = null, string? hint = null)
        : this(new[] { new Diagnostic(message, location, variable, hint) }) { }
}
