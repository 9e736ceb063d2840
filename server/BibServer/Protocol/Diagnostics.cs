using System.Text.Json;

namespace BibServer.Protocol;

internal enum DiagnosticSeverity
{
    Error = 1,
    Warning = 2,
    Information = 3,
    Hint = 4,
}

internal enum DiagnosticTag
{
    Unnecessary = 1,
    Deprecated = 2,
}

internal sealed record DiagnosticRelatedInformation(Location Location, string Message);

internal sealed record Diagnostic(Range Range, string Message)
{
    public DiagnosticSeverity? Severity { get; init; }
    public string? Code { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<DiagnosticTag>? Tags { get; init; }
    public IReadOnlyList<DiagnosticRelatedInformation>? RelatedInformation { get; init; }
    public JsonElement? Data { get; init; }
}

/// <summary>The version is the document version the diagnostics were computed for; null for closed files.</summary>
internal sealed record PublishDiagnosticsParams(string Uri, IReadOnlyList<Diagnostic> Diagnostics, int? Version = null);
