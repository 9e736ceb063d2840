namespace BibServer.Core.Libraries.PaperLists;

/// <summary>
/// The name of a web site that a scraped title ends with: <c>A central AI alignment problem: ... - Machine
/// Intelligence Research Institute</c>. Pages put their site's name after their title, and aggregators copy
/// the page title whole; the site is not part of the paper's title.
/// </summary>
internal static class SiteSuffix
{
    /// <summary>The separators a page title puts before its site's name; spaces around them are required.</summary>
    private static readonly string[] Separators = [" - ", " \u2013 ", " \u2014 ", " | "];

    /// <summary>A site name is a name, not a subtitle: a few words, without sentence punctuation.</summary>
    private const int MaxSiteWords = 6;

    /// <summary>
    /// Splits a title whose last part, after " - " (or an en or em dash, or " | "), is one of the known
    /// <paramref name="siteNames"/>. Returns false and leaves the title whole otherwise.
    /// </summary>
    public static bool TrySplitKnown(string title, IEnumerable<string> siteNames, out string bare, out string site)
    {
        if (TrySplit(title, out bare, out site))
        {
            var candidate = site;
            if (siteNames.Any(name => string.Equals(name, candidate, StringComparison.OrdinalIgnoreCase))) return true;
        }
        bare = title;
        site = "";
        return false;
    }

    /// <summary>
    /// Splits a title at its last " - " (or dash, or " | ") when what follows could be a site's name: at most
    /// six words, no colon, question mark or full stop at its end. The caller decides whether it is one.
    /// </summary>
    public static bool TrySplit(string title, out string bare, out string site)
    {
        bare = title;
        site = "";
        var at = -1;
        var length = 0;
        foreach (var separator in Separators)
        {
            var i = title.LastIndexOf(separator, StringComparison.Ordinal);
            if (i > at)
            {
                at = i;
                length = separator.Length;
            }
        }
        if (at <= 0) return false;
        var before = title[..at].TrimEnd();
        var after = title[(at + length)..].Trim();
        if (before.Length == 0 || after.Length == 0) return false;
        if (after.Contains(':') || after.EndsWith('?') || after.EndsWith('.')) return false;
        if (after.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > MaxSiteWords) return false;
        bare = before;
        site = after;
        return true;
    }
}
