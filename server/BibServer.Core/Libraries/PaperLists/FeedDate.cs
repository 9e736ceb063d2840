using System.Globalization;
using System.Text.RegularExpressions;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>
/// A date line of the daily-papers feed: <c>Jun 12, 2023</c>, or <c>Mar 23</c> without a year, either one
/// possibly followed by an upvote count (<c>Jun 16, 2025 2</c>, <c>Jan 8 2</c>). <see cref="Raw"/> is the date
/// as written, without the upvote count.
/// </summary>
internal readonly record struct FeedDate(int Month, int Day, int? Year, string Raw)
{
    private static readonly Regex Pattern = new(
        @"^(?<date>(?<month>[A-Z][a-z]{2,8})\.?\s+(?<day>\d{1,2})(?:,\s*(?<year>\d{4}))?)(?:\s+(?<votes>\d{1,7}))?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static readonly string[] MonthNames =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static bool TryParse(string line, out FeedDate date)
    {
        date = default;
        var match = Pattern.Match(line);
        if (!match.Success) return false;
        var month = MonthOf(match.Groups["month"].Value);
        if (month is null) return false;
        var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        int? year = match.Groups["year"].Success ? int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture) : null;
        // February 29th is possible in some year, so a year-less date is checked against a leap year here
        // and against its inferred year later.
        if (day < 1 || day > DateTime.DaysInMonth(year ?? 2000, month.Value)) return false;
        date = new FeedDate(month.Value, day, year, match.Groups["date"].Value);
        return true;
    }

    /// <summary>"Jan", "January" and "Sept" name a month; "Janx" and "Ma" do not.</summary>
    private static int? MonthOf(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower == "sept") return 9;
        for (var i = 0; i < MonthNames.Length; i++)
        {
            if (lower == MonthNames[i]) return i + 1;
            var full = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(i + 1).ToLowerInvariant();
            if (lower == full) return i + 1;
        }
        return null;
    }

    /// <summary>True when this date, read in the same year, comes after <paramref name="other"/>.</summary>
    public bool IsLaterInYearThan(FeedDate other) => Month > other.Month || (Month == other.Month && Day > other.Day);
}
