using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Features;

/// <summary>
/// How a key is written where it appears: in a citation (bare or in braces, by pandoc's rules), as a
/// BibTeX entry's key, as a CSL-JSON string, as a CSL-YAML scalar. Used by rename and by quick fixes.
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

    /// <summary>Why a key cannot be a BibTeX entry's key, or null: BibTeX ends a key at these characters.</summary>
    public static string? BibtexProblem(string key)
    {
        const string forbidden = ",{}()\"#%=@\\";
        var bad = key.Where(c => forbidden.Contains(c)).Distinct().ToList();
        return bad.Count == 0
            ? null
            : $"`{key}` cannot be a BibTeX key: BibTeX keys may not contain {string.Join(" ", bad.Select(c => $"`{c}`"))}.";
    }

    /// <summary>What replaces a citation's key: braces are kept where written, and added where the key needs them.</summary>
    public static string InCitation(Citation citation, string key) =>
        citation.IsBraced || IsBare(key) ? key : "{" + key + "}";

    /// <summary>
    /// The edit that makes an entry's key (its <see cref="SourceLocation.FocusSpan"/>) read <paramref name="key"/>,
    /// in the syntax of its file; null for an entry with no key text (a paper-list entry).
    /// </summary>
    public static FileEdit? EntryEdit(string text, LibraryFormat format, SourceLocation location, string key)
    {
        var span = location.FocusSpan;
        var quote = QuoteAround(text, span);
        switch (format)
        {
            case LibraryFormat.BibTeX:
                return new FileEdit(location.Path, span, key);
            case LibraryFormat.CslJson:
                // A quoted id's span is the text between the quotes; an id written as a number has none.
                return quote == '"'
                    ? new FileEdit(location.Path, span, JsonInner(key))
                    : new FileEdit(location.Path, span, "\"" + JsonInner(key) + "\"");
            case LibraryFormat.CslYaml:
                return quote switch
                {
                    '\'' => new FileEdit(location.Path, span, key.Replace("'", "''")),
                    '"' => new FileEdit(location.Path, span, YamlDoubleInner(key)),
                    _ => new FileEdit(location.Path, span, IsPlainYamlSafe(key) ? key : "\"" + YamlDoubleInner(key) + "\""),
                };
            default:
                return null;
        }
    }

    private static char? QuoteAround(string text, TextSpan span)
    {
        if (span.Start < 1 || span.End >= text.Length) return null;
        var before = text[span.Start - 1];
        return before is '"' or '\'' && text[span.End] == before ? before : null;
    }

    private static readonly JsonSerializerOptions JsonText = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string JsonInner(string value)
    {
        var quoted = JsonSerializer.Serialize(value, JsonText);
        return quoted[1..^1];
    }

    private static string YamlDoubleInner(string value)
    {
        var sb = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    // Plain only for text that every YAML reader takes as that same string, in block and in flow style: no
    // indicators, and not a word YAML 1.1 reads as a boolean or null. Anything else is double-quoted.
    private static readonly HashSet<string> YamlWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null",
    };

    private static bool IsPlainYamlSafe(string key) =>
        key.Length > 0
        && (char.IsAsciiLetter(key[0]) || key[0] == '_')
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !YamlWords.Contains(key);
}
