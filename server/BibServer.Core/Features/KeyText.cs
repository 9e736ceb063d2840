using BibServer.Core.Notes;

namespace BibServer.Core.Features;

/// <summary>
/// How a key is written in a citation (bare or in braces, by pandoc's rules). Used by rename and by quick fixes;
/// how a key is written in a library file is its format's (<see cref="Libraries.LibraryFormat.WriteKey"/>).
/// </summary>
internal static class KeyText
{
    /// <summary>
    /// Whether pandoc reads <c>@key</c> as exactly this key, with no braces. This is the note parser's own
    /// scanner (pandoc's <c>simpleCiteIdentifier</c>), so what it accepts is what the parser reads back. It is
    /// wider than <see cref="Libraries.Keys.PaperKeys.IsValidCitationKey"/>, the rule generated keys follow:
    /// pandoc also allows a leading <c>*</c>, <c>://</c> runs and letters outside the BMP. A key that passes
    /// ends with a letter, digit or underscore, so whatever ended the old key in the text ends the new one too.
    /// </summary>
    public static bool IsBare(string key) =>
        key.Length > 0 && CitationSyntax.ScanSimpleKey(key, 0, key.Length) == key.Length;

    /// <summary>Why a text cannot be a citation key at all, or null when pandoc can read it (bare or braced).</summary>
    public static string? CitationProblem(string key)
    {
        if (key.Length == 0) return "The new key is empty.";
        foreach (var c in key)
        {
            if (CitationSyntax.IsHaskellSpace(c))
                return $"`{key}` cannot be a citation key: pandoc ends a key at the first space or line break.";
        }
        if (!IsBare(key) && CitationSyntax.ScanBracedKey("{" + key + "}", 0, key.Length + 2) != key.Length + 1)
            return $"`{key}` cannot be a citation key: its braces do not pair up, so pandoc cannot read `@{{{key}}}` back.";
        if (CitationSyntax.IsCrossReference(key))
            return $"`{key}` reads as a cross-reference (like `@fig-x` or `@sec:x`), not a citation: choose a key that does not start with a figure, table, section or equation prefix.";
        return null;
    }

    /// <summary>What replaces a citation's key: braces are kept where written, and added where the key needs them.</summary>
    public static string InCitation(Citation citation, string key) =>
        citation.IsBraced || IsBare(key) ? key : "{" + key + "}";
}
