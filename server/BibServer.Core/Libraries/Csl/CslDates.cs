using System.Text.RegularExpressions;
using BibServer.Core.Papers;

namespace BibServer.Core.Libraries.Csl;

/// <summary>Reads the date forms CSL data carries: date-parts numbers and free "raw"/"literal" strings.</summary>
internal static partial class CslDates
{
    private static readonly string[] MonthNames =
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];

    /// <summary>
    /// A date from numbers, dropping what cannot be a calendar part: CSL data uses months 13-24 for
    /// seasons, and a month we cannot place makes its day meaningless too.
    /// </summary>
    public static PaperDate FromParts(int year, int? month, int? day, string? raw)
    {
        if (month is < 1 or > 12) (month, day) = (null, null);
        if (month is null || day is < 1 or > 31) day = null;
        return new PaperDate(year, month, day, raw);
    }

    /// <summary>
    /// Reads a free-form date ("2024-03-01", "2024", "2024/2025", "March 2024", "1 Mar. 2024",
    /// "Spring 2020", EDTF ranges "2020-01/2020-05"), taking the first date of a range. Text with no
    /// year ("forthcoming") gives a date that only keeps the raw text.
    /// </summary>
    public static PaperDate ParseRaw(string raw)
    {
        var text = raw.Trim();
        var iso = IsoDate().Match(text);
        // "2024-03-01" is read as numbers; "2024 March" falls through to the month-name search below.
        if (iso.Success && (iso.Groups["m"].Success || !Word().IsMatch(text[iso.Length..])))
        {
            return FromParts(
                int.Parse(iso.Groups["y"].Value),
                iso.Groups["m"].Success ? int.Parse(iso.Groups["m"].Value) : null,
                iso.Groups["d"].Success ? int.Parse(iso.Groups["d"].Value) : null,
                raw);
        }

        var year = Year().Match(text);
        if (!year.Success) return new PaperDate(null, Raw: raw);

        int? month = null;
        int? day = null;
        foreach (Match word in Word().Matches(text))
        {
            var index = MonthIndex(word.Value);
            if (index is null) continue;
            month = index;
            // A day stands right before ("1 March") or right after ("March 1,") the month name.
            var before = DayBefore().Match(text[..word.Index]);
            var after = DayAfter().Match(text[(word.Index + word.Length)..]);
            if (before.Success) day = int.Parse(before.Groups[1].Value);
            else if (after.Success) day = int.Parse(after.Groups[1].Value);
            break;
        }
        return FromParts(int.Parse(year.Value), month, day, raw);
    }

    private static int? MonthIndex(string word)
    {
        if (word.Length < 3) return null;
        var lower = word.ToLowerInvariant();
        var index = Array.IndexOf(MonthNames, lower[..3]);
        if (index < 0) return null;
        // "Mar", "March", "Sept" are months; "Marvel" or "Decent" are not.
        var full = System.Globalization.CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(index + 1).ToLowerInvariant();
        return full.StartsWith(lower, StringComparison.Ordinal) || lower == "sept" ? index + 1 : null;
    }

    [GeneratedRegex(@"^(?<y>\d{4})(?:[-/.](?<m>\d{1,2})(?!\d)(?:[-/.](?<d>\d{1,2})(?!\d))?)?(?=$|[^\d])")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"(?<!\d)\d{4}(?!\d)")]
    private static partial Regex Year();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();

    [GeneratedRegex(@"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?\s*$")]
    private static partial Regex DayBefore();

    [GeneratedRegex(@"^\.?\s*(\d{1,2})(?!\d)")]
    private static partial Regex DayAfter();
}
