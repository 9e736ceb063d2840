using System.Text;
using BibServer.Core.Features.Search;
using BibServer.Core.Papers;
using BibServer.Core.Styles;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

public sealed record HoverResult(string Markdown, TextSpan Span);

/// <summary>What a hover may use beyond the snapshot: the note's citation style, once its engine has loaded.</summary>
public sealed record HoverOptions(NoteStyle? Style = null);

/// <summary>What a hover shows: the paper a citation names, or why it names none.</summary>
public static class Hover
{
    public static HoverResult? Find(WorkspaceSnapshot snapshot, string path, int offset, HoverOptions? options = null)
    {
        if (snapshot.Note(path) is not { } note) return EntryHover(snapshot, path, offset, options);
        if (NoteQueries.CitationAt(note, offset) is not { } citation) return EntryHover(snapshot, path, offset, options);
        if (citation.IsCrossReference) return null;
        var scope = snapshot.ScopeOf(note);
        if (scope.Find(citation.Key) is { } paper)
            return new HoverResult(WithAnnotations(PaperMarkdown(snapshot, paper, StyledText.Of(options?.Style, note, scope, citation, paper)), snapshot, paper.Key, new FileSpan(path, citation.Span)), citation.KeySpan);
        if (ManubotCitations.Hover(snapshot, note, citation) is { } identifier) return identifier;

        var sb = new StringBuilder();
        sb.Append("**`").Append(citation.Key.Replace("`", "")).Append("`** is not in any library this note sees.");
        var closest = ClosestKeys.Find(scope, citation.Key);
        if (!closest.IsEmpty)
            sb.Append("\n\nClosest: ").Append(string.Join(", ", closest.Select(k => $"`{k}`")));
        return new HoverResult(sb.ToString(), citation.KeySpan);
    }

    /// <summary>
    /// On an entry's key (or a listing's title line) in a library file or a note's <c>references:</c>: the
    /// paper, then where the workspace's notes cite it.
    /// </summary>
    private static HoverResult? EntryHover(WorkspaceSnapshot snapshot, string path, int offset, HoverOptions? options)
    {
        if (KeyAt.Find(snapshot, path, offset) is not { Site: KeySite.Entry, Paper: { } paper } at) return null;
        var sb = new StringBuilder(PaperMarkdown(snapshot, paper, StyledText.Of(options?.Style, paper)));
        sb.Append("\n\n").Append(Cited(snapshot, at.Key));
        return new HoverResult(WithAnnotations(sb.ToString(), snapshot, at.Key, exclude: null), at.Span);
    }

    /// <summary>Below the paper's own fields, what the writer said of it elsewhere (docs/annotations.md).</summary>
    private static string WithAnnotations(string markdown, WorkspaceSnapshot snapshot, string key, FileSpan? exclude) =>
        Annotations.AnnotationMarkdown.ForHover(snapshot, key, exclude) is { Length: > 0 } written ? markdown + "\n\n---\n\n" + written : markdown;

    /// <summary>"cited 3 times in 2 notes: survey.md:12, survey.md:30, notes.md:4", the places cut after a few.</summary>
    private static string Cited(WorkspaceSnapshot snapshot, string key)
    {
        const int Shown = 8;
        var use = References.UseOf(snapshot, key);
        if (use.Citations == 0) return "Not cited yet.";
        var places = References.OfKey(snapshot, key, includeDeclaration: false)
            .Select(r => LibraryEntries.Where(snapshot, r.Path, r.Span))
            .Distinct()
            .ToList();
        var shown = string.Join(", ", places.Take(Shown).Select(PaperText.EscapeMarkdown));
        var more = places.Count > Shown ? $", and {places.Count - Shown} more" : "";
        var text = use.Describe();
        return char.ToUpperInvariant(text[0]) + text[1..] + ": " + shown + more + ".";
    }

    /// <summary>
    /// The reference as the note's style prints it and the citation's in-text form when rendered, else the
    /// title, authors, year and venue; then the abstract, the paper's links, and where it comes from.
    /// </summary>
    public static string PaperMarkdown(WorkspaceSnapshot snapshot, Paper p, StyledText? styled = null)
    {
        var sb = new StringBuilder();
        if (styled?.Reference is { Length: > 0 } reference)
        {
            sb.Append(PaperText.EscapeMarkdown(reference)).Append("\n\n");
        }
        else
        {
            sb.Append("**").Append(PaperText.EscapeMarkdown(p.Title)).Append("**\n\n");
            var facts = new[] { PaperText.EscapeMarkdown(PaperText.AuthorsFull(p)), p.Year?.ToString(), PaperText.EscapeMarkdown(p.Venue) }
                .Where(s => !string.IsNullOrEmpty(s)).ToList();
            if (facts.Count > 0) sb.Append(string.Join(" · ", facts)).Append("\n\n");
        }
        if (styled?.InText is { Length: > 0 } inText) sb.Append("In text: ").Append(PaperText.EscapeMarkdown(inText)).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(p.Abstract)) sb.Append(PaperText.EscapeMarkdown(p.Abstract)).Append("\n\n");
        var links = PaperLinks.Markdown(p);
        if (links.Length > 0) sb.Append(links).Append("\n\n");
        sb.Append(PaperExtrasText.Markdown(p));
        sb.Append("`@").Append(p.Key).Append("` · ").Append(Where(snapshot, p.Location));
        var venues = p.OtherListings.Select(l => l.Venue).Where(v => !string.IsNullOrEmpty(v) && v != p.Venue).Distinct().ToList();
        if (!p.OtherListings.IsEmpty)
        {
            sb.Append(" · also listed in ").Append(string.Join(", ", p.OtherListings.Select(l => Where(snapshot, l.Location)).Distinct()));
            if (venues.Count > 0) sb.Append(" (").Append(string.Join("; ", venues.Select(PaperText.EscapeMarkdown))).Append(')');
        }
        return sb.ToString();
    }

    /// <summary>"refs.bib:12": the file's name and the entry's line.</summary>
    public static string Where(WorkspaceSnapshot snapshot, SourceLocation location)
    {
        var name = PaperText.EscapeMarkdown(Path.GetFileName(location.Path));
        // A database has no lines to point at: its name says where the paper is.
        if (snapshot.Library(location.Path) is { Format: Libraries.Zotero.ZoteroFormat }) return $"Zotero ({name})";
        var lines = snapshot.Library(location.Path)?.Lines ?? snapshot.Note(location.Path)?.Lines;
        return lines is null ? name : $"{name}:{lines.GetPosition(location.FocusSpan.Start).Line + 1}";
    }
}
