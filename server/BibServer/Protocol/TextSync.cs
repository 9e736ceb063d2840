namespace BibServer.Protocol;

internal enum TextDocumentSyncKind
{
    None = 0,
    Full = 1,
    Incremental = 2,
}

internal sealed record SaveOptions(bool IncludeText);

internal sealed record TextDocumentSyncOptions
{
    public bool? OpenClose { get; init; }
    public TextDocumentSyncKind? Change { get; init; }
    public SaveOptions? Save { get; init; }
}

internal sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

/// <summary>A change with a range replaces that range; a change without one replaces the whole text.</summary>
internal sealed record TextDocumentContentChangeEvent(string Text, Range? Range = null, int? RangeLength = null);

internal sealed record DidChangeTextDocumentParams(
    VersionedTextDocumentIdentifier TextDocument,
    IReadOnlyList<TextDocumentContentChangeEvent> ContentChanges);

internal sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

internal sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument, string? Text = null);
