using System.Collections.Immutable;
using BibServer.Core.Features.Search;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

public enum SymbolRole
{
    /// <summary>A heading of a note; its span is its whole section.</summary>
    Heading,

    /// <summary>A citation in a note.</summary>
    Citation,

    /// <summary>A paper's entry in a library file or in a note's <c>references:</c>.</summary>
    Entry,
}

/// <summary>One symbol of a file's outline. <see cref="SelectionSpan"/> lies inside <see cref="Span"/>.</summary>
public sealed record OutlineSymbol(string Name, string? Detail, SymbolRole Role, TextSpan Span, TextSpan SelectionSpan, ImmutableArray<OutlineSymbol> Children);

/// <summary>A paper found by a workspace symbol search: its key, <c>Authors (year) Title</c>, and its entry.</summary>
public sealed record PaperSymbol(string Name, string ContainerName, SourceLocation Location);

/// <summary>Workspace symbols (the papers, searched) and document symbols (a note's outline, a library's entries).</summary>
public static class Symbols
{
    public const int MaxWorkspaceSymbols = 100;

    /// <summary>
    /// The papers that match every word of the query (key, authors, title words, year), best first: the
    /// workspace's libraries, then the other library files the workspace has read (those notes name in
    /// <c>bibliography:</c>), each searched with its own index; an empty query gives the first papers in
    /// library order.
    /// </summary>
    public static ImmutableArray<PaperSymbol> Workspace(WorkspaceSnapshot snapshot, string query, int limit = MaxWorkspaceSymbols)
    {
        var libraries = snapshot.Libraries;
        var sets = new List<LibrarySet> { libraries.Workspace };
        foreach (var path in libraries.Documents.Keys.Order(StringComparer.Ordinal))
            if (!libraries.WorkspaceLibraries.Contains(path)) sets.Add(libraries.SetOf([path]));
        var hits = sets.SelectMany((set, order) => PaperIndex.Of(set).Search(query, limit, SearchMode.AllWords).Select(hit => (hit, order)))
            .OrderByDescending(x => x.hit.Score).ThenBy(x => x.order)
            .Select(x => x.hit.Paper);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. hits.Where(p => seen.Add(p.Key)).Take(limit).Select(p => new PaperSymbol(p.Key, PaperText.Detail(p), p.Location))];
    }

    /// <summary>
    /// A note's outline: its <c>references:</c> entries, then its headings nested by level with the citations
    /// of each section under it; or a library file's entries, each under the key notes cite it by.
    /// </summary>
    public static ImmutableArray<OutlineSymbol> Document(WorkspaceSnapshot snapshot, string path)
    {
        if (snapshot.Note(path) is { } note) return Outline(snapshot, note);
        if (snapshot.Library(path) is { } library) return Entries(library, LibraryEntries.SetOf(snapshot, path));
        return [];
    }

    private static ImmutableArray<OutlineSymbol> Entries(LibraryDocument document, LibrarySet set) =>
        [.. document.Papers.Select(entry =>
        {
            var paper = LibraryEntries.PaperOf(set, entry);
            var location = entry.Location;
            var span = location.Span.Start <= location.FocusSpan.Start && location.FocusSpan.End <= location.Span.End ? location.Span : location.FocusSpan;
            return new OutlineSymbol(paper.Key, paper.Title, SymbolRole.Entry, span, location.FocusSpan, []);
        })];

    /// <summary>A heading while the outline is built: its children are gathered until its section ends.</summary>
    private sealed class Section(Heading heading, int end)
    {
        public Heading Heading { get; } = heading;
        public int End { get; } = end;
        public List<OutlineSymbol> Children { get; } = [];
    }

    private static ImmutableArray<OutlineSymbol> Outline(WorkspaceSnapshot snapshot, NoteDocument note)
    {
        var scope = snapshot.ScopeOf(note);
        var top = new List<OutlineSymbol>();
        if (scope.References is { } references) top.AddRange(Entries(references, scope.Layers[0]));

        var headings = note.Headings;
        var stack = new List<Section>();
        void Close(Section s)
        {
            var symbol = new OutlineSymbol(s.Heading.Text, null, SymbolRole.Heading,
                TextSpan.FromBounds(s.Heading.Span.Start, s.End), s.Heading.Span, [.. s.Children]);
            (stack.Count > 0 ? stack[^1].Children : top).Add(symbol);
        }
        var citations = note.Citations.Where(c => !c.IsCrossReference).ToList();
        var ci = 0;
        for (var h = 0; h <= headings.Length; h++)
        {
            var next = h < headings.Length ? headings[h].Span.Start : int.MaxValue;
            // Citations before the next heading belong to the innermost open section.
            for (; ci < citations.Count && citations[ci].Span.Start < next; ci++)
            {
                var c = citations[ci];
                var paper = scope.Find(c.Key);
                var symbol = new OutlineSymbol("@" + c.Key, paper is null ? "not in any library" : PaperText.Detail(paper),
                    SymbolRole.Citation, c.Span.Start <= c.KeySpan.Start && c.KeySpan.End <= c.Span.End ? c.Span : c.KeySpan, c.KeySpan, []);
                (stack.Count > 0 ? stack[^1].Children : top).Add(symbol);
            }
            if (h == headings.Length) break;
            var heading = headings[h];
            while (stack.Count > 0 && stack[^1].Heading.Level >= heading.Level)
            {
                var closed = stack[^1];
                stack.RemoveAt(stack.Count - 1);
                Close(closed);
            }
            stack.Add(new Section(heading, SectionEnd(note, headings, h)));
        }
        while (stack.Count > 0)
        {
            var closed = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            Close(closed);
        }
        return [.. top];
    }

    /// <summary>A section runs to the next heading of its level or higher, without the blank lines before it.</summary>
    private static int SectionEnd(NoteDocument note, ImmutableArray<Heading> headings, int index)
    {
        var end = note.Text.Length;
        for (var j = index + 1; j < headings.Length; j++)
        {
            if (headings[j].Level <= headings[index].Level)
            {
                end = headings[j].Span.Start;
                break;
            }
        }
        while (end > headings[index].Span.End && char.IsWhiteSpace(note.Text[end - 1])) end--;
        return Math.Max(end, headings[index].Span.End);
    }
}
