using System.Text.Json;

namespace BibServer.Protocol;

// Requests of the language features. The server answers each with the richest form of the specification's
// unions (MarkupContent for hover, CompletionList for completion, DocumentSymbol[] for symbols), so the
// result records below need no union types.

internal sealed record HoverParams(TextDocumentIdentifier TextDocument, Position Position)
    : TextDocumentPositionParams(TextDocument, Position);

internal sealed record Hover(MarkupContent Contents, Range? Range = null);

internal enum CompletionTriggerKind
{
    Invoked = 1,
    TriggerCharacter = 2,
    TriggerForIncompleteCompletions = 3,
}

internal sealed record CompletionContext(CompletionTriggerKind TriggerKind, string? TriggerCharacter = null);

internal sealed record CompletionParams(TextDocumentIdentifier TextDocument, Position Position, CompletionContext? Context = null)
    : TextDocumentPositionParams(TextDocument, Position);

internal enum CompletionItemKind
{
    Text = 1,
    Method = 2,
    Function = 3,
    Field = 5,
    Variable = 6,
    Module = 9,
    Property = 10,
    Value = 12,
    Keyword = 14,
    Snippet = 15,
    File = 17,
    Reference = 18,
    Folder = 19,
    Constant = 21,
}

internal enum InsertTextFormat
{
    PlainText = 1,
    Snippet = 2,
}

internal sealed record CompletionItem(string Label)
{
    public CompletionItemKind? Kind { get; init; }
    public string? Detail { get; init; }
    public MarkupContent? Documentation { get; init; }
    public string? SortText { get; init; }
    public string? FilterText { get; init; }
    public string? InsertText { get; init; }
    public InsertTextFormat? InsertTextFormat { get; init; }
    public TextEdit? TextEdit { get; init; }
    public IReadOnlyList<TextEdit>? AdditionalTextEdits { get; init; }
    public Command? Command { get; init; }
    public JsonElement? Data { get; init; }
}

internal sealed record CompletionList(bool IsIncomplete, IReadOnlyList<CompletionItem> Items);

internal sealed record DefinitionParams(TextDocumentIdentifier TextDocument, Position Position)
    : TextDocumentPositionParams(TextDocument, Position);

internal sealed record ReferenceContext(bool IncludeDeclaration);

internal sealed record ReferenceParams(TextDocumentIdentifier TextDocument, Position Position, ReferenceContext Context)
    : TextDocumentPositionParams(TextDocument, Position);

internal sealed record PrepareRenameParams(TextDocumentIdentifier TextDocument, Position Position)
    : TextDocumentPositionParams(TextDocument, Position);

/// <summary>The answer to prepareRename when the server names the range and the text to start from.</summary>
internal sealed record PrepareRenameResult(Range Range, string Placeholder);

internal sealed record RenameParams(TextDocumentIdentifier TextDocument, Position Position, string NewName)
    : TextDocumentPositionParams(TextDocument, Position);

internal static class CodeActionKind
{
    public const string QuickFix = "quickfix";
    public const string Refactor = "refactor";
    public const string Source = "source";
}

internal sealed record CodeActionContext(IReadOnlyList<CodeActionContextDiagnostic> Diagnostics, IReadOnlyList<string>? Only = null);

/// <summary>
/// A diagnostic as the client sends it back with a code action request. The client may send every
/// diagnostic under the cursor, other servers' too, whose codes may be numbers or objects: the code is read
/// as it comes, so that a linter's diagnostic cannot make the request unreadable.
/// </summary>
internal sealed record CodeActionContextDiagnostic(Range Range, string Message = "")
{
    public JsonElement? Code { get; init; }
    public string? Source { get; init; }

    /// <summary>The code when it is a string, else null.</summary>
    public string? CodeText => Code is { ValueKind: JsonValueKind.String } code ? code.GetString() : null;
}

internal sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext Context);

internal sealed record CodeAction(string Title)
{
    public string? Kind { get; init; }
    public IReadOnlyList<Diagnostic>? Diagnostics { get; init; }
    public bool? IsPreferred { get; init; }
    public WorkspaceEdit? Edit { get; init; }
    public Command? Command { get; init; }
}

internal sealed record CodeLensParams(TextDocumentIdentifier TextDocument);

internal sealed record CodeLens(Range Range, Command? Command = null, JsonElement? Data = null);

internal sealed record DocumentSymbolParams(TextDocumentIdentifier TextDocument);

internal enum SymbolKind
{
    File = 1,
    Module = 2,
    Namespace = 3,
    Class = 5,
    Field = 8,
    Function = 12,
    Variable = 13,
    Constant = 14,
    String = 15,
    Key = 20,
    Object = 19,
    Struct = 23,
}

internal sealed record DocumentSymbol(string Name, SymbolKind Kind, Range Range, Range SelectionRange)
{
    public string? Detail { get; init; }
    public IReadOnlyList<DocumentSymbol>? Children { get; init; }
}

internal sealed record WorkspaceSymbolParams(string Query);

internal sealed record SymbolInformation(string Name, SymbolKind Kind, Location Location, string? ContainerName = null);

internal sealed record ExecuteCommandParams(string Command, IReadOnlyList<JsonElement>? Arguments = null);
