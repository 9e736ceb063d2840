using System.Collections.Frozen;
using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>From an entry's raw fields to a <see cref="Paper"/>: CSL type, decoded text, date, identifiers.</summary>
internal static class BibtexMapping
{
    private const int FieldSlots = 64;

    public static Paper ToPaper(string path, BibtexSource source, RawEntry entry, ReadOnlySpan<RawField> fields, DecodeCache cache)
    {
        var location = new SourceLocation(path, source.Utf16(TextSpan.FromBounds(entry.Start, entry.End)), source.Utf16(new TextSpan(entry.KeyStart, entry.KeyLength)));
        if (source is StringSource { Text: var text }) return ToPaper(location, text, entry, fields, fields, source, cache);

        // A file's bytes: the key, the type and the values a paper decodes now are decoded from UTF-8 into the
        // worker's buffer, and the entry read from there; the abstract stays in the bytes (deferred).
        var bytes = ((Utf8Source)source).Bytes;
        var room = entry.KeyLength + entry.TypeLength;
        foreach (var field in fields)
        {
            if (field.Field != BibField.Abstract && field.Value.Composite is null) room += field.Value.Length;
        }
        var chars = cache.Chars(room);
        var local = cache.Fields(fields.Length);
        var at = 0;
        int Put(int start, int length)
        {
            var from = at;
            at += System.Text.Encoding.UTF8.GetChars(bytes.Span.Slice(start, length), chars.AsSpan(at));
            return from;
        }
        var keyStart = Put(entry.KeyStart, entry.KeyLength);
        var typeStart = Put(entry.TypeStart, entry.TypeLength);
        var decodedEntry = entry with { KeyStart = keyStart, KeyLength = typeStart - keyStart, TypeStart = typeStart, TypeLength = at - typeStart };
        for (var i = 0; i < fields.Length; i++)
        {
            var value = fields[i].Value;
            if (value.Composite is not null)
            {
                local[i] = fields[i];
                continue;
            }
            if (fields[i].Field == BibField.Abstract)
            {
                // Read only from the bytes, when asked (Fields.Deferred); an empty slice here keeps any other reader in bounds.
                local[i] = fields[i] with { Value = new RawValue(0, 0, "") };
                continue;
            }
            var start = Put(value.Start, value.Length);
            local[i] = fields[i] with { Value = new RawValue(start, at - start, null) };
        }
        return ToPaper(location, chars.AsSpan(0, at), decodedEntry, local.AsSpan(0, fields.Length), fields, source, cache);
    }

    /// <summary>
    /// An entry whose key, type and <paramref name="fields"/> are in <paramref name="text"/> (the abstract aside);
    /// <paramref name="origin"/> holds the same fields as the scan found them in the source, for what is deferred.
    /// </summary>
    private static Paper ToPaper(SourceLocation location, ReadOnlySpan<char> text, RawEntry entry, ReadOnlySpan<RawField> fields,
        ReadOnlySpan<RawField> origin, BibtexSource source, DecodeCache cache)
    {
        // Slot n holds 1 + the index of field n, so a zeroed table means "absent".
        Span<int> slots = stackalloc int[FieldSlots];
        for (var i = 0; i < fields.Length; i++)
        {
            ref var slot = ref slots[(int)fields[i].Field];
            if (slot == 0) slot = i + 1;
        }
        var f = new Fields(text, fields, origin, source, slots, cache);

        var key = text.Slice(entry.KeyStart, entry.KeyLength).ToString();
        var bibType = text.Slice(entry.TypeStart, entry.TypeLength);

        var title = Join(f.Text(BibField.Title), f.Text(BibField.Subtitle)) ?? "";
        var authors = f.Has(BibField.Author) ? BibtexPersons.Parse(f.Raw(BibField.Author), cache) : ImmutableArray<Person>.Empty;
        var editors = f.Has(BibField.Editor) ? BibtexPersons.Parse(f.Raw(BibField.Editor), cache) : ImmutableArray<Person>.Empty;
        var journal = f.Shared(BibField.JournalTitle) ?? f.Shared(BibField.Journal);
        var bookTitle = Join(f.Shared(BibField.BookTitle), f.Shared(BibField.BookSubtitle));
        var howPublished = f.Shared(BibField.HowPublished);
        var url = f.Has(BibField.Url) ? Verbatim(f.Raw(BibField.Url)) : UrlIn(howPublished, f, BibField.HowPublished);
        if (url is not null && howPublished is not null && f.Raw(BibField.HowPublished).Contains("\\url", StringComparison.Ordinal)) howPublished = null;
        var doi = f.Has(BibField.Doi) ? Doi(Verbatim(f.Raw(BibField.Doi))) : null;
        var arxiv = ArxivId(f, url, doi, journal);

        var venue = journal ?? bookTitle ?? f.Shared(BibField.EventTitle) ?? f.Shared(BibField.School) ?? f.Shared(BibField.Institution)
            ?? f.Shared(BibField.Organization) ?? f.Shared(BibField.Publisher) ?? howPublished;

        var organization = authors.Length == 1 && authors[0].Literal is { } literal && literal != BibtexPersons.Others ? literal : null;

        return new Paper
        {
            Key = key,
            KeyOrigin = KeyOrigin.Source,
            Type = CslType(bibType, arxiv, journal, url),
            Title = title,
            CslRichText = RichTitles(source, f, journal is null && bookTitle is not null, url is null ? EprintUrl(f) : null),
            Authors = authors,
            Editors = editors,
            Organization = organization,
            Date = Date(f),
            Venue = venue,
            DeferredAbstract = f.Deferred(BibField.Abstract),
            Url = url,
            Doi = doi,
            ArxivId = arxiv,
            Fields = OtherFields(f, bibType),
            Location = location,
        };
    }

    /// <summary>The entry's fields by kind; the first of a kind wins, as in BibTeX.</summary>
    private readonly ref struct Fields(ReadOnlySpan<char> text, ReadOnlySpan<RawField> fields, ReadOnlySpan<RawField> origin, BibtexSource source,
        Span<int> slots, DecodeCache cache)
    {
        private readonly DecodeCache _cache = cache;
        private readonly ReadOnlySpan<char> _text = text;
        private readonly ReadOnlySpan<RawField> _fields = fields;
        private readonly ReadOnlySpan<RawField> _origin = origin;
        private readonly BibtexSource _source = source;
        private readonly Span<int> _slots = slots;

        public bool Has(BibField field) => _slots[(int)field] != 0;

        /// <summary>The worker's scratch array for a paper's other fields (names and values).</summary>
        public string[] Scratch => _cache.FieldScratch;

        /// <summary>The value as the scan found it in the source (for what is decoded later, from there).</summary>
        public RawValue Value(BibField field) => _origin[_slots[(int)field] - 1].Value;

        public ReadOnlySpan<char> Raw(BibField field) =>
            _slots[(int)field] is var slot and > 0 ? _fields[slot - 1].Value.Span(_text) : default;

        /// <summary>The decoded text, or null when the field is absent or empty.</summary>
        public string? Text(BibField field)
        {
            if (!Has(field)) return null;
            var decoded = LatexDecoder.Decode(Raw(field));
            return decoded.Length == 0 ? null : decoded;
        }

        /// <summary>Like <see cref="Text"/>, decoded only when read: for long fields that are rarely shown.</summary>
        public DeferredText? Deferred(BibField field)
        {
            if (!Has(field)) return null;
            var value = _origin[_slots[(int)field] - 1].Value;
            return value.Length == 0 && value.Composite is null ? null : _source.Deferred(value);
        }

        /// <summary>Like <see cref="Text"/>, for values that recur across entries (journals, publishers, years): decoded once and shared.</summary>
        public string? Shared(BibField field)
        {
            if (!Has(field)) return null;
            var decoded = _cache.Text(Raw(field));
            return decoded.Length == 0 ? null : decoded;
        }

        /// <summary>The raw value with outer space and case-protecting braces removed, for short codes (eprinttype, month).</summary>
        public ReadOnlySpan<char> Bare(BibField field)
        {
            var raw = LatexDecoder.Trim(Raw(field));
            while (raw.Length >= 2 && raw[0] == '{' && raw[^1] == '}') raw = LatexDecoder.Trim(raw[1..^1]);
            return raw;
        }
    }

    /// <summary>
    /// The raw title, book title and series, written as pandoc's reader hands them to citeproc when read
    /// (<see cref="TitleMarkup"/>); the book title only when it is the paper's venue (a journal is not
    /// sentence-cased by pandoc, and is the venue when both are given).
    /// </summary>
    private static RichTitleValue? RichTitles(BibtexSource source, in Fields f, bool bookTitleIsVenue, string? eprintUrl)
    {
        if (!f.Has(BibField.Title) && !(bookTitleIsVenue && f.Has(BibField.BookTitle)) && !f.Has(BibField.Series) && eprintUrl is null) return null;
        RawValue? Get(in Fields f, BibField field) => f.Has(field) ? f.Value(field) : null;
        var english = TitleMarkup.IsEnglish(f.Has(BibField.LangId) ? f.Bare(BibField.LangId) : f.Bare(BibField.Hyphenation));
        ReadOnlySpan<RawValue?> values = [Get(f, BibField.Title), Get(f, BibField.Subtitle),
            bookTitleIsVenue ? Get(f, BibField.BookTitle) : null, bookTitleIsVenue ? Get(f, BibField.BookSubtitle) : null, Get(f, BibField.Series)];
        // Kept as the source reads them later: for a part of a large file, their places in the file, with a hash to check them by.
        var subtitle = source.Keep(values[1]);
        var bookSubtitle = source.Keep(values[3]);
        var series = source.Keep(values[4]);
        var rare = subtitle is null && bookSubtitle is null && series is null && eprintUrl is null ? null : new RichTitleValue.Rare(subtitle, bookSubtitle, series, eprintUrl);
        return new RichTitleValue(source.Kept, RichTitleValue.Given(source.Keep(values[0])), RichTitleValue.Given(source.Keep(values[2])), rare)
        { English = english, Stamp = source.Stamp(values) };
    }

    /// <summary>
    /// The URL pandoc's BibTeX reader makes of an entry's eprint when it has no url: for an arXiv, JSTOR, PubMed or
    /// Google Books eprint, that site's page (<c>http://arxiv.org/abs/</c> and the eprint as written).
    /// </summary>
    private static string? EprintUrl(in Fields f)
    {
        if (!f.Has(BibField.Eprint)) return null;
        var type = f.Has(BibField.EprintType) ? f.Bare(BibField.EprintType) : f.Bare(BibField.ArchivePrefix);
        var site = type.ToString().ToLowerInvariant() switch
        {
            "arxiv" => "http://arxiv.org/abs/",
            "jstor" => "http://www.jstor.org/stable/",
            "pubmed" => "http://www.ncbi.nlm.nih.gov/pubmed/",
            "googlebooks" => "http://books.google.com?id=",
            _ => null,
        };
        var eprint = LatexDecoder.Trim(f.Raw(BibField.Eprint));
        return site is null || eprint.IsEmpty ? null : site + new string(eprint);
    }

    /// <summary>
    /// A paper's rich titles as their places in the source, decoded when a render asks for them. One is kept for
    /// every paper read from BibTeX until the library's cache replaces the read, so it is laid out small: the title
    /// and the book title (most entries have one or both) as ranges with no "has a value" flag (an absent one starts
    /// before the text), and what few entries have (a subtitle, a series, an eprint's URL) in <see cref="Rare"/>, only
    /// where there is one: 80 bytes for most papers instead of 168 (docs/benchmarks.md).
    /// </summary>
    private sealed record RichTitleValue(BibtexSource Source, RawValue Title, RawValue BookTitle, RichTitleValue.Rare? More)
        : DeferredFields
    {
        /// <summary>The subtitles, the series and the URL an eprint makes (<see cref="EprintUrl(in Fields)"/>), handed to citeproc as pandoc's reader hands them.</summary>
        public sealed record Rare(RawValue? Subtitle, RawValue? BookSubtitle, RawValue? Series, string? EprintUrl);

        private static readonly RawValue Absent = new(-1, 0, null);

        /// <summary>A value as kept here: an absent one as <see cref="Absent"/>.</summary>
        public static RawValue Given(RawValue? value) => value ?? Absent;

        private static RawValue? Value(RawValue kept) => kept.Start < 0 ? null : kept;

        /// <summary>Whether the titles are English (pandoc sentence-cases only those).</summary>
        public bool English { get; init; }

        /// <summary>The hash of the raw values' bytes, where they are read from a file that may change (<see cref="BibtexSource.Stamp"/>).</summary>
        public ulong Stamp { get; init; }

        public override FieldMap Decode()
        {
            try
            {
                // A file changed in place since it was read gives no rich titles (the plain ones stand) until it is read again.
                if (!Source.Holds(Stamp, [Value(Title), More?.Subtitle, Value(BookTitle), More?.BookSubtitle, More?.Series])) return FieldMap.Empty;
                return DecodeHeld();
            }
            catch (Exception e) when (e is IOException or ArgumentOutOfRangeException or ObjectDisposedException)
            {
                return FieldMap.Empty;
            }
        }

        private FieldMap DecodeHeld()
        {
            var pairs = new List<string>(6);
            void Put(string name, string? value)
            {
                if (value is null) return;
                pairs.Add(name);
                pairs.Add(value);
            }
            Put("title", Joined(Value(Title), More?.Subtitle));
            Put("container-title", Joined(Value(BookTitle), More?.BookSubtitle));
            Put("collection-title", Joined(More?.Series, null));
            Put("URL", More?.EprintUrl);
            return FieldMap.FromPairs(pairs.ToArray());
        }

        private string? Joined(RawValue? main, RawValue? sub)
        {
            string? Write(RawValue? raw) => raw is { } r && TitleMarkup.Write(Source.Span(r), English) is { Length: > 0 } w ? w : null;
            var title = Write(main);
            var subtitle = Write(sub);
            if (title is null || subtitle is null) return title ?? subtitle;
            return Join(title, subtitle, LatexDecoder.Decode(Source.Span(main!.Value)));
        }

        public bool Equals(RichTitleValue? other) =>
            other is not null && Source.Equals(other.Source) && English == other.English && Title == other.Title && BookTitle == other.BookTitle
            && More == other.More;

        public override int GetHashCode() => Title.GetHashCode();
    }

    private static string? Join(string? title, string? subtitle, string? plainTitle = null)
    {
        if (subtitle is null) return title;
        if (title is null) return subtitle;
        // The plain title decides: rich text may end with markup.
        plainTitle ??= title;
        // "Title: Subtitle", unless the title already ends with its own punctuation.
        return plainTitle[^1] is '?' or '!' or ':' or '.' ? title + " " + subtitle : title + ": " + subtitle;
    }

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Types =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["article"] = "article-journal",
            ["periodical"] = "periodical",
            ["suppperiodical"] = "article-journal",
            ["inproceedings"] = "paper-conference",
            ["conference"] = "paper-conference",
            ["proceedings"] = "book",
            ["mvproceedings"] = "book",
            ["book"] = "book",
            ["mvbook"] = "book",
            ["collection"] = "book",
            ["mvcollection"] = "book",
            ["reference"] = "book",
            ["mvreference"] = "book",
            ["booklet"] = "pamphlet",
            ["manual"] = "book",
            ["inbook"] = "chapter",
            ["incollection"] = "chapter",
            ["bookinbook"] = "chapter",
            ["suppbook"] = "chapter",
            ["suppcollection"] = "chapter",
            ["inreference"] = "entry-encyclopedia",
            ["phdthesis"] = "thesis",
            ["mastersthesis"] = "thesis",
            ["thesis"] = "thesis",
            ["techreport"] = "report",
            ["report"] = "report",
            ["unpublished"] = "manuscript",
            ["online"] = "webpage",
            ["electronic"] = "webpage",
            ["www"] = "webpage",
            ["patent"] = "patent",
            ["dataset"] = "dataset",
            ["software"] = "software",
            ["standard"] = "standard",
            ["artwork"] = "graphic",
            ["image"] = "graphic",
            ["audio"] = "song",
            ["music"] = "song",
            ["video"] = "motion_picture",
            ["movie"] = "motion_picture",
            ["letter"] = "personal_communication",
            ["jurisdiction"] = "legal_case",
            ["legislation"] = "legislation",
            ["review"] = "review",
            ["performance"] = "performance",
            ["misc"] = "misc",
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// The CSL type. A journal article that is really an arXiv preprint (no journal, or "arXiv preprint",
    /// or DBLP's "CoRR") is an "article"; a misc entry is a preprint with an arXiv id, a web page with a
    /// URL, and otherwise a "document". Unknown entry types read as misc, as BibTeX styles treat them.
    /// </summary>
    private static string CslType(ReadOnlySpan<char> bibType, string? arxiv, string? journal, string? url)
    {
        var type = Types.TryGetValue(bibType, out var known) ? known : "misc";
        if (type == "article-journal" && arxiv is not null && bibType.Equals("article", StringComparison.OrdinalIgnoreCase)
            && (journal is null || journal.Contains("arxiv", StringComparison.OrdinalIgnoreCase) || journal == "CoRR"))
        {
            return "article";
        }
        if (type != "misc") return type;
        if (arxiv is not null) return "article";
        if (url is not null) return "webpage";
        return "document";
    }

    private static PaperDate? Date(in Fields f)
    {
        if (f.Has(BibField.Date))
        {
            var raw = f.Text(BibField.Date);
            if (raw is not null) return IsoDate(raw);
        }
        if (!f.Has(BibField.Year)) return null;
        var yearText = f.Shared(BibField.Year);
        if (yearText is null) return null;
        var digits = 0;
        while (digits < yearText.Length && digits < 4 && char.IsAsciiDigit(yearText[digits])) digits++;
        int? year = digits >= 3 && (digits == yearText.Length || !char.IsAsciiDigit(yearText[digits])) ? int.Parse(yearText.AsSpan(0, digits)) : null;
        int? month = year is not null && f.Has(BibField.Month) ? Month(f.Bare(BibField.Month)) : null;
        return new PaperDate(year, month, null, yearText);
    }

    /// <summary>BibLaTeX's ISO 8601 dates: 2024, 2024-03, 2024-03-01, ranges (the start is taken), 2024~ (approximate).</summary>
    private static PaperDate IsoDate(string raw)
    {
        var s = raw.AsSpan();
        if (!TryDigits(s, 0, 4, out var year)) return new PaperDate(null, null, null, raw);
        int? month = null;
        int? day = null;
        if (s.Length > 4 && s[4] == '-' && TryDigits(s, 5, 2, out var m) && m is >= 1 and <= 12)
        {
            month = m;
            if (s.Length > 7 && s[7] == '-' && TryDigits(s, 8, 2, out var d) && d is >= 1 and <= 31) day = d;
        }
        return new PaperDate(year, month, day, raw);
    }

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (s.Length < start + count) return false;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }
        return s.Length == start + count || !char.IsAsciiDigit(s[start + count]);
    }

    private static readonly string[] MonthPrefixes = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>A month from "11", "nov", "November" or "Nov."; null for anything else.</summary>
    private static int? Month(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return null;
        if (char.IsAsciiDigit(s[0]))
        {
            return int.TryParse(s, out var n) && n is >= 1 and <= 12 ? n : null;
        }
        if (s.Length < 3) return null;
        for (var m = 0; m < 12; m++)
        {
            if (s[..3].Equals(MonthPrefixes[m], StringComparison.OrdinalIgnoreCase)) return m + 1;
        }
        return null;
    }

    /// <summary>
    /// URLs and DOIs are verbatim in BibLaTeX, but plain BibTeX users escape them (<c>\_</c>, <c>\%</c>)
    /// and some wrap them in <c>\url{}</c>: both are undone, and space is dropped.
    /// </summary>
    internal static string? Verbatim(ReadOnlySpan<char> raw)
    {
        raw = LatexDecoder.Trim(raw);
        if (raw.StartsWith("\\url{", StringComparison.Ordinal) && raw.EndsWith("}")) raw = raw[5..^1];
        if (raw.IndexOfAny("\\{} \t\r\n") < 0) return raw.IsEmpty ? null : new string(raw);
        Span<char> buffer = raw.Length <= 512 ? stackalloc char[raw.Length] : new char[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c is '{' or '}' || LatexDecoder.IsSpace(c)) continue;
            if (c == '\\' && i + 1 < raw.Length && raw[i + 1] is '_' or '%' or '&' or '#' or '$' or '~' or '/')
            {
                buffer[n++] = raw[++i];
                continue;
            }
            buffer[n++] = c;
        }
        return n == 0 ? null : new string(buffer[..n]);
    }

    private static string? UrlIn(string? howPublished, in Fields f, BibField field)
    {
        if (howPublished is null) return null;
        var raw = f.Raw(field);
        var at = raw.IndexOf("\\url{", StringComparison.Ordinal);
        if (at < 0) return null;
        var rest = raw[(at + 5)..];
        var end = rest.IndexOf('}');
        return end < 0 ? null : Verbatim(rest[..end]);
    }

    private static readonly string[] DoiPrefixes = ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"];

    private static string? Doi(string? doi)
    {
        if (doi is null) return null;
        foreach (var prefix in DoiPrefixes)
        {
            if (doi.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return doi[prefix.Length..];
        }
        return doi;
    }

    /// <summary>
    /// The arXiv identifier: <c>eprint</c> when <c>eprinttype</c> or <c>archiveprefix</c> says arXiv (or
    /// when it has the shape of a modern arXiv id and no type); Mendeley's <c>arxivid</c>; an arxiv.org
    /// URL; an arXiv DOI (10.48550/arXiv.*); or "arXiv:id" in the journal, as Google Scholar writes it.
    /// </summary>
    private static string? ArxivId(in Fields f, string? url, string? doi, string? journal)
    {
        if (f.Has(BibField.Eprint))
        {
            var eprint = StripArxivPrefix(f.Bare(BibField.Eprint));
            var type = f.Has(BibField.EprintType) ? f.Bare(BibField.EprintType) : f.Bare(BibField.ArchivePrefix);
            var typed = !type.IsEmpty;
            if (typed && type.Equals("arxiv", StringComparison.OrdinalIgnoreCase) || !typed && ArxivIdLength(eprint) == eprint.Length && eprint.Length > 0)
            {
                if (!eprint.IsEmpty) return new string(eprint);
            }
        }
        // Mendeley's arxivid is sometimes filled with a DOI, so it counts only when it has an arXiv id's shape.
        if (f.Has(BibField.ArxivId))
        {
            var id = StripArxivPrefix(f.Bare(BibField.ArxivId));
            if (id.Length > 0 && ArxivIdLength(id) == id.Length) return new string(id);
        }
        if (url is not null)
        {
            var s = url.AsSpan();
            var at = s.IndexOf("arxiv.org/", StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                var rest = s[(at + 10)..];
                if (rest.StartsWith("abs/") || rest.StartsWith("pdf/"))
                {
                    rest = rest[4..];
                    var length = ArxivIdLength(rest);
                    if (length > 0) return new string(rest[..length]);
                }
            }
        }
        if (doi is not null && doi.StartsWith("10.48550/arXiv.", StringComparison.OrdinalIgnoreCase))
        {
            return doi["10.48550/arXiv.".Length..];
        }
        if (journal is not null)
        {
            var s = journal.AsSpan();
            var at = s.IndexOf("arXiv:", StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                var rest = s[(at + 6)..].TrimStart();
                var length = ArxivIdLength(rest);
                if (length > 0) return new string(rest[..length]);
            }
        }
        return null;
    }

    private static ReadOnlySpan<char> StripArxivPrefix(ReadOnlySpan<char> s) =>
        s.StartsWith("arxiv:", StringComparison.OrdinalIgnoreCase) ? s[6..].Trim() : s;

    /// <summary>The length of an arXiv id at the start of <paramref name="s"/> (2401.12345v2, hep-th/9901001), or 0.</summary>
    internal static int ArxivIdLength(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == 4 && i < s.Length && s[i] == '.')
        {
            var j = i + 1;
            while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
            if (j - i - 1 is < 4 or > 5) return 0;
            return WithVersion(s, j);
        }
        // The old scheme: archive(.SUBJECT)/YYMMNNN.
        i = 0;
        while (i < s.Length && (char.IsAsciiLetterLower(s[i]) || s[i] == '-')) i++;
        if (i == 0) return 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiLetterUpper(s[i])) i++;
        }
        if (i >= s.Length || s[i] != '/') return 0;
        var k = i + 1;
        while (k < s.Length && char.IsAsciiDigit(s[k])) k++;
        return k - i - 1 == 7 ? WithVersion(s, k) : 0;
    }

    private static int WithVersion(ReadOnlySpan<char> s, int end)
    {
        if (end + 1 < s.Length && s[end] == 'v' && char.IsAsciiDigit(s[end + 1]))
        {
            end++;
            while (end < s.Length && char.IsAsciiDigit(s[end])) end++;
        }
        return end;
    }

    /// <summary>
    /// A thesis's genre as pandoc's reader gives it: the <c>type</c> field, BibLaTeX's keys for the common
    /// kinds spelled out, and for <c>@phdthesis</c> and <c>@mastersthesis</c> without one, their kind.
    /// </summary>
    private static string? Genre(string? type, ReadOnlySpan<char> bibType)
    {
        var key = type ?? (bibType.Equals("phdthesis", StringComparison.OrdinalIgnoreCase) ? "phdthesis"
            : bibType.Equals("mastersthesis", StringComparison.OrdinalIgnoreCase) ? "mastersthesis" : null);
        return key?.ToLowerInvariant() switch
        {
            "phdthesis" => "PhD thesis",
            "mastersthesis" or "mathesis" => "Master’s thesis",
            _ => type,
        };
    }

    private static FieldMap OtherFields(in Fields f, ReadOnlySpan<char> bibType)
    {
        // Gathered in the worker's scratch array and copied once to an array of the exact size: growing lists
        // per paper (and copying them into the map) was a tenth of reading a large library.
        var pairs = f.Scratch;
        var count = 0;
        void Put(string name, string? value)
        {
            if (value is null) return;
            pairs[count++] = name;
            pairs[count++] = value;
        }

        Put("volume", f.Shared(BibField.Volume));
        var periodical = bibType.Equals("article", StringComparison.OrdinalIgnoreCase)
            || bibType.Equals("periodical", StringComparison.OrdinalIgnoreCase)
            || bibType.Equals("suppperiodical", StringComparison.OrdinalIgnoreCase);
        if (f.Has(BibField.Issue))
        {
            Put("issue", f.Shared(BibField.Issue));
            Put("number", f.Shared(BibField.Number));
        }
        else
        {
            Put(periodical ? "issue" : "number", f.Shared(BibField.Number));
        }
        Put("page", f.Text(BibField.Pages));
        // CSL has no school or institution: for theses and reports they are the publisher.
        Put("publisher", f.Shared(BibField.Publisher) ?? f.Shared(BibField.School) ?? f.Shared(BibField.Institution) ?? f.Shared(BibField.Organization));
        Put("publisher-place", f.Shared(BibField.Location) ?? f.Shared(BibField.Address));
        Put("edition", f.Shared(BibField.Edition));
        Put("collection-title", f.Shared(BibField.Series));
        Put("ISBN", f.Text(BibField.Isbn));
        Put("ISSN", f.Text(BibField.Issn));
        Put("note", f.Text(BibField.Note));
        Put("language", f.Shared(BibField.Language));
        Put("keyword", f.Shared(BibField.Keywords));
        Put("genre", Genre(f.Shared(BibField.Type), bibType));
        Put("chapter-number", f.Shared(BibField.Chapter));
        Put("number-of-pages", f.Shared(BibField.PageTotal));
        Put("event-title", f.Shared(BibField.EventTitle));
        Put("event-place", f.Shared(BibField.Venue));
        Put("accessed", f.Shared(BibField.UrlDate));
        Put("version", f.Shared(BibField.Version));
        Put("title-short", f.Text(BibField.ShortTitle));
        Put("container-title-short", f.Shared(BibField.ShortJournal));
        Put("PMID", f.Text(BibField.Pmid));
        Put("PMCID", f.Text(BibField.Pmcid));
        return FieldMap.FromPairs(pairs.AsSpan(0, count));
    }
}
