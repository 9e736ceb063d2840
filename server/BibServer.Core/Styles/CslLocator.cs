using System.Text.RegularExpressions;

namespace BibServer.Core.Styles;

/// <summary>
/// A citation's suffix cut as pandoc cuts it before handing it to citeproc: a locator label ("p.", "chap.",
/// "sec.", ...), the locator ("3", "33-35", "iv, 2"), and what is left, the suffix proper. A locator with no
/// label is a page when it starts with a digit, as in pandoc.
/// </summary>
public static partial class CslLocator
{
    /// <summary>The label forms of en-US's locator terms, long and short, singular and plural, by CSL label.</summary>
    private static readonly (string Label, string[] Forms)[] Labels =
    [
        ("page", ["pages", "page", "pp.", "pp", "p.", "p", "pgs.", "pg."]),
        ("chapter", ["chapters", "chapter", "chaps.", "chap.", "chs.", "ch."]),
        ("section", ["sections", "section", "secs.", "sec.", "§§", "§"]),
        ("figure", ["figures", "figure", "figs.", "fig."]),
        ("volume", ["volumes", "volume", "vols.", "vol."]),
        ("number", ["numbers", "number", "nos.", "no."]),
        ("paragraph", ["paragraphs", "paragraph", "paras.", "para.", "¶¶", "¶"]),
        ("line", ["lines", "line", "ll.", "l."]),
        ("note", ["notes", "note", "nn.", "n."]),
        ("verse", ["verses", "verse", "vv.", "v."]),
        ("book", ["books", "book", "bks.", "bk."]),
        ("part", ["parts", "part", "pts.", "pt."]),
        ("column", ["columns", "column", "cols.", "col."]),
        ("folio", ["folios", "folio", "fols.", "fol."]),
        ("opus", ["opera", "opus", "opp.", "op."]),
        ("issue", ["issues", "issue"]),
        ("sub verbo", ["s.vv.", "s.v."]),
    ];

    public sealed record Parts(string? Label, string? Locator, string Suffix);

    public static Parts Split(string suffix)
    {
        var rest = suffix.TrimStart();
        if (rest.StartsWith(',')) rest = rest[1..].TrimStart();
        foreach (var (label, forms) in Labels)
        {
            foreach (var form in forms)
            {
                if (!rest.StartsWith(form, StringComparison.OrdinalIgnoreCase)) continue;
                var after = rest[form.Length..];
                // "p." must be followed by the locator, and a word form must end where the word ends.
                if (after.Length > 0 && char.IsLetter(after[0])) continue;
                var value = Value().Match(after.TrimStart());
                if (!value.Success || value.Length == 0) continue;
                return new Parts(label, value.Value.Trim(), Tail(after.TrimStart()[value.Length..]));
            }
        }
        if (rest.Length > 0 && char.IsDigit(rest[0]) && Value().Match(rest) is { Success: true } page)
            return new Parts("page", page.Value.Trim(), Tail(rest[page.Length..]));
        return new Parts(null, null, suffix.Trim().Length == 0 ? "" : " " + suffix.Trim().TrimStart(' '));
    }

    /// <summary>What follows the locator, kept with its comma (", emphasis added") as pandoc hands it on.</summary>
    private static string Tail(string rest) => rest.Trim().Length == 0 ? "" : rest.TrimEnd();

    /// <summary>
    /// The locator's characters: words with a digit or a roman numeral, joined by ranges ("33-35") and by
    /// commas or ampersands followed by another such word ("3, 5 & 7"), with "ff." after.
    /// </summary>
    [GeneratedRegex(@"^(?:[\p{L}\p{N}]*\p{N}[\p{L}\p{N}.:]*|[ivxlcdmIVXLCDM]+\b|\p{L}\b)(?:\s*[-–—]\s*[\p{L}\p{N}.:]+|\s*[,&]\s*(?=\p{N})[\p{L}\p{N}.:]+)*(?:\s*ff?\.)?")]
    private static partial Regex Value();
}
