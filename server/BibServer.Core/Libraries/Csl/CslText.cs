using System.Text.RegularExpressions;

namespace BibServer.Core.Libraries.Csl;

/// <summary>Turns CSL rich text into the display text the paper model holds.</summary>
internal static partial class CslText
{
    /// <summary>
    /// Removes CSL's HTML-like markup (&lt;i&gt;, &lt;b&gt;, &lt;sup&gt;, &lt;sub&gt;, &lt;span class="nocase"&gt;, small caps)
    /// and folds whitespace. Only those exact tags go, so a literal "a &lt; b" in a title stays as written.
    /// </summary>
    public static string Clean(string value) =>
        FoldWhitespace(Markup().Replace(value, ""));

    public static string FoldWhitespace(string value) => Whitespace().Replace(value, " ").Trim();

    [GeneratedRegex("""</?(?:i|b|sup|sub|sc)>|<span\s+(?:class="nocase"|style="[^"<>]*")\s*>|</span>""", RegexOptions.IgnoreCase)]
    private static partial Regex Markup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
