using BibServer.Core.Text;
using BibServer.Documents;
using LSP = BibServer.Protocol;

namespace BibServer.Conversion;

/// <summary>
/// Turns protocol values into the core's: line/UTF-16-column positions into offsets through the document's
/// LineIndex. One of the two places where LSP and the core meet (the other is <see cref="ToProto"/>).
/// </summary>
internal static class FromProto
{
    public static LinePosition LinePosition(LSP.Position position) => new(position.Line, position.Character);

    /// <summary>
    /// The offset of a position a request points at. A column past the end of its line means the end of the
    /// line, as the specification says; a line outside the document is the client's mistake and answered
    /// with InvalidParams.
    /// </summary>
    public static int Offset(OpenDocument document, LSP.Position position)
    {
        if (position.Line < 0 || position.Line >= document.Lines.LineCount || position.Character < 0)
        {
            throw LspErrors.InvalidParams(
                $"The position {position.Line}:{position.Character} is outside {document.Uri}, which has {document.Lines.LineCount} lines.");
        }
        return DocumentChanges.EditOffset(document.Text, document.Lines, LinePosition(position));
    }

    public static TextSpan Span(OpenDocument document, LSP.Range range)
    {
        var start = Offset(document, range.Start);
        var end = Offset(document, range.End);
        return TextSpan.FromBounds(Math.Min(start, end), Math.Max(start, end));
    }

    public static DocumentChange Change(LSP.TextDocumentContentChangeEvent change) => change.Range is { } range
        ? DocumentChange.Replace(LinePosition(range.Start), LinePosition(range.End), change.Text)
        : DocumentChange.Full(change.Text);

    public static Loading.FileChangeKind FileChangeKind(LSP.FileChangeType type) => type switch
    {
        LSP.FileChangeType.Created => Loading.FileChangeKind.Created,
        LSP.FileChangeType.Deleted => Loading.FileChangeKind.Deleted,
        _ => Loading.FileChangeKind.Changed,
    };
}
