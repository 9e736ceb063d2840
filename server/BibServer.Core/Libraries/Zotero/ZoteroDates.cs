using System.Globalization;
using BibServer.Core.Papers;

namespace BibServer.Core.Libraries.Zotero;

/// <summary>
/// Zotero stores a date as <c>2019-12-00 12/2019</c>: a sortable SQL date whose unknown parts are zero, then the
/// date as the user typed it. The first part gives the year, month and day; the second is kept for display.
/// </summary>
internal static class ZoteroDates
{
    public static PaperDate? Parse(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored)) return null;
        var text = stored.Trim();
        var space = text.IndexOf(' ');
        var sql = space > 0 ? text[..space] : text;
        var raw = space > 0 ? text[(space + 1)..].Trim() : text;
        if (sql.Length == 10 && sql[4] == '-' && sql[7] == '-'
            && int.TryParse(sql.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(sql.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(sql.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day))
        {
            int? m = month is >= 1 and <= 12 ? month : null;
            int? d = m is not null && day is >= 1 and <= 31 ? day : null;
            return new PaperDate(year == 0 ? null : year, m, d, raw.Length > 0 ? raw : sql);
        }
        // Not in Zotero's stored form (an item written by another tool): a four-digit year is all we take.
        for (var i = 0; i + 4 <= text.Length; i++)
        {
            if (char.IsAsciiDigit(text[i]) && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3])
                && (i == 0 || !char.IsAsciiDigit(text[i - 1])) && (i + 4 == text.Length || !char.IsAsciiDigit(text[i + 4])))
                return new PaperDate(int.Parse(text.AsSpan(i, 4), CultureInfo.InvariantCulture), Raw: text);
        }
        return new PaperDate(null, Raw: text);
    }
}
