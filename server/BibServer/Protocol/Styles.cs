namespace BibServer.Protocol;

internal sealed record InlayHintParams(TextDocumentIdentifier TextDocument, Range Range);

/// <summary>An inlay hint; kind 1 is a type hint, 2 a parameter hint, neither fits: none is sent.</summary>
internal sealed record InlayHint(Position Position, string Label, bool? PaddingLeft = null, string? Tooltip = null);

/// <summary>window/showDocument: the server asks the client to show a document, here a paper's web page.</summary>
internal sealed record ShowDocumentParams(string Uri, bool? External = null, bool? TakeFocus = null);

internal sealed record ShowDocumentResult(bool Success);

internal static class StyleMethods
{
    public const string TextDocumentInlayHint = "textDocument/inlayHint";
    public const string TextDocumentImplementation = "textDocument/implementation";
    public const string WindowShowDocument = "window/showDocument";

    /// <summary>The server's command behind the client's "Preview bibliography": its argument is the note's URI.</summary>
    public const string PreviewBibliography = "bibserver.server.previewBibliography";
}
