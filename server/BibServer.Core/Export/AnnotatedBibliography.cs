using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BibServer.Core.Annotations;
using BibServer.Core.Features;
using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Styles;
using BibServer.Core.Workspace;

namespace BibServer.Core.Export;

/// <summary>One paper of an annotated bibliography and what the writer said of it.</summary>
public sealed record AnnotatedPaper(Paper Paper, PaperAnnotations Annotations);

/// <summary>
/// The annotated bibliography of some notes (a survey, a folder): every paper they cite or are literature
/// notes of, by first author and year, each with its reference on one line and then its annotations from
/// the workspace's notes, quoted with their source. The Markdown is pandoc's: its front matter carries the
/// papers the passages cite as <c>references:</c>, so <c>pandoc --citeproc</c> renders it on its own, and a
/// citation no library defines (or a cross-reference) is escaped so that it reads as written, without a warning.
/// </summary>
public static class AnnotatedBibliography
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The papers the notes cite (and the papers of the literature notes among them), in the bibliography's order.</summary>
    public static ImmutableArray<AnnotatedPaper> Papers(WorkspaceSnapshot snapshot, IEnumerable<string> notePaths)
    {
        var papers = new Dictionary<string, Paper>(StringComparer.Ordinal);
        foreach (var path in notePaths)
        {
            if (snapshot.Note(path) is not { } note) continue;
            var scope = snapshot.ScopeOf(note);
            var keys = note.Citations.Where(c => !c.IsCrossReference).Select(c => c.Key);
            if (AnnotationIndex.LiteratureKeyOf(snapshot, note) is { } about) keys = keys.Prepend(about);
            foreach (var key in keys)
                if (!papers.ContainsKey(key) && scope.Find(key) is { } paper) papers[key] = paper;
        }
        return [.. papers.Values
            .OrderBy(SortName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(p => p.Year ?? int.MaxValue)
            .ThenBy(p => p.Title, StringComparer.OrdinalIgnoreCase)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new AnnotatedPaper(p, AnnotationIndex.Of(snapshot, p.Key)))];
    }

    /// <summary>The first author's family name, else the organisation, else the title: what the list is sorted by.</summary>
    public static string SortName(Paper p) =>
        Libraries.Keys.TextFold.ToAscii((p.Authors.IsEmpty ? null : p.Authors[0].SortName) ?? p.Organization ?? p.Title);

    /// <summary>
    /// The bibliography as Markdown. <paramref name="display"/> turns a note's path into the one shown as a passage's
    /// source; <paramref name="style"/>, when given, is the citation style each paper's reference is written in
    /// (the notes' style, rendered by the engine hover uses), else the reference is BibServer's plain one.
    /// </summary>
    public static string Markdown(WorkspaceSnapshot snapshot, IEnumerable<string> notePaths, Func<string, string> display, string title = "Annotated bibliography", NoteStyle? style = null)
    {
        var entries = Papers(snapshot, notePaths);
        var cited = new Dictionary<string, Paper>(StringComparer.Ordinal);
        var body = new StringBuilder();
        foreach (var (paper, annotations) in entries)
        {
            body.Append(Reference(paper, style)).Append("\n\n");
            foreach (var passage in annotations.Passages)
            {
                if (snapshot.Note(passage.NotePath) is not { } note) continue;
                var text = Passage(snapshot, note, passage, cited);
                foreach (var line in text.Split('\n')) body.Append(line.Length == 0 ? ">" : "> " + line).Append('\n');
                body.Append(">\n> \u2014 ").Append(Source(passage, display)).Append("\n\n");
            }
            if (annotations.Passages.IsEmpty) body.Append("*Nothing written about it yet.*\n\n");
        }

        var sb = new StringBuilder();
        sb.Append("---\ntitle: ").Append(JsonSerializer.Serialize(title, Compact)).Append('\n');
        if (cited.Count > 0)
        {
            // The papers the passages cite, for citeproc: CSL-JSON items, each one flow mapping (JSON is YAML).
            sb.Append("references:\n");
            foreach (var paper in cited.Values.OrderBy(p => p.Key, StringComparer.Ordinal))
                sb.Append("- ").Append(CompactItem(paper)).Append('\n');
        }
        sb.Append("---\n\n");
        if (entries.IsEmpty) sb.Append("*These notes cite no paper of their libraries.*\n");
        return sb.Append(body.ToString().TrimEnd()).Append('\n').ToString();
    }

    /// <summary>
    /// The reference on one line, then the key: in a citation style, the style's text ("Umar, Ali Hussaini, and
    /// Alessandro Laio. 2025. “Signal-to-Noise ...” `@umarsignal`"); without one, or when the style cannot render
    /// the paper, "**Umar, Laio (2025).** Title. *Venue.* DOI 10.x/y. `@umarsignal`". Every field is escaped, so
    /// TeX or mis-decoded characters in a library read as they are.
    /// </summary>
    public static string Reference(Paper p, NoteStyle? style = null)
    {
        if (style?.Reference(p) is { Length: > 0 } styled)
            return PaperText.EscapeMarkdown(styled) + " `@" + p.Key.Replace("`", "") + "`";
        var sb = new StringBuilder();
        var authors = PaperText.EscapeMarkdown(PaperText.AuthorsFull(p));
        var head = string.Join(" ", new[] { authors, p.Year is { } y ? $"({y})" : "" }.Where(s => s.Length > 0));
        if (head.Length > 0) sb.Append("**").Append(head.TrimEnd('.')).Append(".** ");
        sb.Append(PaperText.EscapeMarkdown(p.Title).TrimEnd('.')).Append('.');
        if (PaperText.EscapeMarkdown(p.Venue) is { Length: > 0 } venue) sb.Append(" *").Append(venue.TrimEnd('.')).Append(".*");
        if (p.Doi is { Length: > 0 } doi) sb.Append(" DOI ").Append(PaperText.EscapeMarkdown(doi)).Append('.');
        else if (p.ArxivId is { Length: > 0 } arxiv) sb.Append(" arXiv ").Append(PaperText.EscapeMarkdown(arxiv)).Append('.');
        sb.Append(" `@").Append(p.Key.Replace("`", "")).Append('`');
        return sb.ToString();
    }

    /// <summary>
    /// A passage's Markdown: a sentence, item or row on one line, a literature note's body with its lines;
    /// the <c>@</c> of a citation the note's libraries do not define is escaped, and the papers of the others
    /// are gathered into <paramref name="cited"/>.
    /// </summary>
    private static string Passage(WorkspaceSnapshot snapshot, NoteDocument note, Annotation passage, Dictionary<string, Paper> cited)
    {
        var scope = snapshot.ScopeOf(note);
        var escapes = new HashSet<int>();
        foreach (var c in note.Citations)
        {
            if (c.Span.End <= passage.Span.Start || c.Span.Start >= passage.Span.End) continue;
            var at = note.Text.LastIndexOf('@', Math.Max(0, c.KeySpan.Start - 1), Math.Min(3, c.KeySpan.Start));
            if (!c.IsCrossReference && scope.Find(c.Key) is { } paper) cited.TryAdd(paper.Key, paper);
            else if (at >= 0) escapes.Add(at);
        }
        string? Insert(int offset) => escapes.Contains(offset) ? "\\" : null;
        if (passage.Kind != PassageKind.LiteratureNote) return Passages.OneLine(note.Text, passage.Span, passage.Kind, Insert);
        var text = Passages.Rewritten(note.Text, passage.Span, Insert).Replace("\r\n", "\n");
        return string.Join('\n', text.Split('\n').Select(l => l.TrimEnd()));
    }

    /// <summary>"notes/survey.md, line 12, Methods › Alignment", the path as <paramref name="display"/> shows it.</summary>
    private static string Source(Annotation passage, Func<string, string> display)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(PaperText.EscapeMarkdown(display(passage.NotePath))).Append("*, ");
        sb.Append(passage.Kind == PassageKind.LiteratureNote ? "literature note" : $"line {passage.Line}");
        if (passage.Headings.Length > 0)
            sb.Append(", ").Append(string.Join(" \u203A ", passage.Headings.Select(PaperText.EscapeMarkdown)));
        return sb.ToString();
    }

    /// <summary>A paper's CSL-JSON item on one line, without its abstract (citeproc does not show it, and it is long).</summary>
    private static string CompactItem(Paper paper)
    {
        using var doc = JsonDocument.Parse(CslJsonWriter.Write([paper]));
        var item = doc.RootElement[0];
        var fields = item.EnumerateObject().Where(p => p.Name != "abstract").ToDictionary(p => p.Name, p => p.Value);
        return JsonSerializer.Serialize(fields, Compact);
    }
}
