using System.Text;
using BibServer.Core.Features;
using BibServer.Core.Workspace;

namespace BibServer.Core.Annotations;

/// <summary>How annotations read in a hover and in a completion item's documentation.</summary>
public static class AnnotationMarkdown
{
    /// <summary>A hover shows this many passages at most.</summary>
    public const int HoverPassages = 3;

    /// <summary>A passage longer than this is cut at a word, with an ellipsis: a hover is a glance.</summary>
    public const int MaxPassageLength = 320;

    /// <summary>
    /// "You wrote about it in N notes:" and the first few passages, each quoted with a link to its place;
    /// empty when no note speaks of the paper. <paramref name="exclude"/> is where the cursor is.
    /// </summary>
    public static string ForHover(WorkspaceSnapshot snapshot, string key, FileSpan? exclude)
    {
        var annotations = AnnotationIndex.Of(snapshot, key, exclude);
        if (annotations.Notes == 0) return "";
        var sb = new StringBuilder();
        sb.Append(annotations.Summary);
        if (annotations.Passages.IsEmpty) return sb.Append('.').ToString();
        sb.Append(':');
        foreach (var passage in annotations.Passages.Take(HoverPassages))
            sb.Append("\n\n").Append(Quoted(passage));
        if (annotations.Passages.Length > HoverPassages)
            sb.Append("\n\n").Append($"and {annotations.Passages.Length - HoverPassages} more {(annotations.Passages.Length - HoverPassages == 1 ? "passage" : "passages")}.");
        return sb.ToString();
    }

    /// <summary>The first passage for a completion item's documentation, or empty.</summary>
    public static string ForCompletion(WorkspaceSnapshot snapshot, string key, FileSpan? exclude)
    {
        var annotations = AnnotationIndex.Of(snapshot, key, exclude);
        if (annotations.Passages.IsEmpty) return "";
        return $"{annotations.Summary}:\n\n{Quoted(annotations.Passages[0])}";
    }

    /// <summary>A passage as a quote, then its source: "— [survey.md:12](file:///…#L12) · Methods › Alignment".</summary>
    public static string Quoted(Annotation passage)
    {
        var text = Cut(passage.Text, MaxPassageLength);
        var sb = new StringBuilder();
        sb.Append("> ").Append(text).Append("\n>\n> \u2014 ").Append(Source(passage));
        return sb.ToString();
    }

    /// <summary>"[survey.md:12](file:///…/survey.md#L12) · Methods › Alignment", or "literature note" for one.</summary>
    public static string Source(Annotation passage)
    {
        var name = PaperText.EscapeMarkdown(Path.GetFileName(passage.NotePath));
        var link = Path.IsPathRooted(passage.NotePath) ? $"[{name}:{passage.Line}]({new Uri(passage.NotePath).AbsoluteUri}#L{passage.Line})" : $"{name}:{passage.Line}";
        var where = passage.Kind == PassageKind.LiteratureNote ? "literature note" : string.Join(" \u203A ", passage.Headings.Select(PaperText.EscapeMarkdown));
        return where.Length == 0 ? link : $"{link} · {where}";
    }

    /// <summary>A text cut at a word boundary before <paramref name="max"/> characters, with an ellipsis.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max);
        return text[..(cut > max / 2 ? cut : max)].TrimEnd() + " \u2026";
    }
}
