using BibServer.Core.Text;

namespace BibServer.Documents;

/// <summary>
/// A document the client has open, at one version. Immutable: an edit makes a new one, so a request that
/// holds an OpenDocument keeps reading the text it started with while later edits come in.
/// </summary>
internal sealed record OpenDocument(string Uri, int Version, string Text, LineIndex Lines, string LanguageId = "")
{
    public static OpenDocument Create(string uri, int version, string text, string languageId = "") =>
        new(uri, version, text, new LineIndex(text), languageId);

    /// <summary>The file the document is, for file: URIs; null for unsaved buffers and other schemes.</summary>
    public string? Path => DocumentUris.ToPath(Uri);

    /// <summary>
    /// Where the latest edit ended, in this version's text: the end of what the last incremental change of the
    /// didChange inserted, the place the writer is typing at. Null for a version that replaced the whole text.
    /// </summary>
    public int? TypedAt { get; init; }

    /// <summary>The path the core knows the document by: its file, or its URI for an unsaved buffer.</summary>
    public string CorePath => Path ?? Uri;

    /// <summary>Applies the changes of one didChange, in order, and stamps the result with the new version.</summary>
    public OpenDocument WithChanges(int version, IReadOnlyList<DocumentChange> changes) =>
        DocumentChanges.Apply(this, version, changes);
}

/// <summary>
/// One change of a didChange, already out of the protocol: a range in lines and UTF-16 columns that the
/// text replaces, or no range for a change that replaces the whole text.
/// </summary>
internal readonly record struct DocumentChange(LinePosition? Start, LinePosition? End, string Text)
{
    public static DocumentChange Full(string text) => new(null, null, text);

    public static DocumentChange Replace(LinePosition start, LinePosition end, string text) => new(start, end, text);

    public bool IsFull => Start is null || End is null;
}

internal static class DocumentChanges
{
    /// <summary>
    /// Applies changes one after the other, each against the text the previous one left, as the LSP
    /// specifies. Pure: the document passed in is not touched.
    /// </summary>
    public static OpenDocument Apply(OpenDocument document, int version, IReadOnlyList<DocumentChange> changes)
    {
        var text = document.Text;
        var lines = document.Lines;
        int? typedAt = null;
        foreach (var change in changes)
        {
            if (change.IsFull)
            {
                text = change.Text;
                typedAt = null;
            }
            else
            {
                var start = EditOffset(text, lines, change.Start!.Value);
                var end = EditOffset(text, lines, change.End!.Value);
                if (end < start) (start, end) = (end, start);
                text = string.Concat(text.AsSpan(0, start), change.Text, text.AsSpan(end));
                typedAt = start + change.Text.Length;
            }
            lines = new LineIndex(text);
        }
        return document with { Version = version, Text = text, Lines = lines, TypedAt = typedAt };
    }

    /// <summary>
    /// The offset an edit position stands for. A column past the end of its line means the end of the line
    /// (before its line break, as the specification says); a line past the last means the end of the text.
    /// Clients send such positions, and refusing the edit would leave our copy of the text out of step.
    /// </summary>
    public static int EditOffset(string text, LineIndex lines, LinePosition position)
    {
        if (position.Line < 0) return 0;
        if (position.Line >= lines.LineCount) return text.Length;
        var start = lines.LineStart(position.Line);
        return start + Math.Clamp(position.Column, 0, LineContentLength(text, lines, position.Line));
    }

    /// <summary>The length of a line without its line break.</summary>
    public static int LineContentLength(string text, LineIndex lines, int line)
    {
        var start = lines.LineStart(line);
        var end = line + 1 < lines.LineCount ? lines.LineStart(line + 1) : text.Length;
        if (end > start && text[end - 1] == '\n') end--;
        if (end > start && text[end - 1] == '\r') end--;
        return end - start;
    }
}
