using System.Text.Json;

namespace BibServer.Protocol;

// The LSP's basic structures, hand-written because no package in our registry mirror ships LSP types for
// System.Text.Json. Only what BibServer sends or reads is here; names follow the specification so that a
// reader can look each one up. Records are positional where every field is required and init-only where
// most fields are optional, and the serializer (LspJson) writes them camelCase and leaves nulls out.

/// <summary>A zero-based line and a UTF-16 column (the specification's default position encoding).</summary>
internal sealed record Position(int Line, int Character);

internal sealed record Range(Position Start, Position End);

internal sealed record Location(string Uri, Range Range);

internal sealed record TextEdit(Range Range, string NewText);

internal sealed record TextDocumentIdentifier(string Uri);

internal sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

/// <summary>A version of null means the edit applies to whatever version the client has.</summary>
internal sealed record OptionalVersionedTextDocumentIdentifier(string Uri, int? Version);

internal sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

internal sealed record TextDocumentEdit(OptionalVersionedTextDocumentIdentifier TextDocument, IReadOnlyList<TextEdit> Edits);

internal sealed record WorkspaceEdit
{
    public IReadOnlyDictionary<string, IReadOnlyList<TextEdit>>? Changes { get; init; }
    /// <summary>Text edits and file operations in order: a <see cref="TextDocumentEdit"/> or a <see cref="CreateFile"/>, as JSON.</summary>
    public IReadOnlyList<JsonElement>? DocumentChanges { get; init; }
}

/// <summary>A file the editor creates (a literature note); nothing happens if it exists already.</summary>
internal sealed record CreateFile(string Uri, CreateFileOptions? Options = null)
{
    public string Kind => "create";
}

internal sealed record CreateFileOptions(bool? Overwrite = null, bool? IgnoreIfExists = null);

/// <summary>A command the client runs; <c>Name</c> is the specification's "command" member.</summary>
internal sealed record Command(
    string Title,
    [property: System.Text.Json.Serialization.JsonPropertyName("command")] string Name,
    IReadOnlyList<JsonElement>? Arguments = null);

internal static class MarkupKind
{
    public const string PlainText = "plaintext";
    public const string Markdown = "markdown";
}

internal sealed record MarkupContent(string Kind, string Value);

/// <summary>The params of every request that points at a place in a document (hover, definition, ...).</summary>
internal record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);
