using System.Collections.Immutable;
using BibServer.Core.Features.Search;
using BibServer.Core.Notes;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>
/// One offered key. <see cref="FilterText"/> is what was typed, so that an editor's own filtering, which
/// knows only prefixes, keeps the papers that matched by title or author.
/// </summary>
public sealed record CompletionCandidate(Papers.Paper Paper, string Detail, TextSpan ReplaceSpan, string NewText, string FilterText, string SortText)
{
    public string Key => Paper.Key;

    /// <summary>The workspace and the place asked from, for the annotations in the documentation.</summary>
    internal (WorkspaceSnapshot Snapshot, FileSpan At)? Context { get; init; }

    /// <summary>Made when asked for: a client that resolves items asks for one, not for the hundred offered.</summary>
    public string Documentation => Context is { } c ? Completion.Documentation(c.Snapshot, Paper, c.At) : Completion.Documentation(Paper);
}

public sealed record CompletionResult(bool IsIncomplete, ImmutableArray<CompletionCandidate> Items);

/// <summary>Keys offered after <c>@</c>, <c>[@</c> and inside a group after <c>;</c>, best match first.</summary>
public static class Completion
{
    public const int MaxItems = 100;

    public static CompletionResult? Find(WorkspaceSnapshot snapshot, string path, int offset)
    {
        if (snapshot.Note(path) is not { } note) return null;
        if (KeyContext.At(note, offset) is not { } ctx) return null;
        var scope = snapshot.ScopeOf(note);

        var hits = new List<SearchHit>();
        foreach (var layer in scope.Layers)
            hits.AddRange(PaperIndex.Of(layer).Search(ctx.Query, MaxItems + 1));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ordered = hits
            .Select((h, i) => (h, i))
            .OrderByDescending(x => x.h.Score).ThenBy(x => x.i)
            .Select(x => x.h)
            .Where(h => seen.Add(h.Paper.Key))
            .ToList();
        var items = ordered.Take(MaxItems).Select((h, rank) => new CompletionCandidate(
            h.Paper,
            Annotations.AnnotationIndex.NoteCount(snapshot, h.Paper.Key) is var notes and > 0
                ? $"{PaperText.Detail(h.Paper)} · in {notes} {(notes == 1 ? "note" : "notes")}"
                : PaperText.Detail(h.Paper),
            ctx.ReplaceSpan,
            ctx.InsertPrefix + h.Paper.Key,
            ctx.Query,
            rank.ToString("D4")) { Context = (snapshot, new FileSpan(path, new TextSpan(offset, 0))) }).ToImmutableArray();
        // Incomplete: the next keystroke asks again, since a longer query can find papers this one cut off.
        return new CompletionResult(true, items);
    }

    /// <summary>
    /// Makes a note's completion ready ahead of its first request, in the background: the search index of
    /// every library the note sees, and the answers to one-letter queries, the slowest there are.
    /// </summary>
    public static Task Prepare(WorkspaceSnapshot snapshot, string path) =>
        snapshot.Note(path) is not { } note
            ? Task.CompletedTask
            : Task.Run(() => Task.WhenAll(snapshot.ScopeOf(note).Layers.Where(l => l.Papers.Length > 0).Select(l => PaperIndex.Of(l).Prepare())));

    /// <summary>
    /// The documentation with the first passage the writer wrote about the paper (not the one being typed,
    /// at <paramref name="at"/>), so that choosing between two similar papers is choosing by what one knows of them.
    /// </summary>
    public static string Documentation(WorkspaceSnapshot snapshot, Papers.Paper p, FileSpan at, StyledText? styled = null) =>
        Annotations.AnnotationMarkdown.ForCompletion(snapshot, p.Key, at) is { Length: > 0 } written ? Documentation(p, styled) + "\n\n---\n\n" + written : Documentation(p, styled);

    /// <summary>
    /// What a completion item shows beside the list: title, authors, year, venue and abstract, in Markdown;
    /// with a rendered reference (the note's citation style), that reference first, then the rest.
    /// </summary>
    public static string Documentation(Papers.Paper p, StyledText? styled = null)
    {
        var head = $"**{PaperText.EscapeMarkdown(p.Title)}**";
        if (styled?.Reference is { Length: > 0 } reference) head = PaperText.EscapeMarkdown(reference) + "\n\n" + head;
        var facts = string.Join(" · ", new[] { PaperText.EscapeMarkdown(PaperText.AuthorsFull(p)), p.Year?.ToString(), PaperText.EscapeMarkdown(p.Venue) }
            .Where(s => !string.IsNullOrEmpty(s)));
        var parts = new[] { head, facts, PaperText.EscapeMarkdown(p.Abstract) }.Where(s => s.Length > 0);
        return string.Join("\n\n", parts);
    }
}

/// <summary>Where a key is being typed: what to search for and what an accepted key replaces.</summary>
internal sealed record KeyContext(string Query, TextSpan ReplaceSpan, string InsertPrefix = "")
{
    /// <summary>
    /// The key under the cursor, from the note parser's scanner; and, inside an open bracket after
    /// <c>[@</c>, several words typed as a search (<c>[@2025 align</c>), which an accepted key replaces whole.
    /// </summary>
    public static KeyContext? At(NoteDocument note, int offset)
    {
        if (CitationContext.At(note.Text, offset) is { } c)
            return new KeyContext(c.Typed, c.KeySpan, c.NeedsAt ? "@" : "");
        return SearchWords(note.Text, offset);
    }

    private static KeyContext? SearchWords(string text, int offset)
    {
        if (offset > text.Length) return null;
        var i = offset - 1;
        while (i >= 0 && text[i] != '@')
        {
            var ch = text[i];
            if (ch is '\n' or '\r' or ';' or ',' or ']' or '[' || !(char.IsLetterOrDigit(ch) || ch == ' ' || ch == '-')) return null;
            i--;
        }
        if (i < 1 || text[i - 1] is not ('[' or '-' or ' ' or ';')) return null;
        // Only an unclosed group: "[@2025 align" with no "]" after it on the line.
        var lineEnd = text.IndexOfAny(['\n', '\r'], offset);
        var rest = text.AsSpan(offset, (lineEnd < 0 ? text.Length : lineEnd) - offset);
        if (rest.Contains(']')) return null;
        var query = text[(i + 1)..offset];
        if (!query.Contains(' ')) return null;
        return new KeyContext(query, TextSpan.FromBounds(i + 1, offset));
    }
}
