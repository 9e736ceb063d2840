using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries;

public enum LibraryFormat
{
    Unknown,
    PaperList,
    BibTeX,
    CslJson,
    CslYaml,
    Zotero,
}

/// <summary>
/// One library file, read: its papers in file order and the problems found, with spans into
/// <see cref="Text"/>. Reading never throws; what could not be read is a problem and the rest is kept.
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
    /// What the reader found besides papers, in a few words for a status line ("18 attachments, 2 notes and
    /// 1 item in the trash, not taken as papers"); null when there is nothing to say.
    /// </summary>
    public string? Summary { get; init; }
}
