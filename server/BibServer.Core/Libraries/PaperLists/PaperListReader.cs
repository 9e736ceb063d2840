using System.Collections.Immutable;
using BibServer.Core.Libraries.Keys;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>The layouts of scraped paper lists (see shared/seeds/README.md).</summary>
internal enum PaperListLayout
{
    /// <summary>Nothing but white space: an empty list, not a damaged one.</summary>
    Empty,
    Unknown,

    /// <summary>A topic line, then title, authors (optional) and abstract, one per line.</summary>
    PlainListing,

    /// <summary>A <c>Goto</c> / <c>Collaborating Authors</c> header, then cards of title, authors, venue, abstract.</summary>
    AggregatorCards,

    /// <summary>A <c>Daily Papers</c> header, then entries that end in <c>·</c> and a date line.</summary>
    DailyFeed,
}

/// <summary>
/// Reads the scraped paper lists that notes cite: the three layouts are told apart by their content, never by
/// the file's name. Every paper becomes a <see cref="Paper"/> with a generated key (final keys are given by
/// <see cref="LibrarySet"/>, which sees every library); whatever breaks a layout is a <see cref="Problem"/> at
/// its line, and the rest of the file is still read. Reading never throws.
/// </summary>
public static class PaperListReader
{
    /// <summary>The <see cref="Problem.Code"/>s this reader reports.</summary>
    public static class Codes
    {
        public const string UnknownLayout = "paperlist-unknown-layout";
        public const string TruncatedEntry = "paperlist-truncated-entry";
        public const string MissingAbstract = "paperlist-missing-abstract";
        public const string MissingDate = "paperlist-missing-date";
        public const string StrayLines = "paperlist-stray-lines";
        public const string UnknownYear = "paperlist-unknown-year";
        public const string InternalError = "paperlist-internal-error";
    }

    public static LibraryDocument Read(string path, string text) => Read(path, text, PaperListOptions.Default);

    public static LibraryDocument Read(string path, string text, PaperListOptions options)
    {
        var reading = new ListReading(path, text ?? "", options);
        try
        {
            switch (Detect(reading.Lines, reading.Text))
            {
                case PaperListLayout.PlainListing: PlainListingLayout.Read(reading); break;
                case PaperListLayout.AggregatorCards: AggregatorCardsLayout.Read(reading); break;
                case PaperListLayout.DailyFeed: DailyFeedLayout.Read(reading); break;
                case PaperListLayout.Unknown: ReportUnknownLayout(reading); break;
            }
        }
        catch (Exception e)
        {
            // The layouts are written not to throw; this keeps that promise if one of them is wrong, so that a
            // bug costs one file's papers and says so, rather than the server.
            reading.Report(Severity.Error, $"BibServer failed while reading this paper list ({e.GetType().Name}: {e.Message}); please report it.",
                new TextSpan(0, 0), Codes.InternalError);
        }
        var papers = reading.Papers;
        var keys = PaperKeys.Assign(papers);
        var keyed = ImmutableArray.CreateBuilder<Paper>(papers.Count);
        for (var i = 0; i < papers.Count; i++) keyed.Add(papers[i] with { Key = keys[i] });
        return new LibraryDocument(path, PaperListFormat.Instance, reading.Text, keyed.MoveToImmutable(),
            [.. reading.Problems.OrderBy(p => p.Span.Start)]);
    }

    /// <summary>
    /// Reads a text found by discovery (no one named it as a library) only when it is a paper list with
    /// confidence; else null, with no papers and no problems, since a licence, a README, a requirements.txt or
    /// a log can match a layout's loose shape here and there. The daily feed's marks (a line holding only
    /// <c>·</c> before a date line) and the cards' page header are enough. Otherwise what was read must look
    /// like papers: most with an abstract on one long line (the layouts never wrap lines; licences and READMEs
    /// are wrapped prose), titles that do not end like sentences or start like Markdown, and few problems.
    /// </summary>
    public static LibraryDocument? ReadIfConfident(string path, string text)
    {
        text ??= "";
        var document = Read(path, text);
        var n = document.Papers.Length;
        if (n == 0) return null;
        var lines = new ListReading(path, text, PaperListOptions.Default).Lines;
        var layout = Detect(lines, document.Text);
        var first = Array.FindIndex(lines, l => !l.IsBlank);
        if (layout == PaperListLayout.DailyFeed || first >= 0 && AggregatorCardsLayout.IsHeaderLine(lines[first].Text(document.Text)))
            return document;
        var longAbstracts = document.Papers.Count(p => p.Abstract is { Length: >= 200 } a && !a.Contains('\n'));
        var proseTitles = document.Papers.Count(p => p.Title.Length == 0 || p.Title[^1] is '.' or ',' or ';' or ':'
            || p.Title[0] is '#' or '`' or '*' or '-' or '>' or '|' or '=' || p.Title.Contains("```", StringComparison.Ordinal));
        var problems = document.Problems.Count(p => p.Severity <= Severity.Warning);
        return longAbstracts * 4 >= n * 3 && proseTitles * 10 <= n && problems <= Math.Max(1, n / 4) ? document : null;
    }

    /// <summary>
    /// Which layout a text has. The daily feed and the cards have headers and marks of their own (a line
    /// holding only <c>·</c> before a date line); the plain listing is recognised by its entries: a title line
    /// followed, with no blank line between, by an author line or an abstract.
    /// </summary>
    internal static PaperListLayout Detect(ListLine[] lines, string text)
    {
        var nonBlank = lines.Where(l => !l.IsBlank).ToList();
        if (nonBlank.Count == 0) return PaperListLayout.Empty;

        foreach (var line in nonBlank.Take(12))
        {
            if (DailyFeedLayout.IsHeaderMark(line.Text(text))) return PaperListLayout.DailyFeed;
        }
        for (var i = 0; i + 1 < nonBlank.Count; i++)
        {
            if (DailyFeedLayout.IsDot(nonBlank[i].Text(text)) && FeedDate.TryParse(nonBlank[i + 1].Text(text), out _))
                return PaperListLayout.DailyFeed;
        }
        if (AggregatorCardsLayout.IsHeaderLine(nonBlank[0].Text(text))) return PaperListLayout.AggregatorCards;
        if (PlainListingLayout.Looks(lines, nonBlank, text)) return PaperListLayout.PlainListing;
        if (AggregatorCardsLayout.LooksHeaderless(lines, text)) return PaperListLayout.AggregatorCards;
        return PaperListLayout.Unknown;
    }

    private static void ReportUnknownLayout(ListReading reading)
    {
        var first = reading.Lines[0];
        reading.Report(Severity.Error,
            "This file does not look like a paper list BibServer knows, so no paper was read from it. It looked for "
            + "a plain listing (a topic line, then one paper after another: title, authors, abstract, one per line), "
            + "aggregator cards (a 'Goto' and 'Collaborating Authors' header, then blocks of title, authors, venue and abstract "
            + "separated by blank lines) and a daily-papers feed (a 'Daily Papers' header, then entries that end in a '·' line and a date).",
            first.IsBlank ? TextSpan.FromBounds(first.Start, first.End) : first.Content, Codes.UnknownLayout);
    }
}
