using BibServer.Core.Text;
using LSP = BibServer.Protocol;

namespace BibServer.Conversion;

/// <summary>
/// Turns the core's values into protocol values: offsets into line/UTF-16-column positions through a
/// LineIndex. One of the two places where LSP and the core meet (the other is <see cref="FromProto"/>).
/// </summary>
internal static class ToProto
{
    /// <summary>Shown as the diagnostics' source, so a user can tell ours from a linter's.</summary>
    public const string Source = "bibserver";

    public static LSP.Position Position(LineIndex lines, int offset)
    {
        var position = lines.GetPosition(offset);
        return new LSP.Position(position.Line, position.Column);
    }

    public static LSP.Range Range(LineIndex lines, TextSpan span) => new(Position(lines, span.Start), Position(lines, span.End));

    public static LSP.Location Location(string uri, LineIndex lines, TextSpan span) => new(uri, Range(lines, span));

    public static LSP.DiagnosticSeverity Severity(Severity severity) => severity switch
    {
        Core.Text.Severity.Error => LSP.DiagnosticSeverity.Error,
        Core.Text.Severity.Warning => LSP.DiagnosticSeverity.Warning,
        Core.Text.Severity.Information => LSP.DiagnosticSeverity.Information,
        _ => LSP.DiagnosticSeverity.Hint,
    };

    public static LSP.Diagnostic Diagnostic(LineIndex lines, Problem problem) => new(Range(lines, problem.Span), problem.Message)
    {
        Severity = Severity(problem.Severity),
        Code = string.IsNullOrEmpty(problem.Code) ? null : problem.Code,
        Source = Source,
    };

    public static LSP.MarkupContent Markdown(string markdown) => new(LSP.MarkupKind.Markdown, markdown);
}
