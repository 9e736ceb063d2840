using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Papers;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>What a rename starts from: the key's characters under the cursor, and the key itself.</summary>
public sealed record RenameTarget(string Key, TextSpan Span);

/// <summary>
/// Renames a citation key, from a citation or from a BibTeX/CSL entry: one set of edits that changes every
/// entry defining the key (in library files and in notes' <c>references:</c>) and every citation of it in
/// every note, and nothing else, so that pandoc finds the same citations at the same places under the new
/// key. Keys are names shared by the whole workspace (a note's scope only decides which paper wins), so
/// the rename is of the name everywhere it is written.
/// </summary>
public static class Rename
{
    public static Outcome<RenameTarget> Prepare(WorkspaceSnapshot snapshot, string path, int offset)
    {
        if (KeyAt.Find(snapshot, path, offset) is not { } at)
            return Outcome<RenameTarget>.Refused("There is no citation key here to rename: put the cursor on a citation or on the key of a BibTeX or CSL entry.");
        if (at.IsCrossReference)
            return Outcome<RenameTarget>.Refused($"`@{at.Key}` is a cross-reference to a figure, table, section or equation, not a citation of a paper; BibServer does not rename it.");
        if (at.Paper is { KeyOrigin: KeyOrigin.Generated } generated)
            return Outcome<RenameTarget>.Refused(GeneratedKeyMessage(snapshot, generated));
        // The server never writes to a Zotero database: its keys are changed in Zotero.
        if (at.Paper is { } fromZotero && snapshot.Library(fromZotero.Location.Path) is { Format: Libraries.Zotero.ZoteroFormat })
            return Outcome<RenameTarget>.Refused($"`{at.Key}` comes from a Zotero library, which BibServer never writes to: change the key in Zotero "
                + "(Better BibTeX's citation key, or a `Citation Key:` line in the item's Extra field), and the notes' citations with it.");
        return Outcome<RenameTarget>.Ok(new RenameTarget(at.Key, at.Span));
    }

    /// <summary>
    /// The edits of a rename to <paramref name="newName"/> (a leading <c>@</c> and one pair of outer braces are
    /// taken as citation syntax and dropped), or why it cannot be done. Renaming a key to itself changes nothing.
    /// </summary>
    public static Outcome<ImmutableArray<FileEdit>> Edits(WorkspaceSnapshot snapshot, string path, int offset, string newName)
    {
        var prepared = Prepare(snapshot, path, offset);
        if (prepared.IsRefused) return Outcome<ImmutableArray<FileEdit>>.Refused(prepared.Refusal!);
        var oldKey = prepared.Value!.Key;
        var newKey = Normalize(newName);
        if (newKey == oldKey) return Outcome<ImmutableArray<FileEdit>>.Ok([]);
        if (KeyText.CitationProblem(newKey) is { } problem) return Outcome<ImmutableArray<FileEdit>>.Refused(problem);
        if (Taken(snapshot, newKey) is { } taken) return Outcome<ImmutableArray<FileEdit>>.Refused(taken);

        var citations = CitationIndex.Find(snapshot, oldKey);
        var edits = new List<FileEdit>(citations.Count + 4);
        foreach (var location in LibraryEntries.Declarations(snapshot, oldKey))
        {
            // The entry's format says whether it can hold the new key and how the key is written in it. Listings
            // of a paper in scraped lists (attached to a BibTeX paper by title) have no key text (WriteKey is
            // null): they follow the paper's new key by themselves.
            if (LibraryEntries.FormatOf(snapshot, location.Path) is not { } format) continue;
            if (format.KeyProblem(newKey) is { } refusal)
                return Outcome<ImmutableArray<FileEdit>>.Refused(refusal + $" The key is defined in {LibraryEntries.Where(snapshot, location.Path, location.FocusSpan)}.");
            if (LibraryEntries.TextOf(snapshot, location.Path) is { } text
                && format.WriteKey(text, location.FocusSpan, newKey) is { } written)
                edits.Add(new FileEdit(location.Path, location.FocusSpan, written));
        }
        foreach (var (note, citation) in citations)
            edits.Add(new FileEdit(note.Path, citation.KeySpan, KeyText.InCitation(citation, newKey)));
        return Outcome<ImmutableArray<FileEdit>>.Ok(FileEdits.Ordered(edits));
    }

    internal static string Normalize(string newName)
    {
        var key = newName.Trim();
        if (key.StartsWith('@')) key = key[1..];
        if (key.Length >= 2 && key[0] == '{' && key[^1] == '}') key = key[1..^1];
        return key;
    }

    /// <summary>Why a key is not free, or null: a library defines it, or a paper of a scraped list was given it.</summary>
    private static string? Taken(WorkspaceSnapshot snapshot, string key)
    {
        var places = LibraryEntries.Declarations(snapshot, key);
        if (!places.IsEmpty)
        {
            var first = places[0];
            var title = snapshot.Libraries.Workspace.Find(key)?.Title;
            var what = title is null ? "" : $" for \"{title}\"";
            return $"`{key}` is already a key{what}, defined in {LibraryEntries.Where(snapshot, first.Path, first.FocusSpan)}: choose another key.";
        }
        return null;
    }

    /// <summary>The refusal for a key BibServer made: where the paper comes from, and how to pin its key.</summary>
    internal static string GeneratedKeyMessage(WorkspaceSnapshot snapshot, Paper paper)
    {
        var where = LibraryEntries.Where(snapshot, paper.Location.Path, paper.Location.FocusSpan);
        var folder = Path.GetFileName(Path.GetDirectoryName(paper.Location.Path) ?? "");
        var lists = string.IsNullOrEmpty(folder) ? "*.txt" : $"{folder}/*.txt";
        return $"`{paper.Key}` cannot be renamed: BibServer made this key for a paper of a scraped list ({where}), so no file holds it. "
             + $"To pin keys, export the lists to BibTeX (`bibserver export --format bibtex {lists} > {(string.IsNullOrEmpty(folder) ? "papers" : folder)}.bib`) "
             + "and list that file first in the workspace's libraries; its keys can then be renamed.";
    }
}
