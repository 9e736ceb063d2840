using System.Text;
using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Styles;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>An inlay hint: text shown at an offset (right after a citation's key).</summary>
public sealed record InlayHintResult(int Offset, string Label);

/// <summary>Each citation's in-text form after its key, as the note's style prints it: "(Umar and Laio 2025)".</summary>
public static class InlayHints
{
    /// <summary>At most this many hints per request: an editor asks for what it shows, a screen or two.</summary>
    public const int AtMost = 300;

    public static IReadOnlyList<InlayHintResult> Find(WorkspaceSnapshot snapshot, string path, TextSpan range, NoteStyle style)
    {
        if (snapshot.Note(path) is not { } note) return [];
        var scope = snapshot.ScopeOf(note);
        var hints = new List<InlayHintResult>();
        foreach (var citation in note.Citations)
        {
            if (citation.IsCrossReference || citation.KeySpan.End < range.Start) continue;
            if (citation.KeySpan.Start > range.End || hints.Count >= AtMost) break;
            if (scope.Find(citation.Key) is not { } paper) continue;
            // The key's own form, without the cluster's prefix and locator: what the key stands for.
            var alone = citation with { Prefix = "", Suffix = "", Mode = citation.Mode == CitationMode.SuppressAuthor ? CitationMode.SuppressAuthor : CitationMode.Parenthetical };
            if (style.InText([(alone, paper)]) is { Length: > 0 } text)
                hints.Add(new InlayHintResult(citation.KeySpan.End + (citation.IsBraced ? 1 : 0), text));
        }
        return hints;
    }
}

/// <summary>The note's bibliography as pandoc would print it: every paper it cites, in the style's order.</summary>
public static class BibliographyPreview
{
    public static string? Markdown(WorkspaceSnapshot snapshot, string path, NoteStyle style)
    {
        if (snapshot.Note(path) is not { } note) return null;
        var scope = snapshot.ScopeOf(note);
        var papers = note.Citations.Where(c => !c.IsCrossReference).Select(c => c.Key).Distinct(StringComparer.Ordinal)
            .Select(scope.Find).OfType<Paper>().ToList();
        var sb = new StringBuilder();
        sb.Append("# References of ").Append(PaperText.EscapeMarkdown(Path.GetFileName(path)))
          .Append(" (").Append(PaperText.EscapeMarkdown(Path.GetFileNameWithoutExtension(style.Style.Name))).Append(", ").Append(style.Locale).Append(")\n\n");
        if (papers.Count == 0) return sb.Append("The note cites no paper of its libraries.\n").ToString();
        var entries = style.Renderer.Engine.Bibliography(style.Style, style.Locale, papers);
        if (entries is null) return sb.Append("The style could not render the bibliography.\n").ToString();
        foreach (var entry in entries.Value) sb.Append(PaperText.EscapeMarkdown(entry.Text)).Append("\n\n");
        var unknown = note.Citations.Where(c => !c.IsCrossReference && scope.Find(c.Key) is null).Select(c => c.Key).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) sb.Append("Not in any library: ").Append(string.Join(", ", unknown.Select(k => $"`{k.Replace("`", "")}`"))).Append('\n');
        return sb.ToString().TrimEnd() + "\n";
    }
}
