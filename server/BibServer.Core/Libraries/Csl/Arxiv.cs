using System.Text.RegularExpressions;

namespace BibServer.Core.Libraries.Csl;

/// <summary>
/// Finds an arXiv identifier where CSL data puts one. CSL has no arXiv variable, so tools spread it over
/// URL, number (Zotero writes "arXiv:2401.00001"), DOI (10.48550/arXiv.2401.00001) and note.
/// The version suffix is dropped so that two versions of one preprint are the same paper.
/// </summary>
internal static partial class Arxiv
{
    public static string? Find(string? url, string? doi, IReadOnlyDictionary<string, string> fields)
    {
        if (url is not null && InUrl().Match(url) is { Success: true } u) return u.Groups["id"].Value;

        fields.TryGetValue("number", out var number);
        if (number is not null)
        {
            if (Prefixed().Match(number) is { Success: true } p) return p.Groups["id"].Value;
            var archive = Get(fields, "archive") ?? Get(fields, "publisher") ?? Get(fields, "container-title") ?? "";
            if (archive.Contains("arxiv", StringComparison.OrdinalIgnoreCase) && Bare().Match(number.Trim()) is { Success: true } b)
                return b.Groups["id"].Value;
        }

        if (doi is not null && InDoi().Match(doi) is { Success: true } d) return d.Groups["id"].Value;

        foreach (var name in (string[])["note", "container-title", "archive_location"])
        {
            if (Get(fields, name) is { } text && Prefixed().Match(text) is { Success: true } n) return n.Groups["id"].Value;
        }
        return null;
    }

    /// <summary>Whether a text has the "arXiv:ID" form that <see cref="Find"/> reads from number and note.</summary>
    public static bool IsPrefixedId(string text) => Prefixed().IsMatch(text);

    private static string? Get(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) ? value : null;

    private const string Id = @"(?<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?";

    [GeneratedRegex(@"arxiv\.org/(?:abs|pdf|html)/" + Id + @"(?![\d])", RegexOptions.IgnoreCase)]
    private static partial Regex InUrl();

    [GeneratedRegex(@"arxiv\s*:\s*" + Id + @"(?![\d])", RegexOptions.IgnoreCase)]
    private static partial Regex Prefixed();

    [GeneratedRegex(@"^" + Id + "$")]
    private static partial Regex Bare();

    [GeneratedRegex(@"10\.48550/arxiv\." + Id + @"(?![\d])", RegexOptions.IgnoreCase)]
    private static partial Regex InDoi();
}
