using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// A field value before decoding: a slice of the file (the inside of one <c>{...}</c> or <c>"..."</c>, a
/// number) or, when the value used <c>#</c> or a macro, the raw text those made. Decoding waits until a
/// paper is built, and fields nobody reads are never decoded.
/// </summary>
internal readonly record struct RawValue(int Start, int Length, string? Composite)
{
    public ReadOnlySpan<char> Span(string text) => Composite is null ? text.AsSpan(Start, Length) : Composite.AsSpan();

    public ReadOnlySpan<char> Span(ReadOnlySpan<char> text) => Composite is null ? text.Slice(Start, Length) : Composite.AsSpan();
}

/// <summary>A field BibServer reads, with where its name starts (for messages) and its raw value.</summary>
internal readonly record struct RawField(BibField Field, int NameStart, RawValue Value);

/// <summary>One entry as the scanner found it: its span, type, key, and a range of the scan's fields.</summary>
internal readonly record struct RawEntry(
    int Start,
    int End,
    int TypeStart,
    int TypeLength,
    int KeyStart,
    int KeyLength,
    int FirstField,
    int FieldCount);

internal sealed record BibtexScan(List<RawEntry> Entries, RawField[] Fields, List<Problem> Problems);

/// <summary>What a scan of one part of a file found, the @string macros defined at its end, and where it stopped.</summary>
internal sealed record BibtexScanPart(BibtexScan Scan, int FieldCount, IReadOnlyDictionary<string, string> Macros, int StoppedAt);

/// <summary>
/// The single pass over a .bib file. It finds entries, keys and the fields BibServer uses, keeps every
/// value as an offset range, and recovers from damage the way a person reading the file would: a value
/// that swallowed the fields after it is cut back to its own line, and an entry that cannot be closed
/// ends where the next line starting with <c>@type{</c> begins. It reads a string (<c>char</c>, an editor's
/// buffer) or a file's UTF-8 bytes (<c>byte</c>) alike: the syntax is ASCII, every byte of a character beyond
/// ASCII is 0x80 or more and so reads as such a character does, and offsets are then bytes
/// (<see cref="BibtexSource"/> turns them into UTF-16).
/// </summary>
internal sealed class BibtexScanner<T> where T : unmanaged, IBinaryInteger<T>
{
    private static readonly SearchValues<T> BraceStops = Values("{}\n");
    private static readonly SearchValues<T> QuoteStops = Values("{}\"\\\n");

    // BibTeX's identifiers: any printable character but these.
    private const string NotIdentifierText = "\"#%'(),={}@\\~ \t\r\n\f\v";
    private static readonly SearchValues<T> NotIdentifier = Values(NotIdentifierText);
    private static readonly SearchValues<char> NotIdentifierChar = SearchValues.Create(NotIdentifierText);

    private static SearchValues<T> Values(string ascii) => typeof(T) == typeof(char)
        ? (SearchValues<T>)(object)SearchValues.Create(ascii)
        : (SearchValues<T>)(object)SearchValues.Create(Encoding.ASCII.GetBytes(ascii));

    /// <summary>One element as a character: itself, or a byte as the Latin-1 character of its value (ASCII stays ASCII).</summary>
    private static char C(T value) => (char)ushort.CreateTruncating(value);

    private static T E(char c) => T.CreateTruncating(c);

    /// <summary>A slice as text, for messages, macro names and values.</summary>
    private static string Str(ReadOnlySpan<T> slice) => typeof(T) == typeof(char)
        ? new string(MemoryMarshal.Cast<T, char>(slice))
        : Encoding.UTF8.GetString(MemoryMarshal.Cast<T, byte>(slice));

    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private readonly ReadOnlyMemory<T> _text;
    private readonly List<RawEntry> _entries;
    private readonly List<Problem> _problems = new();
    private readonly Dictionary<string, string> _macros = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _macroLookup;
    private char[] _nameBuffer = new char[64];
    private RawField[] _fields;
    private int _fieldCount;
    private int _headAt;
    private int _headTypeEnd;
    private int _headKeyStart;
    private int _headKeyLength;
    private int _lineCountedTo;
    private int _lineCount = 1;

    // A part of the file (BibtexSplitScan): the scan starts at _start and stops at the first '@' it meets at or
    // after _stop, noting where (_stoppedAt); everything else sees the whole text, as a scan of the whole file does.
    private readonly int _start;
    private readonly int _stop;
    private int _stoppedAt;

    private BibtexScanner(ReadOnlyMemory<T> text, int start = 0, int stop = int.MaxValue, IReadOnlyDictionary<string, string>? macros = null,
        BibtexScan? reuse = null)
    {
        _text = text;
        _start = start;
        _stop = stop;
        var length = Math.Min(stop, text.Length) - start;
        // Typical entries hold one field BibServer reads per 60-100 characters; starting near that size
        // saves most of the copies a growing array makes on large files.
        _fields = reuse?.Fields is { } fields && fields.Length >= length / 96 ? fields : new RawField[Math.Max(256, length / 96)];
        _entries = reuse?.Entries ?? new List<RawEntry>(Math.Max(16, length / 1024));
        _entries.Clear();
        if (macros is not null)
        {
            foreach (var (name, value) in macros) _macros[name] = value;
        }
        else
        {
            string[] abbreviations = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
            for (var m = 0; m < 12; m++) _macros[abbreviations[m]] = MonthNames[m];
        }
        _macroLookup = _macros.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static BibtexScan Scan(ReadOnlyMemory<T> text)
    {
        var scanner = new BibtexScanner<T>(text);
        scanner.Run();
        // The fields array is sized ahead and may be longer than the fields found: entries address theirs by
        // range, and the scan lives only while the papers are built, so it is not copied to its exact length.
        return new BibtexScan(scanner._entries, scanner._fields, scanner._problems);
    }

    /// <summary>
    /// Scans from <paramref name="start"/> (where a scan of the whole file is between entries) with these macros
    /// defined, until the first <c>@</c> at or after <paramref name="stop"/>: <see cref="BibtexScanPart.StoppedAt"/>
    /// is where that is (the text's length when there is none), which is where a scan of the whole file would go on.
    /// </summary>
    /// <remarks>
    /// With <paramref name="reuse"/>, a scan whose papers are built and which nobody reads any more, its arrays are
    /// scanned into again (a file read in parts, <see cref="BibtexPartsRead"/>): the parts of a 150 MB file made
    /// 40 MB of field arrays that lived only while each part's papers were built.
    /// </remarks>
    internal static BibtexScanPart ScanPart(ReadOnlyMemory<T> text, int start, int stop, IReadOnlyDictionary<string, string>? macros, BibtexScan? reuse = null)
    {
        var scanner = new BibtexScanner<T>(text, start, stop, macros, reuse);
        scanner.Run();
        return new BibtexScanPart(new BibtexScan(scanner._entries, scanner._fields, scanner._problems), scanner._fieldCount, scanner._macros, scanner._stoppedAt);
    }

    private void Run()
    {
        var t = _text.Span;
        var pos = _start;
        _stoppedAt = t.Length;
        while (pos < t.Length)
        {
            var found = t[pos..].IndexOf(E('@'));
            if (found < 0) break;
            var at = pos + found;
            if (at >= _stop)
            {
                _stoppedAt = at;
                break;
            }
            var typeStart = at + 1;
            var typeEnd = IdentifierEnd(typeStart);
            pos = typeEnd;
            if (typeEnd == typeStart) continue;
            var open = SkipSpace(typeEnd);
            if (open >= t.Length || (C(t[open]) != '{' && C(t[open]) != '('))
            {
                // Outside entries BibTeX ignores text, so an e-mail address in a note is fine; a line
                // that starts with "@word" is most likely an entry whose brace went missing.
                if (AtLineStart(at))
                {
                    Report(Severity.Warning, "bibtex-not-an-entry", TextSpan.FromBounds(at, typeEnd),
                        $"`{Str(t[at..typeEnd])}` is not followed by `{{` or `(`, so it is not read as an entry.");
                }
                continue;
            }
            var close = C(t[open]) == '{' ? '}' : ')';
            pos = BibtexFields.Block(Chars(t[typeStart..typeEnd])) switch
            {
                BlockKind.Comment or BlockKind.Preamble => SkipGroup(at, typeEnd, open, close),
                BlockKind.String => ParseBody(at, typeStart, typeEnd, open, close, isString: true),
                _ => ParseBody(at, typeStart, typeEnd, open, close, isString: false),
            };
        }
    }

    /// <summary>
    /// Skips <c>@comment{...}</c> and <c>@preamble{...}</c> by balanced braces. A commented-out entry
    /// inside is skipped with it. When the group never closes, only the line is skipped, as BibTeX
    /// itself does with <c>@comment</c>.
    /// </summary>
    private int SkipGroup(int at, int typeEnd, int open, char close)
    {
        var t = _text.Span;
        var depth = close == '}' ? 0 : 1;
        for (var i = open; i < t.Length; i++)
        {
            var c = C(t[i]);
            if (c == '{') depth++;
            else if (c == '}')
            {
                if (--depth == 0 && close == '}') return i + 1;
            }
            else if (c == ')' && close == ')' && depth == 1) return i + 1;
        }
        var lineEnd = t[open..].IndexOf(E('\n'));
        Report(Severity.Warning, "bibtex-unclosed-group", TextSpan.FromBounds(at, typeEnd),
            $"`{Str(t[at..typeEnd])}` at line {LineOf(at)} is not closed, so only its first line is skipped.");
        return lineEnd < 0 ? t.Length : open + lineEnd + 1;
    }

    /// <summary>What ended a value that could not be read to its closing delimiter.</summary>
    private enum Break : byte
    {
        None,
        /// <summary>A line starting with <c>@type{</c> came before the value was closed.</summary>
        NextEntry,
        /// <summary>The file ended.</summary>
        EndOfFile,
        /// <summary>A quoted value met the <c>}</c> that closes the entry.</summary>
        EntryClose,
    }

    /// <summary>Everything the field loop remembers about the value it read last, for recovery.</summary>
    private struct LastValue
    {
        public int NameStart;
        public int NameEnd;
        public int ContentStart;
        public int ContentEnd;
        public int StoredIndex;
        public char Opener;
        public bool Valid;
    }

    private int ParseBody(int at, int typeStart, int typeEnd, int open, char close, bool isString)
    {
        var t = _text.Span;
        var p = SkipSpace(open + 1);
        var keyStart = p;
        var keyLength = 0;
        if (!isString)
        {
            var keyEnd = KeyEnd(p, close);
            keyLength = keyEnd - keyStart;
            p = SkipSpace(keyEnd);
            if (p < t.Length && C(t[p]) == '=' || keyLength == 0)
            {
                Report(Severity.Error, "bibtex-no-key", TextSpan.FromBounds(at, Math.Max(keyEnd, open + 1)),
                    $"The `{Str(t[at..typeEnd])}` entry at line {LineOf(at)} has no key: the key and a comma come right after `{Str(t[at..(open + 1)])}`.");
                if (keyLength > 0) p = keyStart;
                keyLength = 0;
                if (p < t.Length && C(t[p]) == ',') p++;
            }
            else if (p < t.Length && C(t[p]) == ',')
            {
                p++;
            }
            else if (p < t.Length && C(t[p]) != close && !(C(t[p]) == '@' && IsEntryStart(p)))
            {
                Report(Severity.Error, "bibtex-missing-comma", new TextSpan(keyStart, keyLength),
                    $"A comma is missing after the key `{Str(t.Slice(keyStart, keyLength))}`.");
            }
        }
        _headAt = at;
        _headTypeEnd = typeEnd;
        _headKeyStart = keyStart;
        _headKeyLength = keyLength;

        var firstField = _fieldCount;
        var last = default(LastValue);
        int entryEnd;
        while (true)
        {
            p = SkipSpaceAndComments(p);
            if (p >= t.Length)
            {
                if (TryCutLastValue(ref last, ref p, Break.EndOfFile)) continue;
                Report(Severity.Error, "bibtex-cut-off", HeadSpan(at, keyStart, keyLength, open),
                    $"Entry {Label()} is cut off at the end of the file: a `{close}` is missing.");
                entryEnd = TrimEndOfSpace(t.Length);
                break;
            }
            var c = C(t[p]);
            if (c == close)
            {
                p++;
                entryEnd = p;
                if (!isString && ClosedEarly(p, out var resume, out var junkOnly))
                {
                    if (junkOnly)
                    {
                        var junk = p;
                        while (junk < resume && LatexDecoder.IsSpace(C(t[junk]))) junk++;
                        Report(Severity.Warning, "bibtex-text-after-entry", TextSpan.FromBounds(junk, resume),
                            $"Text after the end of entry {Label()} is ignored; a `{close}` may close the entry too early.");
                        break;
                    }
                    Report(Severity.Error, "bibtex-closed-early", new TextSpan(p - 1, 1),
                        $"Entry {Label()} is closed early by this `{close}`, with fields after it; they were read as part of the entry.");
                    p = resume;
                    continue;
                }
                break;
            }
            if (c == ',')
            {
                p++;
                continue;
            }
            if (c == '@' && IsEntryStart(p))
            {
                if (TryCutLastValue(ref last, ref p, Break.NextEntry)) continue;
                Report(Severity.Error, "bibtex-unclosed-entry", HeadSpan(at, keyStart, keyLength, open),
                    $"Entry {Label()} is not closed: a `{close}` is missing before the next entry at line {LineOf(p)}.");
                entryEnd = TrimEndOfSpace(p);
                break;
            }
            if (!IsIdentifierStart(c))
            {
                var resync = ResyncField(p, close);
                Report(Severity.Error, "bibtex-unexpected", TextSpan.FromBounds(p, Math.Max(p + 1, TrimEndOfSpace(LineEnd(p)))),
                    $"Unexpected `{c}` in entry {Label()} where a field name should be; the rest of the line is skipped.");
                last.Valid = false;
                p = resync;
                continue;
            }

            var nameStart = p;
            var nameEnd = IdentifierEnd(p);
            p = SkipSpace(nameEnd);
            if (p >= t.Length || C(t[p]) != '=')
            {
                Report(Severity.Error, "bibtex-missing-equals", TextSpan.FromBounds(nameStart, nameEnd),
                    $"`=` is missing after the field name `{Str(t[nameStart..nameEnd])}` in entry {Label()}.");
                last.Valid = false;
                p = ResyncField(nameEnd, close);
                continue;
            }
            p = SkipSpace(p + 1);

            var field = isString ? BibField.Unknown : BibtexFields.Field(Chars(t[nameStart..nameEnd]));
            var wanted = isString || field != BibField.Unknown;
            var value = ReadValue(ref p, close, wanted, out var opener, out var contentStart, out var contentEnd, out var brk, nameStart, nameEnd);

            if (brk != Break.None)
            {
                // The value ran into the next entry, the end of the file, or the entry's closing brace.
                var cut = FieldLineWithin(contentStart, p);
                var lineEnd = cut >= 0 ? cut : p;
                var what = opener == '"' ? "`\"`" : "`{`";
                var where = brk switch
                {
                    Break.NextEntry => $", so the entry runs into the next one at line {LineOf(p)}",
                    Break.EndOfFile => ", so the entry runs to the end of the file",
                    _ => "",
                };
                var read = cut >= 0 ? " The value was read up to the end of its line." : "";
                Report(Severity.Error, opener == '"' ? "bibtex-unterminated-string" : "bibtex-unclosed-value",
                    TextSpan.FromBounds(nameStart, Math.Max(nameEnd, TrimEndOfSpace(LineEnd(nameStart)))),
                    $"The value of `{Str(t[nameStart..nameEnd])}` in entry {Label()} has a {what} that is never closed{where}.{read}");
                value = new RawValue(contentStart, CutContentEnd(contentStart, lineEnd, opener) - contentStart, null);
                if (wanted) Store(isString, field, nameStart, nameEnd, value, firstField);
                last.Valid = false;
                if (cut >= 0)
                {
                    p = cut;
                    continue;
                }
                if (brk == Break.EntryClose) continue;
                entryEnd = TrimEndOfSpace(p);
                break;
            }

            var storedIndex = wanted ? Store(isString, field, nameStart, nameEnd, value, firstField) : -1;
            last = new LastValue
            {
                NameStart = nameStart,
                NameEnd = nameEnd,
                ContentStart = contentStart,
                ContentEnd = contentEnd,
                StoredIndex = storedIndex,
                Opener = opener,
                Valid = opener is '{' or '"',
            };

            var q = SkipSpace(p);
            if (q >= t.Length) continue;
            var next = C(t[q]);
            if (next == ',' || next == close || next == '%' || (next == '@' && IsEntryStart(q))) continue;
            if (IsIdentifierStart(next) && LooksLikeField(q))
            {
                Report(Severity.Error, "bibtex-missing-comma", TextSpan.FromBounds(q, IdentifierEnd(q)),
                    $"A comma is missing before the field `{Str(t[q..IdentifierEnd(q)])}` in entry {Label()}.");
                p = q;
                continue;
            }
            Report(Severity.Error, "bibtex-unexpected", TextSpan.FromBounds(q, Math.Max(q + 1, TrimEndOfSpace(LineEnd(q)))),
                $"Unexpected text after the value of `{Str(t[nameStart..nameEnd])}` in entry {Label()}; the rest of the line is skipped.");
            last.Valid = false;
            p = ResyncField(q, close);
        }

        if (!isString)
        {
            _entries.Add(new RawEntry(at, entryEnd, typeStart, typeEnd - typeStart, keyStart, keyLength, firstField, _fieldCount - firstField));
        }
        return p;
    }

    /// <summary>
    /// When an entry cannot be closed, the usual cause is a value with one <c>{</c> too many that swallowed
    /// the fields after it and the entry's own <c>}</c>. If the last value spans lines and one of them
    /// looks like <c>name = </c>, the value is cut back to its first line and reading resumes there.
    /// </summary>
    private bool TryCutLastValue(ref LastValue last, ref int p, Break brk)
    {
        if (!last.Valid) return false;
        last.Valid = false;
        var cut = FieldLineWithin(last.ContentStart, last.ContentEnd);
        if (cut < 0) return false;
        var t = _text.Span;
        var what = last.Opener == '"' ? "`\"`" : "`{`";
        var where = brk == Break.NextEntry
            ? $"so the entry runs into the next one at line {LineOf(p)}"
            : "so the entry runs to the end of the file";
        Report(Severity.Error, last.Opener == '"' ? "bibtex-unterminated-string" : "bibtex-unclosed-value",
            TextSpan.FromBounds(last.NameStart, Math.Max(last.NameEnd, TrimEndOfSpace(LineEnd(last.NameStart)))),
            $"The value of `{Str(t[last.NameStart..last.NameEnd])}` in entry {Label()} has a {what} that is never closed, {where}. The value was read up to the end of its line.");
        if (last.StoredIndex >= 0)
        {
            var f = _fields[last.StoredIndex];
            var end = CutContentEnd(last.ContentStart, cut, last.Opener);
            _fields[last.StoredIndex] = f with { Value = new RawValue(last.ContentStart, end - last.ContentStart, null) };
        }
        p = cut;
        return true;
    }

    /// <summary>The end of a value cut at a line start: trailing space, a comma and the value's own closing delimiter go.</summary>
    private int CutContentEnd(int start, int lineStart, char opener)
    {
        var t = _text.Span;
        var end = lineStart;
        // "value},\n}" is cut to "value": a few rounds of space, comma and closing delimiter are peeled.
        for (var round = 0; round < 3; round++)
        {
            var before = end;
            while (end > start && LatexDecoder.IsSpace(C(t[end - 1]))) end--;
            if (end > start && C(t[end - 1]) == ',') end--;
            while (end > start && LatexDecoder.IsSpace(C(t[end - 1]))) end--;
            if (end > start && C(t[end - 1]) == (opener == '"' ? '"' : '}')) end--;
            if (end == before) break;
        }
        return end;
    }

    private int Store(bool isString, BibField field, int nameStart, int nameEnd, RawValue value, int firstField)
    {
        var t = _text.Span;
        if (isString)
        {
            _macros[Str(t[nameStart..nameEnd])] = ValueText(value);
            return -1;
        }
        for (var i = firstField; i < _fieldCount; i++)
        {
            if (_fields[i].Field != field) continue;
            Report(Severity.Warning, "bibtex-duplicate-field", TextSpan.FromBounds(nameStart, nameEnd),
                $"Entry {Label()} has a second `{Str(t[nameStart..nameEnd])}` field; the first one is used.");
            return -1;
        }
        if (_fieldCount == _fields.Length) Array.Resize(ref _fields, _fields.Length * 2);
        _fields[_fieldCount] = new RawField(field, nameStart, value);
        return _fieldCount++;
    }

    /// <summary>
    /// Reads a value: parts joined by <c>#</c>, each a braced or quoted string, a number, or a macro name.
    /// A single string part stays a slice of the file; anything else is joined into a string.
    /// </summary>
    private RawValue ReadValue(ref int p, char close, bool wanted, out char opener, out int contentStart, out int contentEnd,
        out Break brk, int nameStart, int nameEnd)
    {
        var t = _text.Span;
        var fieldName = t[nameStart..nameEnd];
        opener = '\0';
        contentStart = p;
        contentEnd = p;
        brk = Break.None;
        RawValue first = default;
        StringBuilder? joined = null;
        var parts = 0;
        while (true)
        {
            p = SkipSpace(p);
            if (p >= t.Length) break;
            var c = C(t[p]);
            RawValue part;
            if (c == '{' || c == '"')
            {
                var start = p + 1;
                var end = c == '{' ? BracedEnd(start, out brk) : QuotedEnd(start, out brk);
                if (parts == 0)
                {
                    opener = c;
                    contentStart = start;
                }
                contentEnd = end;
                if (brk != Break.None)
                {
                    p = end;
                    return default;
                }
                part = new RawValue(start, end - start, null);
                p = end + 1;
            }
            else if (c != close && c != ',' && !NotIdentifierChar.Contains(c))
            {
                var start = p;
                var end = IdentifierEnd(p);
                p = end;
                if (parts == 0) contentStart = start;
                contentEnd = end;
                if (char.IsAsciiDigit(c))
                {
                    part = new RawValue(start, end - start, null);
                }
                else if (_macroLookup.TryGetValue(Chars(t[start..end]), out var macro))
                {
                    part = new RawValue(0, 0, macro);
                }
                else
                {
                    Report(Severity.Warning, "bibtex-undefined-string", TextSpan.FromBounds(start, end),
                        $"`{Str(t[start..end])}` in the value of `{Str(fieldName)}` in entry {Label()} is not a defined @string, so it reads as empty.");
                    part = new RawValue(0, 0, "");
                }
            }
            else
            {
                if (parts == 0)
                {
                    Report(Severity.Error, "bibtex-missing-value", TextSpan.FromBounds(p, Math.Min(p + 1, t.Length)),
                        $"The field `{Str(fieldName)}` in entry {Label()} has no value.");
                }
                break;
            }

            parts++;
            if (parts == 1)
            {
                first = part;
            }
            else if (wanted)
            {
                joined ??= new StringBuilder().Append(ValueText(first));
                joined.Append(ValueText(part));
            }
            var q = SkipSpace(p);
            if (q < t.Length && C(t[q]) == '#')
            {
                p = q + 1;
                continue;
            }
            break;
        }
        if (parts > 1) opener = '#';
        return joined is null ? first : new RawValue(0, 0, joined.ToString());
    }

    /// <summary>The index of the <c>}</c> that closes a braced value whose content starts at <paramref name="start"/>.</summary>
    private int BracedEnd(int start, out Break brk)
    {
        var t = _text.Span;
        var depth = 1;
        var i = start;
        while (true)
        {
            var found = t[i..].IndexOfAny(BraceStops);
            if (found < 0)
            {
                brk = Break.EndOfFile;
                return t.Length;
            }
            i += found;
            switch (C(t[i]))
            {
                case '{':
                    depth++;
                    break;
                case '}':
                    if (--depth == 0)
                    {
                        brk = Break.None;
                        return i;
                    }
                    break;
                default:
                    if (NextLineStartsEntry(i + 1, out var entryAt))
                    {
                        brk = Break.NextEntry;
                        return entryAt;
                    }
                    break;
            }
            i++;
        }
    }

    /// <summary>
    /// The index of the <c>"</c> that closes a quoted value. Braces inside must balance, as in BibTeX;
    /// <c>\"</c> does not close the value (BibTeX would, but "M\"uller" is what people mean).
    /// </summary>
    private int QuotedEnd(int start, out Break brk)
    {
        var t = _text.Span;
        var depth = 0;
        var i = start;
        while (true)
        {
            var found = t[i..].IndexOfAny(QuoteStops);
            if (found < 0)
            {
                brk = Break.EndOfFile;
                return t.Length;
            }
            i += found;
            switch (C(t[i]))
            {
                case '{':
                    depth++;
                    break;
                case '}':
                    if (depth == 0)
                    {
                        brk = Break.EntryClose;
                        return i;
                    }
                    depth--;
                    break;
                case '"':
                    if (depth == 0)
                    {
                        brk = Break.None;
                        return i;
                    }
                    break;
                case '\\':
                    if (i + 1 < t.Length && C(t[i + 1]) == '"') i++;
                    break;
                default:
                    if (NextLineStartsEntry(i + 1, out var entryAt))
                    {
                        brk = Break.NextEntry;
                        return entryAt;
                    }
                    break;
            }
            i++;
            if (i >= t.Length)
            {
                brk = Break.EndOfFile;
                return t.Length;
            }
        }
    }

    private bool NextLineStartsEntry(int lineStart, out int at)
    {
        var t = _text.Span;
        var i = lineStart;
        while (i < t.Length && (C(t[i]) == ' ' || C(t[i]) == '\t')) i++;
        at = i;
        return i < t.Length && C(t[i]) == '@' && IsEntryStart(i);
    }

    /// <summary>True when <c>@</c> at <paramref name="at"/> starts a line (after indentation) and reads <c>@word{</c> or <c>@word(</c>.</summary>
    private bool IsEntryStart(int at)
    {
        var t = _text.Span;
        if (!AtLineStart(at)) return false;
        var end = IdentifierEnd(at + 1);
        if (end == at + 1) return false;
        var open = SkipSpace(end);
        return open < t.Length && (C(t[open]) == '{' || C(t[open]) == '(');
    }

    private bool AtLineStart(int at)
    {
        var t = _text.Span;
        var i = at - 1;
        while (i >= 0 && (C(t[i]) == ' ' || C(t[i]) == '\t')) i--;
        return i < 0 || C(t[i]) == '\n' || C(t[i]) == '\r';
    }

    /// <summary>The start of the first line inside [start, end), after the first, that looks like <c>name = </c>; or -1.</summary>
    private int FieldLineWithin(int start, int end)
    {
        var t = _text.Span;
        var i = start;
        while (i < end)
        {
            var nl = t[i..end].IndexOf(E('\n'));
            if (nl < 0) return -1;
            i += nl + 1;
            var j = i;
            while (j < end && (C(t[j]) == ' ' || C(t[j]) == '\t')) j++;
            if (j < end && IsIdentifierStart(C(t[j])) && LooksLikeField(j)) return j;
        }
        return -1;
    }

    /// <summary>After a value the reader could not make sense of: the next line that starts a field, closes the entry, or starts an entry.</summary>
    private int ResyncField(int p, char close)
    {
        var t = _text.Span;
        var i = p;
        while (true)
        {
            var nl = t[i..].IndexOf(E('\n'));
            if (nl < 0) return t.Length;
            i += nl + 1;
            var j = i;
            while (j < t.Length && (C(t[j]) == ' ' || C(t[j]) == '\t')) j++;
            if (j >= t.Length) return t.Length;
            var c = C(t[j]);
            if (c == close || (c == '@' && IsEntryStart(j)) || (IsIdentifierStart(c) && LooksLikeField(j))) return j;
        }
    }

    /// <summary>
    /// After an entry's closing delimiter: is there more of the entry? A comma, or a next line that reads
    /// <c>name = </c>, means a stray <c>}</c> closed it early. Other text on the same line is reported
    /// and ignored, as BibTeX ignores text between entries.
    /// </summary>
    private bool ClosedEarly(int p, out int resume, out bool junkOnly)
    {
        var t = _text.Span;
        junkOnly = false;
        var i = p;
        while (i < t.Length && (C(t[i]) == ' ' || C(t[i]) == '\t')) i++;
        resume = i;
        if (i >= t.Length) return false;
        var c = C(t[i]);
        if (c == ',') return true;
        var sameLineJunk = c != '\n' && c != '\r' && c != '%' && c != '@';
        var lineEnd = LineEnd(i);
        var next = lineEnd < t.Length ? lineEnd + 1 : t.Length;
        while (next < t.Length && (C(t[next]) == ' ' || C(t[next]) == '\t' || C(t[next]) == '\r')) next++;
        if (next < t.Length && IsIdentifierStart(C(t[next])) && LooksLikeField(next))
        {
            resume = next;
            return true;
        }
        if (!sameLineJunk) return false;
        junkOnly = true;
        resume = TrimEndOfSpace(lineEnd);
        return true;
    }

    private bool LooksLikeField(int i)
    {
        var t = _text.Span;
        var end = IdentifierEnd(i);
        if (end == i) return false;
        var eq = SkipSpace(end);
        return eq < t.Length && C(t[eq]) == '=';
    }

    private static bool IsIdentifierStart(char c) => !char.IsAsciiDigit(c) && !NotIdentifierChar.Contains(c);

    private int IdentifierEnd(int i)
    {
        var rest = _text.Span[i..];
        var end = rest.IndexOfAny(NotIdentifier);
        return end < 0 ? _text.Length : i + end;
    }

    private int KeyEnd(int i, char close)
    {
        var t = _text.Span;
        while (i < t.Length)
        {
            var c = C(t[i]);
            if (c == close || c is ',' or '{' or '}' or '"' or '#' or '%' or '=' or '@' || LatexDecoder.IsSpace(c)) break;
            i++;
        }
        return i;
    }

    private int SkipSpace(int i)
    {
        var t = _text.Span;
        while (i < t.Length && LatexDecoder.IsSpace(C(t[i]))) i++;
        return i;
    }

    /// <summary>Skips space and <c>%</c> comment lines between fields, which biber accepts and people write.</summary>
    private int SkipSpaceAndComments(int i)
    {
        var t = _text.Span;
        while (true)
        {
            i = SkipSpace(i);
            if (i >= t.Length || C(t[i]) != '%') return i;
            i = LineEnd(i);
        }
    }

    private int LineEnd(int i)
    {
        var nl = _text.Span[i..].IndexOf(E('\n'));
        return nl < 0 ? _text.Length : i + nl;
    }

    private int TrimEndOfSpace(int end)
    {
        var t = _text.Span;
        while (end > 0 && LatexDecoder.IsSpace(C(t[end - 1]))) end--;
        return end;
    }

    private static TextSpan HeadSpan(int at, int keyStart, int keyLength, int open) =>
        keyLength > 0 ? TextSpan.FromBounds(at, keyStart + keyLength) : TextSpan.FromBounds(at, open + 1);

    /// <summary>1-based line of an offset. Problems come mostly in file order, so counting resumes where it stopped.</summary>
    private int LineOf(int offset)
    {
        if (offset < _lineCountedTo)
        {
            _lineCountedTo = 0;
            _lineCount = 1;
        }
        _lineCount += _text.Span[_lineCountedTo..offset].Count(E('\n'));
        _lineCountedTo = offset;
        return _lineCount;
    }

    /// <summary>How messages name the entry being read: by its key, or by type and line when it has none.</summary>
    private string Label() => _headKeyLength > 0
        ? $"`{Str(_text.Span.Slice(_headKeyStart, _headKeyLength))}`"
        : $"`{Str(_text.Span.Slice(_headAt, _headTypeEnd - _headAt))}` at line {LineOf(_headAt)}";

    /// <summary>A value's raw text: a macro's, or the slice's.</summary>
    private string ValueText(RawValue value) => value.Composite ?? Str(_text.Span.Slice(value.Start, value.Length));

    /// <summary>
    /// A name (a field's, a macro's, a block type) as characters for a look-up by span: the string's own, or the
    /// bytes decoded into a buffer that lives until the next name.
    /// </summary>
    private ReadOnlySpan<char> Chars(ReadOnlySpan<T> name)
    {
        if (typeof(T) == typeof(char)) return MemoryMarshal.Cast<T, char>(name);
        var bytes = MemoryMarshal.Cast<T, byte>(name);
        if (_nameBuffer.Length < bytes.Length) _nameBuffer = new char[Math.Max(bytes.Length, _nameBuffer.Length * 2)];
        var written = Encoding.UTF8.GetChars(bytes, _nameBuffer);
        return _nameBuffer.AsSpan(0, written);
    }

    private void Report(Severity severity, string code, TextSpan span, string message) =>
        _problems.Add(new Problem(severity, message, span, code));
}
