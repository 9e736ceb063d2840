using System.Text.Json;

namespace BibServer.Protocol;

internal sealed record ClientInfo(string Name, string? Version = null);

internal sealed record WorkspaceFolder(string Uri, string Name);

internal sealed record InitializeParams
{
    public int? ProcessId { get; init; }
    public ClientInfo? ClientInfo { get; init; }
    public string? Locale { get; init; }
    public string? RootPath { get; init; }
    public string? RootUri { get; init; }
    public JsonElement? InitializationOptions { get; init; }
    public ClientCapabilities Capabilities { get; init; } = new();
    /// <summary>"off", "messages" or "verbose"; see <see cref="TraceValue"/>.</summary>
    public string? Trace { get; init; }
    public IReadOnlyList<WorkspaceFolder>? WorkspaceFolders { get; init; }
}

internal static class TraceValue
{
    public const string Off = "off";
    public const string Messages = "messages";
    public const string Verbose = "verbose";
}

internal sealed record SetTraceParams(string Value);

internal sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo? ServerInfo = null);

internal sealed record ServerInfo(string Name, string? Version = null);

internal sealed record InitializedParams;

/// <summary>
/// What the server can do. Each feature adds its own part (see LspRouter.Announce), so the record starts empty
/// and only the features that are registered show up in the initialize result.
/// </summary>
internal sealed record ServerCapabilities
{
    public string? PositionEncoding { get; init; }
    public TextDocumentSyncOptions? TextDocumentSync { get; init; }
    public bool? HoverProvider { get; init; }
    public CompletionOptions? CompletionProvider { get; init; }
    public bool? DefinitionProvider { get; init; }
    public bool? ReferencesProvider { get; init; }
    public RenameOptions? RenameProvider { get; init; }
    public CodeActionOptions? CodeActionProvider { get; init; }
    public bool? DocumentSymbolProvider { get; init; }
    public bool? WorkspaceSymbolProvider { get; init; }
    public CodeLensOptions? CodeLensProvider { get; init; }
    public DiagnosticOptions? DiagnosticProvider { get; init; }
    public ExecuteCommandOptions? ExecuteCommandProvider { get; init; }
    public bool? ImplementationProvider { get; init; }
    public bool? InlayHintProvider { get; init; }
    public WorkspaceServerCapabilities? Workspace { get; init; }
}

internal sealed record WorkspaceServerCapabilities(WorkspaceFoldersServerCapabilities? WorkspaceFolders = null);

internal sealed record WorkspaceFoldersServerCapabilities(bool Supported, bool ChangeNotifications);

internal sealed record CompletionOptions
{
    public IReadOnlyList<string>? TriggerCharacters { get; init; }
    public bool? ResolveProvider { get; init; }
}

internal sealed record RenameOptions(bool PrepareProvider);

internal sealed record CodeActionOptions(IReadOnlyList<string>? CodeActionKinds = null, bool? ResolveProvider = null);

internal sealed record CodeLensOptions(bool ResolveProvider = false);

internal sealed record ExecuteCommandOptions(IReadOnlyList<string> Commands);

/// <summary>
/// The parts of the client's capabilities the server looks at. Unknown members are ignored on reading, so a
/// feature that needs another flag adds it here.
/// </summary>
internal sealed record ClientCapabilities
{
    public WorkspaceClientCapabilities? Workspace { get; init; }
    public TextDocumentClientCapabilities? TextDocument { get; init; }
    public WindowClientCapabilities? Window { get; init; }
    public GeneralClientCapabilities? General { get; init; }
}

internal sealed record GeneralClientCapabilities(IReadOnlyList<string>? PositionEncodings = null);

internal sealed record WindowClientCapabilities(bool? WorkDoneProgress = null, ShowDocumentClientCapabilities? ShowDocument = null);

internal sealed record ShowDocumentClientCapabilities(bool Support);

internal sealed record WorkspaceClientCapabilities
{
    public bool? ApplyEdit { get; init; }
    public bool? Configuration { get; init; }
    public bool? WorkspaceFolders { get; init; }
    public DynamicRegistrationCapabilities? DidChangeConfiguration { get; init; }
    public DidChangeWatchedFilesClientCapabilities? DidChangeWatchedFiles { get; init; }
    public WorkspaceEditClientCapabilities? WorkspaceEdit { get; init; }
    public DiagnosticWorkspaceClientCapabilities? Diagnostics { get; init; }
}

/// <summary>Whether the client takes <c>documentChanges</c> and which file operations (<c>create</c>, ...) in a workspace edit.</summary>
internal sealed record WorkspaceEditClientCapabilities(bool? DocumentChanges = null, IReadOnlyList<string>? ResourceOperations = null);

internal sealed record DynamicRegistrationCapabilities(bool? DynamicRegistration = null);

internal sealed record DidChangeWatchedFilesClientCapabilities(bool? DynamicRegistration = null, bool? RelativePatternSupport = null);

internal sealed record TextDocumentClientCapabilities
{
    public HoverClientCapabilities? Hover { get; init; }
    public CompletionClientCapabilities? Completion { get; init; }
    public PublishDiagnosticsClientCapabilities? PublishDiagnostics { get; init; }
    public DiagnosticClientCapabilities? Diagnostic { get; init; }
    public RenameClientCapabilities? Rename { get; init; }
    public DocumentSymbolClientCapabilities? DocumentSymbol { get; init; }
}

internal sealed record HoverClientCapabilities(IReadOnlyList<string>? ContentFormat = null);

internal sealed record CompletionClientCapabilities(CompletionItemClientCapabilities? CompletionItem = null);

internal sealed record CompletionItemClientCapabilities(
    bool? SnippetSupport = null, IReadOnlyList<string>? DocumentationFormat = null, CompletionItemResolveSupport? ResolveSupport = null);

/// <summary>The properties of a completion item the client can fill in later with completionItem/resolve.</summary>
internal sealed record CompletionItemResolveSupport(IReadOnlyList<string> Properties);

internal sealed record PublishDiagnosticsClientCapabilities(bool? RelatedInformation = null, bool? VersionSupport = null);

internal sealed record RenameClientCapabilities(bool? PrepareSupport = null);

internal sealed record DocumentSymbolClientCapabilities(bool? HierarchicalDocumentSymbolSupport = null);

/// <summary>The params of methods that have none (shutdown, exit); any object reads as this.</summary>
internal sealed record NoParams;
