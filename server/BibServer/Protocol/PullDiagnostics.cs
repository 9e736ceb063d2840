using System.Text.Json.Serialization;

namespace BibServer.Protocol;

// Pull diagnostics (LSP 3.17): the client asks for a document's diagnostics (textDocument/diagnostic) or for the
// workspace's (workspace/diagnostic) instead of the server pushing them.

/// <summary>The server's diagnosticProvider capability.</summary>
internal sealed record DiagnosticOptions(bool InterFileDependencies, bool WorkspaceDiagnostics)
{
    public string? Identifier { get; init; }
}

/// <summary>The client's textDocument.diagnostic capability: present when the client can pull.</summary>
internal sealed record DiagnosticClientCapabilities(bool? DynamicRegistration = null, bool? RelatedDocumentSupport = null);

/// <summary>The client's workspace.diagnostics capability: whether it takes workspace/diagnostic/refresh.</summary>
internal sealed record DiagnosticWorkspaceClientCapabilities(bool? RefreshSupport = null);

internal sealed record DocumentDiagnosticParams(TextDocumentIdentifier TextDocument)
{
    public string? Identifier { get; init; }
    public string? PreviousResultId { get; init; }
}

internal static class DocumentDiagnosticReportKind
{
    public const string Full = "full";
    public const string Unchanged = "unchanged";
}

/// <summary>
/// A full report (kind "full", with items) or an unchanged one (kind "unchanged", no items: what the client has
/// under <see cref="ResultId"/> still holds).
/// </summary>
internal sealed record DocumentDiagnosticReport(string Kind, string ResultId)
{
    public IReadOnlyList<Diagnostic>? Items { get; init; }
}

internal sealed record PreviousResultId(string Uri, string Value);

internal sealed record WorkspaceDiagnosticParams
{
    public string? Identifier { get; init; }
    public IReadOnlyList<PreviousResultId> PreviousResultIds { get; init; } = [];
}

/// <summary>One document of a workspace report; the version is the open document's, null for a file on disk.</summary>
internal sealed record WorkspaceDocumentDiagnosticReport(string Kind, string Uri, string ResultId)
{
    // The specification makes the version required, with null for a document that is not open.
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Version { get; init; }

    public IReadOnlyList<Diagnostic>? Items { get; init; }
}

internal sealed record WorkspaceDiagnosticReport(IReadOnlyList<WorkspaceDocumentDiagnosticReport> Items);

/// <summary>The data of a ServerCancelled error of a diagnostic request: whether the client should ask again.</summary>
internal sealed record DiagnosticServerCancellationData(bool RetriggerRequest);
