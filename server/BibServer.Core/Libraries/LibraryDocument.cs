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

    public LineIndex Lines => _lines ??= new LineIndex(Text);

    /// <summary>
    /// What the reader found besides papers, in a few words for the library statistics ("18 attachments and 2
    /// notes (not papers)"); null when there is nothing to say.
    /// </summary>
    public string? Summary { get; init; }
}
