using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

public enum KeySite
{
    /// <summary>A citation in a note: <c>@key</c>, <c>[@key]</c>, <c>@{key}</c>.</summary>
    Citation,

    /// <summary>A paper's entry in a library file or in a note's <c>references:</c>: its key, or a listing's title line.</summary>
    Entry,
}

/// <summary>
/// The citation key under a cursor, wherever the cursor is: on a citation in a note, or on a paper's entry
/// (the key of a BibTeX or CSL entry, the title line of a paper-list entry).
/// </summary>
/// <param name="Key">The key as notes cite it: for a paper-list entry, the key BibServer made for it.</param>
/// <param name="Span">The citation's key, or the entry's <see cref="SourceLocation.FocusSpan"/>.</param>
/// <param name="Paper">
/// The paper the key names: for a citation, the one the note sees (null for an unknown key); for an entry,
/// the merged paper it is part of, or the entry's own paper when it lost a key conflict.
/// </param>
/// <param name="Citation">The citation, for <see cref="KeySite.Citation"/>.</param>
/// <param name="Entry">Where the entry is, for <see cref="KeySite.Entry"/>.</param>
/// <param name="Set">The merged libraries the entry's file is part of, for <see cref="KeySite.Entry"/>.</param>
public sealed record KeyAtCursor(
    string Key,
    TextSpan Span,
    KeySite Site,
    Paper? Paper,
    Citation? Citation,
    SourceLocation? Entry,
    LibrarySet? Set)
{
    public bool IsCrossReference => Citation is { IsCrossReference: true };
}

/// <summary>
/// Finds the key under a cursor; every navigation feature starts here, so definition, references, rename
/// and hover agree on what "the key here" is.
/// </summary>
public static class KeyAt
{
    public static KeyAtCursor? Find(WorkspaceSnapshot snapshot, string path, int offset)
    {
        if (snapshot.Note(path) is { } note)
        {
            var scope = snapshot.ScopeOf(note);
            if (NoteQueries.CitationAt(note, offset) is { } c)
                return new KeyAtCursor(c.Key, c.KeySpan, KeySite.Citation, c.IsCrossReference ? null : scope.Find(c.Key), c, null, null);
            return scope.References is { } references ? AtEntry(references, scope.Layers[0], offset) : null;
        }
        return snapshot.Library(path) is { } library ? AtEntry(library, LibraryEntries.SetOf(snapshot, path), offset) : null;
    }

    private static KeyAtCursor? AtEntry(LibraryDocument document, LibrarySet set, int offset)
    {
        if (LibraryEntries.At(document, offset) is not { } entry) return null;
        var paper = LibraryEntries.PaperOf(set, entry);
        return new KeyAtCursor(paper.Key, entry.Location.FocusSpan, KeySite.Entry, paper, null, entry.Location, set);
    }
}
