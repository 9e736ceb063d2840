using System.Collections.Immutable;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>A lens over the first citation of a paper with annotations or notes in Zotero: how many, to list them all.</summary>
public sealed record RemarksLens(string Key, TextSpan Span, string Title);

/// <summary>
/// The annotations (highlights, comments) and notes a writer made on a paper in Zotero: a lens on the paper's
/// first citation in a note says how many there are, and its command lists them all (<see cref="Listing"/>).
/// </summary>
public static class ZoteroRemarks
{
    public static ImmutableArray<RemarksLens> Lenses(WorkspaceSnapshot snapshot, string notePath)
    {
        if (snapshot.Note(notePath) is not { } note) return [];
        var scope = snapshot.ScopeOf(note);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lenses = ImmutableArray.CreateBuilder<RemarksLens>();
        foreach (var citation in note.Citations)
        {
            if (citation.IsCrossReference || !seen.Add(citation.Key)) continue;
            if (scope.Find(citation.Key)?.Extras is not { } extras || extras.Annotations.IsEmpty && extras.Notes.IsEmpty) continue;
            var parts = new List<string>();
            if (!extras.Annotations.IsEmpty) parts.Add(extras.Annotations.Length == 1 ? "1 annotation" : $"{extras.Annotations.Length} annotations");
            if (!extras.Notes.IsEmpty) parts.Add(extras.Notes.Length == 1 ? "1 note" : $"{extras.Notes.Length} notes");
            lenses.Add(new RemarksLens(citation.Key, citation.KeySpan, string.Join(" · ", parts) + " in Zotero"));
        }
        return lenses.ToImmutable();
    }

    /// <summary>Every annotation and note of the paper a note cites by this key, as Markdown; null for a key the note does not see.</summary>
    public static string? Listing(WorkspaceSnapshot snapshot, string notePath, string key)
    {
        var paper = snapshot.Note(notePath) is { } note ? snapshot.ScopeOf(note).Find(key) : snapshot.Libraries.Workspace.Find(key);
        return paper is null ? null : PaperExtrasText.AllRemarks(paper);
    }
}
