using System.Collections.Frozen;
using System.Text.RegularExpressions;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>
/// The daily-papers feed: a page header ending in the page's date (<c>May 20</c>), then entries of title,
/// abstract, an author count (<c>  • 5 authors</c>) or an organisation (<c>google Google</c>), a line holding
/// only <c>·</c>, and a date line. Dates without a year get the year the file itself implies (docs/keys.md,
/// "Dates in the daily-papers feed").
/// </summary>
internal static class DailyFeedLayout
{
    private static readonly FrozenSet<string> HeaderLines = FrozenSet.ToFrozenSet(
    [
        "new", "get trending papers in your email inbox!", "subscribe", "daily papers", "byak and the research community",
    ], StringComparer.Ordinal);

    private static readonly Regex AuthorCount = new(@"^[•·\-*]\s*(?<n>\d{1,5})\s+authors?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase);

    public static bool IsHeaderMark(string line) => line.Equals("Daily Papers", StringComparison.OrdinalIgnoreCase);

    public static bool IsDot(string line) => line == "·";

    /// <summary>An entry as found, before its date's year is known.</summary>
    private sealed record Draft(EntryFields Fields, FeedDate? Date, ListLine? DateLine);

    public static void Read(ListReading reading)
    {
        var lines = reading.Lines;
        var i = SkipHeader(reading, out var pageDate);
        var drafts = new List<Draft>();
        var pending = new List<ListLine>();
        while (i < lines.Length)
        {
            var line = lines[i];
            i++;
            if (line.IsBlank)
            {
                // Blank lines separate title, abstract and author line; they matter only for grouping, so
                // keep one as a marker between non-blank lines.
                if (pending.Count > 0 && !pending[^1].IsBlank) pending.Add(line);
                continue;
            }
            var text = reading.TextOf(line);
            if (IsDot(text))
            {
                var dateIndex = NextNonBlank(lines, i);
                if (dateIndex < lines.Length && FeedDate.TryParse(reading.TextOf(lines[dateIndex]), out var date))
                {
                    Finish(reading, drafts, pending, line, lines[dateIndex], date);
                    i = dateIndex + 1;
                }
                else if (dateIndex >= lines.Length)
                {
                    Truncated(reading, pending, line, "date line");
                }
                else
                {
                    Finish(reading, drafts, pending, line, null, null);
                }
                pending.Clear();
                continue;
            }
            pending.Add(line);
            // An author count ends an entry even when the "·" and date after it are missing: the next line
            // then starts a new entry.
            if (AuthorCount.IsMatch(text))
            {
                var next = NextNonBlank(lines, i);
                if (next < lines.Length && !IsDot(reading.TextOf(lines[next])))
                {
                    Finish(reading, drafts, pending, line, null, null);
                    pending.Clear();
                }
            }
        }
        if (pending.Any(l => !l.IsBlank))
        {
            var last = pending.Last(l => !l.IsBlank);
            Truncated(reading, pending, last, "'·' and date lines");
        }

        ResolveYears(reading, drafts, pageDate);
    }

    private static int NextNonBlank(ListLine[] lines, int i)
    {
        while (i < lines.Length && lines[i].IsBlank) i++;
        return i;
    }

    private static void Truncated(ListReading reading, List<ListLine> pending, ListLine last, string missing)
    {
        var first = pending.FirstOrDefault(l => !l.IsBlank);
        if (pending.All(l => l.IsBlank)) first = last;
        reading.ReportTruncated(first, last, missing);
    }

    /// <summary>
    /// Turns the lines of one entry into its fields. <paramref name="end"/> is the entry's last line before its
    /// date: the <c>·</c> line, or the author line when the entry has no <c>·</c>.
    /// </summary>
    private static void Finish(ListReading reading, List<Draft> drafts, List<ListLine> pending, ListLine end, ListLine? dateLine, FeedDate? date)
    {
        // Fields are runs of lines without a blank line between; the author or organisation line sits right
        // above the "·" line with no blank line between them, so it is the last line of the last run.
        var runs = new List<List<ListLine>>();
        List<ListLine>? run = null;
        foreach (var line in pending)
        {
            if (line.IsBlank)
            {
                run = null;
                continue;
            }
            if (run is null) runs.Add(run = []);
            run.Add(line);
        }
        if (runs.Count == 0)
        {
            reading.Report(Severity.Warning,
                $"Line {ListReading.LineNumber(end)} ends an entry that has no title; it is left out.",
                end.Content, PaperListReader.Codes.StrayLines);
            return;
        }

        int? count = null;
        string? organization = null;
        var lastRun = runs[^1];
        var meta = lastRun[^1];
        var metaText = reading.TextOf(meta);
        var countMatch = AuthorCount.Match(metaText);
        var hasMeta = false;
        if (countMatch.Success)
        {
            count = int.Parse(countMatch.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            hasMeta = true;
        }
        else if (!ReferenceEquals(runs[0], lastRun) || lastRun.Count > 1)
        {
            if (metaText.Length <= 80 && !FieldShapes.IsAbstractLike(metaText) && IsOrganizationLine(metaText))
            {
                organization = OrganizationName(metaText);
                hasMeta = true;
            }
        }
        if (hasMeta)
        {
            lastRun.RemoveAt(lastRun.Count - 1);
            if (lastRun.Count == 0) runs.RemoveAt(runs.Count - 1);
        }
        if (runs.Count == 0)
        {
            reading.Report(Severity.Warning,
                $"The entry ending at line {ListReading.LineNumber(end)} has an author line but no title; it is left out.",
                meta.Content, PaperListReader.Codes.StrayLines);
            return;
        }

        // Title, then abstract. More runs than two means the entry before lost its "·" and date, or lines
        // came loose: the last title and abstract are this entry's, and what is above them is reported.
        var titleIndex = runs.Count >= 2 ? runs.Count - 2 : 0;
        if (titleIndex > 0)
        {
            var strayFirst = runs[0][0];
            var strayLast = runs[titleIndex - 1][^1];
            reading.Report(Severity.Warning,
                $"Lines {ListReading.LineNumber(strayFirst)}–{ListReading.LineNumber(strayLast)} do not form an entry (a title, an abstract, an author line, '·' and a date), so they are not read as a paper.",
                TextSpan.FromBounds(strayFirst.ContentStart, strayLast.ContentEnd), PaperListReader.Codes.StrayLines);
        }
        var title = runs[titleIndex];
        var lastLine = dateLine ?? end;
        var fields = new EntryFields(title[0], lastLine.ContentEnd)
        {
            TitleText = reading.JoinedText(title),
            AuthorCount = count,
            Organization = organization,
        };
        if (titleIndex + 1 < runs.Count)
        {
            var abstractRun = runs[titleIndex + 1];
            fields = fields with { Abstract = reading.TextOf(abstractRun[0], abstractRun[^1]) };
        }
        else
        {
            reading.ReportMissingAbstract(title[0]);
        }
        if (dateLine is null)
        {
            reading.Report(Severity.Warning,
                $"The paper at line {ListReading.LineNumber(title[0])} has no date line; it is read without a date.",
                title[0].Content, PaperListReader.Codes.MissingDate);
        }
        drafts.Add(new Draft(fields, date, dateLine));
    }

    /// <summary>
    /// An organisation line is an id and a display name (<c>ByteDance-Seed ByteDance Seed</c>), or a lone
    /// name: a few words, no sentence punctuation.
    /// </summary>
    private static bool IsOrganizationLine(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= 8 && !line.EndsWith('.') && !line.Contains(". ", StringComparison.Ordinal);
    }

    /// <summary>"ByteDance-Seed ByteDance Seed" names "ByteDance Seed": the first word is the site's id.</summary>
    internal static string OrganizationName(string line)
    {
        var space = line.IndexOf(' ');
        return space < 0 ? line : line[(space + 1)..].Trim();
    }

    /// <summary>
    /// Skips the page header and returns the index of the first line after it. The header is the site's fixed
    /// lines; the year-less date right after them is the page's own date.
    /// </summary>
    private static int SkipHeader(ListReading reading, out FeedDate? pageDate)
    {
        pageDate = null;
        var lines = reading.Lines;
        var sawHeader = false;
        var i = 0;
        for (; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.IsBlank) continue;
            var text = reading.TextOf(line);
            if (HeaderLines.Contains(text.ToLowerInvariant()))
            {
                sawHeader = true;
                continue;
            }
            if (sawHeader && pageDate is null && FeedDate.TryParse(text, out var date) && date.Year is null)
            {
                pageDate = date;
                continue;
            }
            break;
        }
        return i;
    }

    /// <summary>
    /// Gives year-less dates their year. The site writes the year only for dates outside the current year, so
    /// the page's year is later than every year the file writes out: at least the latest one plus one, which
    /// is the year taken. A year-less date after the page's own date cannot be of the page's year, which
    /// breaks that reading; such a date keeps no year and is reported. A file that writes no year at all
    /// gives no year to go by, and its year-less dates keep none.
    /// </summary>
    private static void ResolveYears(ListReading reading, List<Draft> drafts, FeedDate? pageDate)
    {
        int? latest = null;
        foreach (var draft in drafts)
        {
            if (draft.Date?.Year is { } year && (latest is null || year > latest)) latest = year;
        }
        int? pageYear = latest + 1;

        foreach (var draft in drafts)
        {
            PaperDate? date = null;
            if (draft.Date is { } d)
            {
                if (d.Year is { } year)
                {
                    date = new PaperDate(year, d.Month, d.Day, d.Raw);
                }
                else if (pageDate is { } page && d.IsLaterInYearThan(page))
                {
                    date = new PaperDate(null, d.Month, d.Day, d.Raw);
                    reading.Report(Severity.Warning,
                        $"The date '{d.Raw}' has no year and comes after the page's own date ('{page.Raw}'); the feed leaves out the year only for dates of the page's year, so this date's year cannot be told and is left out.",
                        draft.DateLine!.Value.Content, PaperListReader.Codes.UnknownYear);
                }
                else if (pageYear is { } inferred && d.Day > DateTime.DaysInMonth(inferred, d.Month))
                {
                    date = new PaperDate(null, d.Month, d.Day, d.Raw);
                    reading.Report(Severity.Warning,
                        $"The date '{d.Raw}' has no year, and the year this file implies for it, {inferred}, has no such day; its year is left out.",
                        draft.DateLine!.Value.Content, PaperListReader.Codes.UnknownYear);
                }
                else
                {
                    date = new PaperDate(pageYear, d.Month, d.Day, d.Raw);
                }
            }
            reading.Add(draft.Fields with { Date = date });
        }
    }
}
