using BibServer.Core.Text;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>
/// The plain listing: a topic line, then papers one field per line with no blank lines: title, authors
/// (optional, <c>Last, First, ...</c>), abstract. Nothing marks where a paper starts, so each line is told by
/// its shape: an author list, an abstract (long, or a whole sentence), or a title.
/// </summary>
internal static class PlainListingLayout
{
    /// <summary>
    /// True when the text reads as a plain listing: it does not start like another format (BibTeX, JSON,
    /// YAML, Markdown), it has few blank lines, and somewhere a title line is followed directly by an author
    /// line and an abstract, or by an abstract.
    /// </summary>
    public static bool Looks(ListLine[] lines, List<ListLine> nonBlank, string text)
    {
        var first = nonBlank[0].Text(text);
        if (first[0] is '@' or '{' or '[' or '<' or '%' or '#' or '-' or '*' or '|' or '>') return false;
        var blankInside = lines.Count(l => l.IsBlank && l.Number > nonBlank[0].Number && l.Number < nonBlank[^1].Number);
        if (blankInside * 4 > nonBlank.Count) return false;
        for (var i = 0; i + 1 < nonBlank.Count; i++)
        {
            var title = nonBlank[i].Text(text);
            if (!IsTitleLike(title)) continue;
            var next = nonBlank[i + 1].Text(text);
            if (FieldShapes.IsAbstractLike(next)) return true;
            if (FieldShapes.IsAuthorList(next) && i + 2 < nonBlank.Count && FieldShapes.IsAbstractLike(nonBlank[i + 2].Text(text))) return true;
        }
        return false;
    }

    private static bool IsTitleLike(string line) =>
        line.Length <= 300 && !FieldShapes.IsAbstractLike(line) && !FieldShapes.IsAuthorList(line);

    public static void Read(ListReading reading)
    {
        // Blank lines carry nothing in this layout; a stray one must not split an entry.
        var body = reading.Lines.Where(l => !l.IsBlank).ToList();
        var texts = body.Select(reading.TextOf).ToList();
        var start = 0;

        // The topic is the first line unless that line is already a paper's title, which shows in what
        // follows it: a topic is followed by a title, a title by authors or an abstract.
        if (body.Count >= 2 && IsTitleLike(texts[1])) start = 1;
        else if (body.Count == 1) start = 1;

        var i = start;
        while (i < body.Count)
        {
            var titleLine = body[i];
            var title = texts[i];
            if (!IsTitleLike(title))
            {
                var what = FieldShapes.IsAuthorList(title) ? "an author list" : "an abstract";
                reading.Report(Severity.Warning,
                    $"Line {ListReading.LineNumber(titleLine)} reads like {what}, but no title comes before it; it is not read as part of a paper.",
                    titleLine.Content, PaperListReader.Codes.StrayLines);
                i++;
                continue;
            }
            i++;
            var entry = new EntryFields(titleLine, titleLine.ContentEnd);
            if (i < body.Count && FieldShapes.IsAuthorList(texts[i]))
            {
                entry = entry with { Authors = FieldShapes.ParseAuthors(texts[i]), End = body[i].ContentEnd };
                i++;
            }
            if (i >= body.Count)
            {
                reading.ReportTruncated(titleLine, body[i - 1], "abstract");
                break;
            }

            // The line after title and authors is the abstract, unless it is the next paper's title: a short
            // line that is followed by an author list or an abstract. A short last line is an abstract, as
            // only an abstract can end the file.
            var candidate = texts[i];
            var isNextTitle = IsTitleLike(candidate) && i + 1 < body.Count
                && (FieldShapes.IsAuthorList(texts[i + 1]) || FieldShapes.IsAbstractLike(texts[i + 1]));
            if (isNextTitle)
            {
                reading.ReportMissingAbstract(titleLine);
                reading.Add(entry);
                continue;
            }
            reading.Add(entry with { Abstract = candidate, End = body[i].ContentEnd });
            i++;
        }
    }
}
