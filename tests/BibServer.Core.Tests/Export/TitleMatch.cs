using System.Text;
using System.Text.RegularExpressions;

namespace BibServer.Core.Tests.Export;

/// <summary>
/// Finds a paper's title in what pandoc made of it. Citeproc title-cases, turns quotes curly, reads
/// "--" as a dash in BibTeX and renders $...$ math its own way, so the title becomes a pattern: whitespace
/// folds, case is ignored, quotes and dashes match any of their forms, and each math span matches any
/// short text.
/// </summary>
internal static partial class TitleMatch
{
    public static Regex Pattern(string title, bool whole)
    {
        var pattern = new StringBuilder(whole ? "^" : "");
        var position = 0;
        foreach (Match math in MathSpan().Matches(title))
        {
            AppendText(pattern, title[position..math.Index]);
            pattern.Append(".{1,40}?");
            position = math.Index + math.Length;
        }
        AppendText(pattern, title[position..]);
        if (whole) pattern.Append('$');
        return new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private static void AppendText(StringBuilder pattern, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                while (i + 1 < text.Length && char.IsWhiteSpace(text[i + 1])) i++;
                pattern.Append(@"\s+");
            }
            else if (c is '\'' or '"' or '‘' or '’' or '“' or '”')
            {
                pattern.Append("['\"‘’“”]");
            }
            else if (c is '-' or '–' or '—')
            {
                while (i + 1 < text.Length && text[i + 1] is '-' or '–' or '—') i++;
                pattern.Append("[-–—]+");
            }
            else
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
        }
    }

    /// <summary>Pandoc's rule for $...$: no space inside either dollar, no digit right after the closing one.</summary>
    [GeneratedRegex(@"\$(?=\S)[^$]*?(?<=\S)\$(?!\d)")]
    private static partial Regex MathSpan();
}
