using System.Text;
using BibServer.Core.Papers;

namespace BibServer.Core.Features;

/// <summary>
/// What a hover adds for a paper whose library knows more than metadata (a Zotero item): links to open its PDF
/// and to show it in Zotero, its annotations and notes (how many, and the first), and where a generated key
/// came from, so that the writer knows to pin it.
/// </summary>
public static class PaperExtrasText
{
    /// <summary>How much of the first annotation or note a hover shows.</summary>
    private const int FirstShown = 280;

    /// <summary>The Markdown paragraphs for a paper's extras, or "" when it has none.</summary>
    public static string Markdown(Paper paper)
    {
        if (paper.Extras is not { } extras) return "";
        var sb = new StringBuilder();
        var links = new List<string>();
        if (extras.Files.FirstOrDefault(f => f.ContentType == "application/pdf") is { } pdf)
            links.Add($"[Open PDF]({FileUri(pdf.Path)})");
        if (extras.AppUri is { } app) links.Add($"[Show in Zotero]({app})");
        if (links.Count > 0) sb.Append(string.Join(" · ", links)).Append("\n\n");
        if (!extras.Annotations.IsEmpty) sb.Append(Remarks(extras.Annotations, "annotation", "annotations")).Append("\n\n");
        if (!extras.Notes.IsEmpty) sb.Append(Remarks(extras.Notes, "note", "notes")).Append("\n\n");
        if (extras.KeyGenerated && extras.KeyNote is { } note) sb.Append("Key ").Append(note).Append("\n\n");
        return sb.ToString();
    }

    /// <summary>"3 annotations in Zotero; the first, p. 2: “text” (comment)".</summary>
    private static string Remarks(IReadOnlyList<PaperRemark> remarks, string one, string many)
    {
        var first = remarks[0];
        var sb = new StringBuilder();
        sb.Append(remarks.Count == 1 ? $"1 {one} in Zotero: " : $"{remarks.Count} {many} in Zotero; the first");
        if (first.Page is { } page) sb.Append(remarks.Count == 1 ? $"p. {PaperText.EscapeMarkdown(page)}, " : $", p. {PaperText.EscapeMarkdown(page)}");
        if (remarks.Count > 1) sb.Append(": ");
        sb.Append('“').Append(PaperText.EscapeMarkdown(Cut(first.Text))).Append('”');
        if (first.Comment is { Length: > 0 } comment) sb.Append(" (").Append(PaperText.EscapeMarkdown(Cut(comment))).Append(')');
        return sb.ToString();
    }

    /// <summary>Every annotation and note of a paper as Markdown, for the command that lists them all.</summary>
    public static string AllRemarks(Paper paper)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(PaperText.EscapeMarkdown(paper.Title)).Append(" (`@").Append(paper.Key).Append("`)\n\n");
        if (paper.Extras is not { } extras || extras.Annotations.IsEmpty && extras.Notes.IsEmpty)
            return sb.Append("No annotations or notes in Zotero.\n").ToString();
        if (!extras.Annotations.IsEmpty)
        {
            sb.Append("## Annotations\n\n");
            foreach (var a in extras.Annotations)
            {
                sb.Append("- ").Append(a.Page is { } page ? $"p. {PaperText.EscapeMarkdown(page)}, " : "").Append(a.Kind).Append(": “")
                  .Append(PaperText.EscapeMarkdown(a.Text)).Append('”');
                if (a.Comment is { Length: > 0 } comment) sb.Append(" — ").Append(PaperText.EscapeMarkdown(comment));
                sb.Append('\n');
            }
            sb.Append('\n');
        }
        if (!extras.Notes.IsEmpty)
        {
            sb.Append("## Notes\n\n");
            foreach (var n in extras.Notes) sb.Append("- ").Append(PaperText.EscapeMarkdown(n.Text)).Append('\n');
        }
        return sb.ToString();
    }

    private static string Cut(string text) => text.Length <= FirstShown ? text : text[..FirstShown].TrimEnd() + "…";

    /// <summary>A file URI a Markdown link can hold: spaces and parentheses escaped.</summary>
    internal static string FileUri(string path) => new Uri(path).AbsoluteUri.Replace("(", "%28").Replace(")", "%29");
}
