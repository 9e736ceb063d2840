using System.Text.RegularExpressions;

namespace BibServer.Core.Libraries.Zotero;

/// <summary>
/// Zotero's <c>extra</c> field is where users and translators put what has no field of its own, one
/// <c>Name: value</c> per line: <c>Citation Key: smith2020</c> (Better BibTeX's way to pin a key),
/// <c>arXiv: 1503.03900</c>, <c>DOI: 10.1000/x</c> on item types without a DOI field.
/// </summary>
internal static partial class ZoteroExtra
{
    public sealed record Found(string? CitationKey, string? Doi, string? Arxiv);

    public static Found Read(string? extra)
    {
        if (string.IsNullOrWhiteSpace(extra)) return new Found(null, null, null);
        string? key = null, doi = null, arxiv = null;
        foreach (var raw in extra.Split('\n'))
        {
            var line = raw.Trim();
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (value.Length == 0) continue;
            if (name.Equals("Citation Key", StringComparison.OrdinalIgnoreCase) || name.Equals("citation-key", StringComparison.OrdinalIgnoreCase))
                key ??= value;
            else if (name.Equals("DOI", StringComparison.OrdinalIgnoreCase))
                doi ??= value;
            else if (name.Equals("arXiv", StringComparison.OrdinalIgnoreCase) && ArxivId().Match(value) is { Success: true } m)
                arxiv ??= m.Groups["id"].Value;
        }
        return new Found(key, doi, arxiv);
    }

    [GeneratedRegex(@"^(?<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", RegexOptions.IgnoreCase)]
    private static partial Regex ArxivId();
}
