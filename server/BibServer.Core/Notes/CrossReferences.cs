using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using BibServer.Core.Text;

namespace BibServer.Core.Notes;

/// <summary>The two tool chains whose cross-references pandoc reads as citations.</summary>
public enum CrossReferenceStyle
{
    /// <summary>Quarto: <c>@fig-x</c>, the kind and the name joined by a dash.</summary>
    Quarto,

    /// <summary>pandoc-crossref: <c>@fig:x</c>, joined by a colon.</summary>
    PandocCrossref,
}

/// <summary>
/// A cross-reference key taken apart: <c>@Fig-elephant</c> is Quarto's <c>fig</c> kind and refers to the
/// label <c>fig-elephant</c>. Both tool chains let a capital first letter start a sentence ("Figure 1"
/// instead of "fig. 1"), so the label is the key with its first letter in lower case.
/// </summary>
public sealed record CrossReferenceKey(string Label, string Kind, CrossReferenceStyle Style);

/// <summary>
/// The prefixes of Quarto's and pandoc-crossref's cross-references, and the labels a note defines for them.
/// </summary>
public static class CrossReferences
{
    // Quarto's reserved kinds, from https://quarto.org/docs/authoring/cross-references.html ("The reserved
    // prefixes are: fig, tbl, lst, tip, nte, wrn, imp, cau, thm, lem, cor, prp, cnj, def, exm, exr, sol,
    // rem, alg, eq, sec"); pandoc-crossref's from its manual (fig, tbl, sec, eq, lst).
    private static readonly FrozenSet<string> QuartoKinds = FrozenSet.Create(StringComparer.Ordinal,
        "fig", "tbl", "lst", "tip", "nte", "wrn", "imp", "cau", "thm", "lem", "cor", "prp", "cnj", "def",
        "exm", "exr", "sol", "rem", "alg", "eq", "sec");

    private static readonly FrozenSet<string> PandocCrossrefKinds = FrozenSet.Create(StringComparer.Ordinal,
        "fig", "tbl", "sec", "eq", "lst");

    /// <summary>
    /// The cross-reference a key is, or null for a key that may name a paper. The kind must be written in
    /// lower case or with a capital first letter only (<c>Fig-x</c>, not <c>FIG-x</c>), and a name must follow it.
    /// </summary>
    public static CrossReferenceKey? Parse(string key)
    {
        if (key.Length < 3) return null;
        var label = char.IsAsciiLetterUpper(key[0]) ? char.ToLowerInvariant(key[0]) + key[1..] : key;
        var dash = label.IndexOf('-');
        if (dash > 0 && dash < label.Length - 1 && QuartoKinds.Contains(label[..dash]))
            return new CrossReferenceKey(label, label[..dash], CrossReferenceStyle.Quarto);
        var colon = label.IndexOf(':');
        if (colon > 0 && colon < label.Length - 1 && PandocCrossrefKinds.Contains(label[..colon]))
            return new CrossReferenceKey(label, label[..colon], CrossReferenceStyle.PandocCrossref);
        return null;
    }

    public static bool IsCrossReference(string key) => Parse(key) is not null;

    // An attribute block on one line, `{#fig-x}`, `{#sec:intro .unnumbered}`, `::: {#thm-a}`, whose
    // identifiers are the words that start with `#`.
    private static readonly Regex AttributeBlock = new(@"\{([^{}\n]*)\}", RegexOptions.CultureInvariant);

    private static readonly Regex Identifier = new(@"(?<=^|\s)#([A-Za-z][\w:.\-]*)", RegexOptions.CultureInvariant);

    // A code cell's label option, as Quarto writes it in the cell's first lines (`#| label: fig-plot`, with
    // the comment mark of the cell's language), or as knitr's `label="fig-plot"` in the cell's header.
    private static readonly Regex CellOption = new(
        @"^[ \t]*(?:#|//|--|%%|%)\|[ \t]*label:[ \t]*[""']?([A-Za-z][\w:.\-]*)",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    private static readonly Regex KnitrLabel = new(
        @"^[ \t]*(?:`{3,}|~{3,})[ \t]*\{[A-Za-z]+(?:[ \t]+|[ \t]*,[ \t]*(?:label[ \t]*=[ \t]*)?[""']?)([A-Za-z][\w:.\-]*)",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    /// <summary>
    /// The cross-reference labels a note defines, in text order: identifiers in attribute blocks
    /// (<c>{#fig-x}</c>, <c>{#sec:intro}</c>) and code cells' labels (<c>#| label: fig-x</c>), only those
    /// with a cross-reference prefix. The text is scanned as it is, not parsed: a label in a code block
    /// that shows Markdown counts too, which errs on the side of no false "no such label".
    /// </summary>
    public static ImmutableArray<(string Label, TextSpan Span)> LabelsIn(string text)
    {
        var result = ImmutableArray.CreateBuilder<(string, TextSpan)>();
        void Add(Group g)
        {
            if (Parse(g.Value) is { } key && key.Label == g.Value) result.Add((g.Value, new TextSpan(g.Index, g.Length)));
        }
        if (text.Contains('#'))
        {
            foreach (Match block in AttributeBlock.Matches(text))
            {
                foreach (Match id in Identifier.Matches(block.Groups[1].Value))
                {
                    var g = id.Groups[1];
                    var start = block.Groups[1].Index + g.Index;
                    if (Parse(g.Value) is { } key && key.Label == g.Value) result.Add((g.Value, new TextSpan(start, g.Length)));
                }
            }
            foreach (Match m in CellOption.Matches(text)) Add(m.Groups[1]);
        }
        foreach (Match m in KnitrLabel.Matches(text)) Add(m.Groups[1]);
        result.Sort((a, b) => a.Item2.Start.CompareTo(b.Item2.Start));
        return result.ToImmutable();
    }
}
