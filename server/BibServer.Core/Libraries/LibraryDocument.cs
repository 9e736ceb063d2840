using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries;

/// <summary>
/// One library file, read: its papers in file order and the problems found, with spans into
/// <see cref="Text"/> (empty for a format read from bytes). Reading never throws; what could not be read is a problem and the rest is kept.
/// </summary>
public sealed record LibraryDocument(
    string Path,
    LibraryFormat Format,
    string Text,
    ImmutableArray<Paper> Papers,
    ImmutableArray<Problem> Problems)
{
    private LineIndex? _lines;
    private string? _text = Text;

    /// <summary>
    /// The file's text. A library read from the cache (<see cref="Cache.LibraryCache"/>) has not read its file; its
    /// text is read when first asked (rename, a quick fix's stub entry), through what the server handed in.
    /// </summary>
    public string Text
    {
        get => _text ??= TextSource?.Value ?? "";
        init => _text = value;
    }

    public LineIndex Lines => _lines ??= LinesSource?.Value ?? new LineIndex(Text);

    /// <summary>The text of a library read from the cache, read when first asked; null when <see cref="Text"/> was given.</summary>
    internal Lazy<string>? TextSource { get; init; }

    /// <summary>The lines of a library read from the cache, decoded when first asked.</summary>
    internal Lazy<LineIndex>? LinesSource { get; init; }

    /// <summary>
    /// What the reader found besides papers, in a few words for the library statistics ("18 attachments and 2
    /// notes (not papers)"); null when there is nothing to say.
    /// </summary>
    public string? Summary { get; init; }
}
