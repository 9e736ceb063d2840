using System.Text;
using System.Text.RegularExpressions;
using BibServer.Core.Papers;

namespace BibServer.Core.Export;

/// <summary>
/// Writes papers as BibTeX that pandoc (-f bibtex), biber and BibTeX read. Text is UTF-8 (pandoc and biber
/// read it directly), with LaTeX's special characters escaped and $...$ math kept as math.
/// </summary>
public static partial class BibtexWriter
{
    private static readonly string[] MonthMacros = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>
    /// One entry per paper, in order. The CSL type picks the entry type and where the venue goes (journal for
    /// articles, booktitle for proceedings and chapters, howpublished otherwise); the title is case-protected
    /// in double braces; an arXiv id becomes eprint + archiveprefix. An id that cannot be a BibTeX key is
    /// written with its bad characters replaced, and a comment above the entry says so.
    /// </summary>
    public static string Write(IEnumerable<Paper> papers)
    {
        var output = new StringBuilder();
        foreach (var paper in papers)
        {
            if (output.Length > 0) output.Append('\n');
            WriteEntry(output, paper);
        }
        return output.ToString();
    }

    private static void WriteEntry(StringBuilder output, Paper paper)
    {
        var fields = paper.Fields;
        string? Field(string name) => fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        var type = EntryType(paper.Type, Field("genre"));
        var key = Key(paper.Key);
        if (key != paper.Key)
        {
            // Text outside entries is ignored by BibTeX readers, as long as it holds no "@".
            var shown = paper.Key.Replace("@", "(at)").ReplaceLineEndings(" ");
            output.Append($"% The id \"{shown}\" cannot be a BibTeX key as it is; it is written as \"{key}\".\n");
        }

        var entry = new List<(string Name, string Value)>();
        void Braced(string name, string? text, bool math = false)
        {
            if (!string.IsNullOrEmpty(text)) entry.Add((name, "{" + Escape(text, math) + "}"));
        }
        void Verbatim(string name, string? text)
        {
            if (!string.IsNullOrEmpty(text)) entry.Add((name, "{" + VerbatimText(text) + "}"));
        }

        var authors = paper.Authors.IsEmpty && paper.Organization is { } organisation
            ? [Person.Organisation(organisation)]
            : paper.Authors;
        if (!authors.IsEmpty) entry.Add(("author", "{" + Names(authors) + "}"));
        if (!paper.Editors.IsEmpty) entry.Add(("editor", "{" + Names(paper.Editors) + "}"));
        entry.Add(("title", "{{" + Escape(paper.Title, keepMath: true) + "}}"));

        // A venue the reader took from collection-title is written once, as the series below.
        var venue = paper.Venue == Field("collection-title") ? null : paper.Venue;
        switch (type)
        {
            case "article":
                Braced("journal", venue);
                break;
            case "inproceedings" or "incollection":
                Braced("booktitle", venue);
                break;
            case "book":
                if (Field("collection-title") is null) Braced("series", venue);
                break;
            default:
                Braced("howpublished", venue);
                break;
        }

        if (paper.Date is { } date)
        {
            if (date.Year is { } year)
            {
                entry.Add(("year", "{" + year + "}"));
                if (date.Month is { } month)
                {
                    entry.Add(("month", MonthMacros[month - 1]));
                    entry.Add(("date", "{" + date + "}"));
                }
            }
            else
            {
                Braced("year", date.Raw);
            }
        }

        Braced("volume", Field("volume"));
        var number = Field("issue") ?? Field("number");
        if (number is not null && !Libraries.Csl.Arxiv.IsPrefixedId(number) && number != paper.ArxivId) Braced("number", number);
        Braced("pages", Field("page") is { } page ? PageRange().Replace(page, "$1--$2") : null);
        Braced("chapter", Field("chapter-number"));
        Braced("edition", Field("edition"));
        Braced("series", Field("collection-title"));
        Braced(type switch
        {
            "techreport" => "institution",
            "phdthesis" or "mastersthesis" => "school",
            _ => "publisher",
        }, Field("publisher"));
        Braced("address", Field("publisher-place"));
        if (type is "techreport" or "phdthesis" or "mastersthesis") Braced("type", Field("genre"));
        Braced("isbn", Field("ISBN"));
        Braced("issn", Field("ISSN"));
        Braced("language", Field("language"));
        Braced("version", Field("version"));
        Braced("shorttitle", Field("title-short"), math: true);
        Braced("keywords", Field("keyword"));
        Braced("note", Field("note"), math: true);
        Verbatim("doi", paper.Doi);
        Verbatim("url", paper.Url);
        Verbatim("urldate", Field("accessed"));
        if (paper.ArxivId is { } arxiv)
        {
            Verbatim("eprint", arxiv);
            entry.Add(("archiveprefix", "{arXiv}"));
        }
        Braced("abstract", paper.Abstract, math: true);

        output.Append('@').Append(type).Append('{').Append(key).Append(",\n");
        for (var i = 0; i < entry.Count; i++)
        {
            output.Append("  ").Append(entry[i].Name).Append(" = ").Append(entry[i].Value);
            output.Append(i + 1 < entry.Count ? ",\n" : "\n");
        }
        output.Append("}\n");
    }

    internal static string EntryType(string cslType, string? genre) => cslType switch
    {
        "article-journal" or "article-magazine" or "article-newspaper" or "review" or "review-book" => "article",
        "paper-conference" => "inproceedings",
        "book" => "book",
        "chapter" or "entry" or "entry-dictionary" or "entry-encyclopedia" => "incollection",
        "report" => "techreport",
        "thesis" => genre?.Contains("master", StringComparison.OrdinalIgnoreCase) == true ? "mastersthesis" : "phdthesis",
        "manuscript" => "unpublished",
        "webpage" or "post" or "post-weblog" => "online",
        _ => "misc",
    };

    /// <summary>Characters BibTeX and biber stop a key at; CSL ids may hold any of them.</summary>
    private static string Key(string id)
    {
        var key = new StringBuilder(id.Length);
        foreach (var c in id) key.Append(char.IsWhiteSpace(c) || c is ',' or '{' or '}' or '(' or ')' or '=' or '"' or '#' or '%' or '\'' or '~' or '\\' or '@' ? '_' : c);
        return key.Length == 0 ? "_" : key.ToString();
    }

    /// <summary>
    /// "Family, Given and {Literal}": organisations and other names not to be split are braced, as are parts
    /// holding a comma or the word "and", which would otherwise split the list.
    /// </summary>
    private static string Names(IEnumerable<Person> people) => string.Join(" and ", people.Select(Name));

    private static string Name(Person person)
    {
        if (person.Literal is { } literal) return "{" + Escape(literal, keepMath: false) + "}";
        if (person.Family is null) return "{" + Escape(person.Given ?? "", keepMath: false) + "}";
        // A family name alone with a space ("King Jr.") would be split into first and last names.
        if (person.Given is null) return person.Family.Contains(' ') ? "{" + Escape(person.Family, false) + "}" : NamePart(person.Family);
        return NamePart(person.Family) + ", " + NamePart(person.Given);
    }

    private static string NamePart(string part)
    {
        var escaped = Escape(part, keepMath: false);
        return part.Contains(',') || AndWord().IsMatch(part) ? "{" + escaped + "}" : escaped;
    }

    /// <summary>
    /// Escapes the characters LaTeX gives a meaning (&amp; % $ # _ { } \ ~ ^). With <paramref name="keepMath"/>,
    /// $...$ spans are kept as math, found by pandoc's rule: the opening $ has a non-space right after it, the
    /// closing $ a non-space right before it and no digit right after it ("$5 and $10" is not math).
    /// </summary>
    internal static string Escape(string text, bool keepMath)
    {
        var output = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (keepMath && c == '$' && MathEnd(text, i) is { } end)
            {
                output.Append(text, i, end - i + 1);
                i = end;
                continue;
            }
            output.Append(c switch
            {
                '\\' => @"\textbackslash{}",
                '~' => @"\textasciitilde{}",
                '^' => @"\textasciicircum{}",
                '{' or '}' or '&' or '%' or '$' or '#' or '_' => "\\" + c,
                '\r' or '\n' or '\t' => " ",
                _ => c.ToString(),
            });
        }
        return output.ToString();
    }

    private static int? MathEnd(string text, int open)
    {
        if (open + 1 >= text.Length || char.IsWhiteSpace(text[open + 1]) || text[open + 1] == '$') return null;
        var depth = 0;
        for (var j = open + 1; j < text.Length; j++)
        {
            var c = text[j];
            if (c == '\\') { j++; continue; }
            if (c == '{') depth++;
            else if (c == '}' && --depth < 0) return null;
            else if (c == '$' && !char.IsWhiteSpace(text[j - 1]) && (j + 1 >= text.Length || !char.IsAsciiDigit(text[j + 1])))
                return depth == 0 ? j : null;
        }
        return null;
    }

    /// <summary>
    /// DOIs and URLs are read verbatim by biber and pandoc, so they are not escaped; only braces that would
    /// unbalance the entry are percent-encoded, which means the same in a URL.
    /// </summary>
    private static string VerbatimText(string text)
    {
        text = text.ReplaceLineEndings("").Trim();
        var depth = 0;
        foreach (var c in text)
        {
            if (c == '{') depth++;
            else if (c == '}' && --depth < 0) break;
        }
        return depth == 0 ? text : text.Replace("{", "%7B").Replace("}", "%7D");
    }

    [GeneratedRegex(@"\band\b", RegexOptions.IgnoreCase)]
    private static partial Regex AndWord();

    [GeneratedRegex(@"(\w)\s*[-–]\s*(\w)")]
    private static partial Regex PageRange();
}
