using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Text;

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

    /// <summary>The paper's reference if it has been rendered, without rendering it: a look-up.</summary>
    public bool TryReference(Paper paper, CslStyle style, string locale, out string? text)
    {
        text = null;
        return _references.TryGetValue(paper, out var table) && table.TryGetValue((style, locale), out text);
    }

    /// <summary>The in-text form of a cluster if it has been rendered (<see cref="InText"/>), without rendering it.</summary>
    public bool TryInText(IReadOnlyList<(Citation Citation, Paper Paper)> items, CslStyle style, string locale, out string? text)
    {
        text = items.Count == 0 ? "" : null;
        if (items.Count == 0) return true;
        if (!_clusters.TryGetValue(style, out var table) || !table.TryGetValue(ClusterKey(items, locale), out var hit)) return false;
        if (hit.Papers.Length != items.Count) return false;
        for (var i = 0; i < items.Count; i++)
            if (!ReferenceEquals(hit.Papers[i], items[i].Paper)) return false;
        text = hit.Text;
        return true;
    }

    private static string ClusterKey(IReadOnlyList<(Citation Citation, Paper Paper)> items, string locale) =>
        string.Join('\u0001', items.Select(i => $"{i.Citation.Mode}\u0002{i.Citation.Key}\u0002{i.Citation.Prefix}\u0002{i.Citation.Suffix}")) + "\u0001" + locale;

    /// <summary>
    /// The in-text form of a cluster, as pandoc prints it: "(see Vaswani et al. 2017, 3)"; an author-in-text
    /// first item gives "Vaswani et al. (2017, 3)". Memoised by the cluster's text and its papers.
    /// </summary>
    public string? InText(IReadOnlyList<(Citation Citation, Paper Paper)> items, CslStyle style, string locale)
    {
        if (items.Count == 0) return "";
        var key = ClusterKey(items, locale);
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

/// <summary>
/// What a note renders with: the renderer, the note's style and its locale. With <see cref="RendersMissing"/>
/// false it only looks up what has been rendered (a request that may not wait for a render answers with the
/// paper's fields instead; the server renders the rest off the request path).
/// </summary>
public sealed record NoteStyle(ReferenceRenderer Renderer, CslStyle Style, string Locale)
{
    /// <summary>Whether a reference or in-text form not rendered yet is rendered now (true), or left out (false).</summary>
    public bool RendersMissing { get; init; } = true;

    /// <summary>The same style, looking up only what is rendered already.</summary>
    public NoteStyle RenderedOnly => RendersMissing ? this with { RendersMissing = false } : this;

    /// <summary>
    /// Set when a look-up (<see cref="RendersMissing"/> false) found something not rendered: a request tries the
    /// memo first and renders only when this says it must.
    /// </summary>
    public System.Runtime.CompilerServices.StrongBox<bool>? Missed { get; init; }

    public string? Reference(Paper paper)
    {
        if (RendersMissing) return Renderer.Reference(paper, Style, Locale);
        if (Renderer.TryReference(paper, Style, Locale, out var text)) return text;
        if (Missed is { } missed) missed.Value = true;
        return null;
    }

    /// <summary>The in-text form of a cluster (<see cref="ReferenceRenderer.InText"/>), or null when not rendered and not to be rendered now.</summary>
    public string? InText(IReadOnlyList<(Citation Citation, Paper Paper)> items)
    {
        if (RendersMissing) return Renderer.InText(items, Style, Locale);
        if (Renderer.TryInText(items, Style, Locale, out var text)) return text;
        if (Missed is { } missed) missed.Value = true;
        return null;
    }

    /// <summary>The citations of the note by the brackets they share, kept on the note: a hover and the render-ahead ask per citation.</summary>
    private static readonly MemoKey<Dictionary<TextSpan, ImmutableArray<Citation>>> Groups = new("citations by group");

    /// <summary>
    /// The cluster a citation belongs to: every citation of the note sharing its brackets (a group), or the
    /// citation alone; each with the paper it names, those naming none left out.
    /// </summary>
    public static ImmutableArray<Citation> ClusterOf(NoteDocument note, Citation citation)
    {
        if (citation.GroupSpan is not { } group) return [citation];
        var groups = note.Memos.Get(Groups, note, static n => n.Citations.Where(c => c.GroupSpan is not null && !c.IsCrossReference)
            .GroupBy(c => c.GroupSpan!.Value).ToDictionary(g => g.Key, g => g.ToImmutableArray()));
        return groups.TryGetValue(group, out var cluster) ? cluster : [];
    }
}
