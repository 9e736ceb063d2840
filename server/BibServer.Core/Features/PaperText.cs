using System.Text;
using BibServer.Core.Papers;

namespace BibServer.Core.Features;

/// <summary>How a paper reads in a hover, a completion item or a message.</summary>
public static class PaperText
{
    /// <summary>"Umar", "Umar & Laio", "Umar et al.", "5 authors", "Qwen", or "" when the source names nobody.</summary>
    public static string AuthorsShort(Paper p)
    {
        var names = p.Authors.Where(a => a.Literal != "others").Select(a => a.SortName).ToList();
        if (names.Count == 1 && p.Authors.Length == 1) return names[0];
        if (names.Count == 2 && p.Authors.Length == 2) return $"{names[0]} & {names[1]}";
        if (names.Count >= 1) return $"{names[0]} et al.";
        if (p.Organization is { Length: > 0 } org) return org;
        if (p.AuthorCount is { } n) return n == 1 ? "1 author" : $"{n} authors";
        return "";
    }

    /// <summary>Every author by full name, or what the source gives instead.</summary>
    public static string AuthorsFull(Paper p)
    {
        if (!p.Authors.IsEmpty)
            return string.Join(", ", p.Authors.Select(a => a.Literal == "others" ? "et al." : a.Display));
        if (p.Organization is { Length: > 0 } org) return org;
        if (p.AuthorCount is { } n) return n == 1 ? "1 author" : $"{n} authors";
        return "";
    }

    /// <summary>The completion detail: <c>Authors (year) Title</c>, leaving out what is unknown.</summary>
    public static string Detail(Paper p)
    {
        var sb = new StringBuilder();
        var authors = AuthorsShort(p);
        if (authors.Length > 0) sb.Append(authors).Append(' ');
        if (p.Year is { } y) sb.Append('(').Append(y).Append(") ");
        sb.Append(p.Title);
        return sb.ToString();
    }

    /// <summary>
    /// Text as the source has it, made inert for Markdown: characters that could start emphasis, code, a
    /// link, HTML, an entity or math are escaped, so TeX math and mis-decoded text show as written and no
    /// HTML from a library reaches the editor. Line breaks are folded into spaces.
    /// </summary>
    public static string EscapeMarkdown(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        var atLineStart = true;
        foreach (var c in text)
        {
            if (c is '\r' or '\n' or '\t')
            {
                if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
                continue;
            }
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '$' or '~' or '|' or '&' or '{' or '}'
                || atLineStart && c is '#' or '-' or '+' or '=' or '!')
                sb.Append('\\');
            sb.Append(c);
            atLineStart = false;
        }
        return sb.ToString().Trim();
    }
}
