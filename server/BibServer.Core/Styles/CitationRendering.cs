using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Notes;
using BibServer.Core.Papers;

namespace BibServer.Core.Styles;

/// <summary>
/// Rendered references and in-text citations, memoised: a paper is rendered once per (paper, style, locale)
/// and kept beside the immutable <see cref="Paper"/> it was made from, so an edited library entry (a new
/// paper object) is rendered afresh and a dropped one takes its text with it.
/// </summary>
public sealed class ReferenceRenderer(CslEngine engine)
{
    private readonly ConditionalWeakTable<Paper, ConcurrentDictionary<(CslStyle, string), string?>> _references = new();
    private readonly ConditionalWeakTable<CslStyle, ConcurrentDictionary<string, (Paper[] Papers, string? Text)>> _clusters = new();

    public CslEngine Engine => engine;

    /// <summary>The paper's reference as the style prints it in a bibliography, without a numeric label; null if the style fails.</summary>
    public string? Reference(Paper paper, CslStyle style, string locale)
    {
        var table = _references.GetValue(paper, _ => new());
        return table.GetOrAdd((style, locale), _ =>
            engine.Bibliography(style, locale, [paper], keepLabels: false) is { Length: > 0 } entries ? entries[0].Text : null);
    }

    /// <summary>Whether the paper's reference in the style is rendered already (a hover then costs a look-up).</summary>
    public bool IsRendered(Paper paper, CslStyle style, string locale) =>
        _references.TryGetValue(paper, out var table) && table.ContainsKey((style, locale));

    /// <summary>
    /// The in-text form of a cluster, as pandoc prints it: "(see Vaswani et al. 2017, 3)"; an author-in-text
    /// first item gives "Vaswani et al. (2017, 3)". Memoised by the cluster's text and its papers.
    /// </summary>
    public string? InText(IReadOnlyList<(Citation Citation, Paper Paper)> items, CslStyle style, string locale)
    {
        if (items.Count == 0) return "";
        var key = string.Join('\u0001', items.Select(i => $"{i.Citation.Mode}\u0002{i.Citation.Key}\u0002{i.Citation.Prefix}\u0002{i.Citation.Suffix}")) + "\u0001" + locale;
        var table = _clusters.GetValue(style, _ => new());
        var papers = items.Select(i => i.Paper).ToArray();
        if (table.TryGetValue(key, out var hit) && hit.Papers.AsSpan().SequenceEqual(papers)) return hit.Text;
        var text = RenderInText(items, style, locale);
        // A note's clusters are few; a table grown past that is from many edits and is started over.
        if (table.Count > 20_000) table.Clear();
        table[key] = (papers, text);
        return text;
    }

    private string? RenderInText(IReadOnlyList<(Citation Citation, Paper Paper)> items, CslStyle style, string locale)
    {
        var cite = items.Select(i => ToItem(i.Citation, i.Paper)).ToList();
        if (items[0].Citation.Mode != CitationMode.AuthorInText) return engine.Cluster(style, locale, cite);
        // citeproc-js has no author-in-text form: as pandoc does, the author alone, then the rest in the
        // parenthetical form without the author. Numeric styles print no author ("[1, p. 3]").
        var author = engine.Cluster(style, locale, [cite[0] with { Prefix = "", Suffix = "", Locator = null, Label = null, SuppressAuthor = false, AuthorOnly = true }]);
        var rest = engine.Cluster(style, locale, [cite[0] with { SuppressAuthor = true }, .. cite.Skip(1)]);
        if (author is null || rest is null) return null;
        return author.Length == 0 ? rest : author + " " + rest;
    }

    private static CiteItem ToItem(Citation citation, Paper paper)
    {
        var parts = CslLocator.Split(citation.Suffix);
        return new CiteItem(paper, citation.Prefix, parts.Suffix, parts.Locator, parts.Label,
            SuppressAuthor: citation.Mode == CitationMode.SuppressAuthor);
    }
}

/// <summary>What a note renders with: the renderer, the note's style and its locale.</summary>
public sealed record NoteStyle(ReferenceRenderer Renderer, CslStyle Style, string Locale)
{
    public string? Reference(Paper paper) => Renderer.Reference(paper, Style, Locale);

    /// <summary>
    /// The cluster a citation belongs to: every citation of the note sharing its brackets (a group), or the
    /// citation alone; each with the paper it names, those naming none left out.
    /// </summary>
    public static ImmutableArray<Citation> ClusterOf(NoteDocument note, Citation citation)
    {
        if (citation.GroupSpan is not { } group) return [citation];
        return [.. note.Citations.Where(c => c.GroupSpan == group && !c.IsCrossReference)];
    }
}
