using BibServer.Core.Papers;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// Shares the decoded text of values that recur across a library (journal names, publishers, years,
/// authors) for the length of one read. In real libraries most journal fields and nearly half the author
/// names are repeats; sharing them saves the decoding and, more, the garbage collector's work of moving
/// a hundred thousand copies of "Physical Review B". Strings and persons are immutable, so sharing is
/// invisible to readers. One cache per thread: it is not synchronised.
/// </summary>
internal sealed class DecodeCache
{
    // Past this many entries a library is mostly unique values, and the cache would only cost memory.
    private const int MaxEntries = 1 << 16;

    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _textLookup;
    private readonly Dictionary<string, Person> _people = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Person>.AlternateLookup<ReadOnlySpan<char>> _personLookup;

    /// <summary>Room for a paper's other fields as name, value pairs (BibtexMapping.OtherFields puts at most 24).</summary>
    public string[] FieldScratch { get; } = new string[64];

    private char[] _chars = new char[4096];
    private RawField[] _fields = new RawField[64];

    /// <summary>The worker's buffer for an entry's values decoded from UTF-8, at least this long (see <see cref="BibtexMapping"/>).</summary>
    public char[] Chars(int length)
    {
        if (_chars.Length < length) _chars = new char[Math.Max(length, _chars.Length * 2)];
        return _chars;
    }

    /// <summary>The worker's buffer for an entry's fields with their values in <see cref="Chars"/>.</summary>
    public RawField[] Fields(int length)
    {
        if (_fields.Length < length) _fields = new RawField[Math.Max(length, _fields.Length * 2)];
        return _fields;
    }

    public DecodeCache()
    {
        _textLookup = _texts.GetAlternateLookup<ReadOnlySpan<char>>();
        _personLookup = _people.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The decoded text of a raw value, shared with earlier equal raw values.</summary>
    public string Text(ReadOnlySpan<char> raw)
    {
        raw = LatexDecoder.Trim(raw);
        if (raw.IsEmpty) return "";
        if (_textLookup.TryGetValue(raw, out var known)) return known;
        var decoded = LatexDecoder.Decode(raw);
        if (_texts.Count < MaxEntries)
        {
            // A plain value is its own key, so the first sight of it allocates one string, not two.
            var key = raw.SequenceEqual(decoded) ? decoded : new string(raw);
            _texts[key] = decoded;
        }
        return decoded;
    }

    public bool TryGetPerson(ReadOnlySpan<char> raw, out Person person) => _personLookup.TryGetValue(raw, out person!);

    public void AddPerson(ReadOnlySpan<char> raw, Person person)
    {
        if (_people.Count < MaxEntries) _personLookup.TryAdd(raw, person);
    }
}
