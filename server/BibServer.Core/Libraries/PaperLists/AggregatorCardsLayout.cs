using BibServer.Core.Text;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>
/// The aggregator cards: a header (<c>Goto</c>, <c>Collaborating Authors</c>, the indented topic), then one
/// card per paper. A card's fields are separated by single blank lines, cards by two or more: title, authors
/// (optional), venue, abstract.
/// </summary>
internal static class AggregatorCardsLayout
{
    public static bool IsHeaderLine(string line) =>
        line.Equals("Goto", StringComparison.OrdinalIgnoreCase)
        || line.Equals("Collaborating Authors", StringComparison.OrdinalIgnoreCase);

    /// <summary>A field: one or more lines with no blank line between them.</summary>
    private sealed record Field(List<ListLine> Lines)
    {
        public ListLine First => Lines[0];

        public ListLine Last => Lines[^1];
    }

    /// <summary>
    /// True for cards whose header was lost: some block has a title, then perhaps authors, then a venue and an
    /// abstract, each field set off by a blank line.
    /// </summary>
    public static bool LooksHeaderless(ListLine[] lines, string text)
    {
        foreach (var block in Blocks(lines))
        {
            var texts = block.Select(f => string.Join(' ', f.Lines.Select(l => l.Text(text)))).ToList();
            for (var i = 0; i + 2 < texts.Count; i++)
            {
                var j = i + 1;
                if (FieldShapes.IsAuthorList(texts[j])) j++;
                if (j + 1 < texts.Count && FieldShapes.IsVenueLike(texts[j]) && FieldShapes.IsAbstractLike(texts[j + 1])) return true;
            }
        }
        return false;
    }

    public static void Read(ListReading reading)
    {
        var blocks = Blocks(reading.Lines);
        SkipHeader(reading, blocks);
        for (var b = 0; b < blocks.Count; b++)
        {
            var fields = blocks[b];
            var i = 0;
            while (i < fields.Count)
            {
                i = ReadCard(reading, fields, i, isLastBlock: b == blocks.Count - 1);
            }
        }
    }

    /// <summary>
    /// Reads one card from a block, starting at field <paramref name="i"/>, and returns where the next card
    /// would start. A block normally holds one card; one that holds more (two cards with a single blank line
    /// between) is read card by card, each ending at its abstract.
    /// </summary>
    private static int ReadCard(ListReading reading, List<Field> fields, int i, bool isLastBlock)
    {
        var title = fields[i];
        var j = i + 1;
        var entry = new EntryFields(title.First, title.Last.ContentEnd)
        {
            TitleText = reading.JoinedText(title.Lines),
        };
        string Text(Field f) => reading.JoinedText(f.Lines);

        // Authors are recognised by their shape; with exactly a title, something, a venue and an abstract the
        // place alone says they are authors (a name the shape test does not know, such as a single name).
        if (j < fields.Count && (FieldShapes.IsAuthorList(Text(fields[j]))
            || (fields.Count - i == 4 && FieldShapes.IsVenueLike(Text(fields[j + 1])) && !FieldShapes.IsAbstractLike(Text(fields[j])))))
        {
            entry = entry with { Authors = FieldShapes.ParseAuthors(Text(fields[j])), End = fields[j].Last.ContentEnd };
            j++;
        }
        if (j < fields.Count && FieldShapes.IsVenueLike(Text(fields[j])))
        {
            entry = entry with { Venue = Text(fields[j]), End = fields[j].Last.ContentEnd };
            j++;
        }
        if (j < fields.Count)
        {
            // The abstract is kept as the file has it, line breaks included if it runs over several lines.
            var abstractField = fields[j];
            entry = entry with { Abstract = reading.TextOf(abstractField.First, abstractField.Last), End = abstractField.Last.ContentEnd };
            reading.Add(entry);
            return j + 1;
        }

        var lastField = fields[j - 1];
        if (isLastBlock)
        {
            reading.ReportTruncated(title.First, lastField.Last, "abstract");
        }
        else if (j == i + 1)
        {
            reading.Report(Severity.Warning,
                $"Line {ListReading.LineNumber(title.First)} stands alone in its block, so it is not read as a paper: a card has a title, authors (optional), a venue and an abstract, separated by blank lines.",
                TextSpan.FromBounds(title.First.ContentStart, title.Last.ContentEnd), PaperListReader.Codes.StrayLines);
        }
        else
        {
            reading.ReportMissingAbstract(title.First);
            reading.Add(entry);
        }
        return j;
    }

    /// <summary>
    /// Leaves out the header: the <c>Goto</c> and <c>Collaborating Authors</c> lines and the topic after them,
    /// which is indented or stands alone in its block.
    /// </summary>
    private static void SkipHeader(ListReading reading, List<List<Field>> blocks)
    {
        var sawHeader = false;
        while (blocks.Count > 0)
        {
            var block = blocks[0];
            while (block.Count > 0)
            {
                var field = block[0];
                var text = reading.JoinedText(field.Lines);
                if (IsHeaderLine(text))
                {
                    sawHeader = true;
                    block.RemoveAt(0);
                    continue;
                }
                if (sawHeader && field.Lines.Count == 1 && (field.First.IsIndented || block.Count == 1) && !FieldShapes.IsAbstractLike(text))
                {
                    // The topic ends the header.
                    block.RemoveAt(0);
                    if (block.Count == 0) blocks.RemoveAt(0);
                    return;
                }
                return;
            }
            blocks.RemoveAt(0);
            if (!sawHeader) return;
        }
    }

    /// <summary>Groups lines into blocks (split at two or more blank lines) of fields (split at one).</summary>
    private static List<List<Field>> Blocks(ListLine[] lines)
    {
        var blocks = new List<List<Field>>();
        var block = new List<Field>();
        List<ListLine>? field = null;
        var blanks = 0;
        foreach (var line in lines)
        {
            if (line.IsBlank)
            {
                blanks++;
                field = null;
                continue;
            }
            if (blanks >= 2 && block.Count > 0)
            {
                blocks.Add(block);
                block = [];
            }
            blanks = 0;
            if (field is null)
            {
                field = [];
                block.Add(new Field(field));
            }
            field.Add(line);
        }
        if (block.Count > 0) blocks.Add(block);
        return blocks;
    }
}
