using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Styles;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>A paper as the note's citation style prints it: its reference, and the in-text form of the citation at hand.</summary>
public sealed record StyledText(string? Reference, string? InText)
{
    /// <summary>The reference alone (a library entry, a completion item).</summary>
    public static StyledText? Of(NoteStyle? style, Paper paper) =>
        style is null ? null : new StyledText(style.Reference(paper), null);

    /// <summary>
    /// For a citation: the paper's reference, and the in-text form of the citation's whole cluster (the
    /// group it is in, prefix and locator included), each item with the paper it names.
    /// </summary>
    public static StyledText? Of(NoteStyle? style, NoteDocument note, NoteScope scope, Citation citation, Paper paper) =>
        style is null ? null : new StyledText(style.Reference(paper), style.InText(Cluster(note, scope, citation)));

    /// <summary>The citation's cluster (<see cref="NoteStyle.ClusterOf"/>), each citation with the paper it names, those naming none left out.</summary>
    public static List<(Citation Citation, Paper Paper)> Cluster(NoteDocument note, NoteScope scope, Citation citation) =>
        NoteStyle.ClusterOf(note, citation)
            .Select(c => (Citation: c, Paper: scope.Find(c.Key)))
            .Where(i => i.Paper is not null)
            .Select(i => (i.Citation, i.Paper!))
            .ToList();
}

/// <summary>The links that open a paper: its DOI, arXiv page and URL, as Markdown links.</summary>
public static class PaperLinks
{
    /// <summary>The paper's page: its DOI, else its arXiv page, else its URL.</summary>
    public static string? Page(Paper p) =>
        p.Doi is { Length: > 0 } doi ? DoiUrl(doi) : p.ArxivId is { Length: > 0 } ax ? ArxivUrl(ax) : p.Url is { Length: > 0 } url && IsWeb(url) ? url : null;

    public static string DoiUrl(string doi) => "https://doi.org/" + Escape(doi.Trim());

    public static string ArxivUrl(string id) => "https://arxiv.org/abs/" + Escape(id.Trim());

    /// <summary>"[DOI 10.1/x](https://doi.org/10.1/x) · [arXiv 1706.03762](https://arxiv.org/abs/1706.03762) · [URL](...)".</summary>
    public static string Markdown(Paper p)
    {
        var links = new List<string>();
        if (p.Doi is { Length: > 0 } doi) links.Add($"[DOI {PaperText.EscapeMarkdown(doi)}]({DoiUrl(doi)})");
        if (p.ArxivId is { Length: > 0 } ax) links.Add($"[arXiv {PaperText.EscapeMarkdown(ax)}]({ArxivUrl(ax)})");
        if (p.Url is { Length: > 0 } url && IsWeb(url) && !links.Any(l => l.Contains("(" + Escape(url) + ")", StringComparison.Ordinal))
            && !(p.ArxivId is { } id && url.Contains(id, StringComparison.Ordinal)) && !(p.Doi is { } d && url.EndsWith(d, StringComparison.OrdinalIgnoreCase)))
            links.Add($"[{PaperText.EscapeMarkdown(url)}]({Escape(url)})");
        return string.Join(" · ", links);
    }

    private static bool IsWeb(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>A link target with what would end or break a Markdown link escaped.</summary>
    private static string Escape(string target) =>
        target.Replace(" ", "%20").Replace("(", "%28").Replace(")", "%29").Replace("<", "%3C").Replace(">", "%3E");
}
