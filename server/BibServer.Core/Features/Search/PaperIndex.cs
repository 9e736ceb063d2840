using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Libraries;
using BibServer.Core.Papers;

namespace BibServer.Core.Features.Search;

public enum SearchMode
{
    /// <summary>Every word of the query must match (completion, symbols): what a person types as they go.</summary>
    AllWords,

    /// <summary>The more query words match the better, and a word may be an acronym of title words ("snr"):
    /// for finding what a broken key meant.</summary>
    BestOverlap,
}

public readonly record struct SearchHit(Paper Paper, int Score);

/// <summary>
/// Finds papers by what a person remembers of them: key, author names, title words, year. A query word
/// matches when it can be cut into pieces that each begin a different word of the paper ("sgdnoise" is
/// "sgd" + "noise"). Built once per library merge and kept beside it; a search scores only the papers
/// that a prefix index says can match, so it stays fast on 100,000 papers.
/// </summary>
/// <remarks>
/// The words of all papers live in one array, a byte a character, a paper's words side by side, with their
/// lengths, kinds and title positions in parallel arrays, and the prefix lists packed as distances. A
/// one-letter query scores tens of thousands of papers; reading their words from one array in order is several
/// times faster than following a string object per word, and the index takes a fraction of the memory (25 MB
/// at 100,000 papers, from 56 MB as arrays of chars and ints; docs/benchmarks.md).
/// </remarks>
public sealed class PaperIndex
{
    /// <summary>The index of a library merge is kept on it (<see cref="LibrarySet.Memos"/>): built once, gone with it.</summary>
    private static readonly MemoKey<PaperIndex> IndexMemo = new("paper index");

    private readonly ImmutableArray<Paper> _papers;

    /// <summary>
    /// Every word of every paper, folded, one after another, a byte per character: folding leaves only ASCII
    /// letters and digits (<see cref="SearchText.Fold(string)"/>), and bytes take half the memory of chars
    /// (11 MB at 100,000 papers).
    /// </summary>
    private readonly byte[] _chars;

    /// <summary>
    /// Word w's length (a word is cut at 255 characters); a paper's words are side by side, from
    /// <c>_paperChars[i]</c> in <see cref="_chars"/>, so a search that reads them in order adds up where each starts
    /// (a start per word took 7 MB at 100,000 papers, these 2).
    /// </summary>
    private readonly byte[] _wordLength;

    /// <summary>Where paper i's words start in <see cref="_chars"/>.</summary>
    private readonly int[] _paperChars;

    private const int LongestWord = byte.MaxValue;

    private readonly Kind[] _wordKind;

    /// <summary>
    /// A title word's position among the title's words (stop words left out), or -1 for other words; a byte
    /// each: a paper's words past the 64th are never matched, so positions past 127 (kept as 127) are never read.
    /// </summary>
    private readonly sbyte[] _wordTitleOrder;

    /// <summary>Paper i's words are words <c>_paperWords[i]</c> up to <c>_paperWords[i + 1]</c>.</summary>
    private readonly int[] _paperWords;

    private readonly string[] _foldedKeys;
    /// <summary>
    /// The papers (in order, each once) with a word beginning with a prefix, by <see cref="Slot"/>: the lists
    /// of all slots one after another in <see cref="_postingBytes"/>, each paper number as its distance from the
    /// one before (<see cref="Postings"/>), slot s's list from byte <c>_slotStart[s]</c> to <c>_slotStart[s + 1]</c>,
    /// with <c>_slotCount[s]</c> papers. 4.5 million numbers at 100,000 papers: 18 MB as arrays of int, 6 MB so.
    /// </summary>
    private readonly byte[] _postingBytes;
    private readonly int[] _slotStart;
    private readonly int[] _slotCount;

    /// <summary>The same for prefixes with a character outside a-z and 0-9, which folding should never leave.</summary>
    private readonly Dictionary<ulong, Postings> _byOtherPrefix;

    /// <summary>Each paper's place in the tie-break order of results (newer first, then by key), and the papers in that order.</summary>
    private readonly int[] _tieRank;
    private readonly int[] _byTieRank;

    /// <summary>
    /// The best hits of queries of one or two characters, ranked as <see cref="Search"/> ranks them, kept once
    /// computed; the one-character ones are computed ahead in the background (<see cref="Prepare"/>). A
    /// writer's first letters after <c>[@</c> match tens of thousands of papers, which makes them the slowest
    /// queries there are, and the ones asked most.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long[]> _shortQueries = new(StringComparer.Ordinal);

    private Task? _oneCharacterQueries;

    private const int ShortQueryLength = 2;
    private const int ShortQueryHits = 256;

    private enum Kind : byte { Key, FirstAuthor, Author, Year, Title, Organization }

    /// <summary>Below this many papers the index is built on one thread: starting workers would cost more.</summary>
    private const int ParallelThreshold = 4096;

    /// <summary>From this many candidates on, a search scores them on every core.</summary>
    private const int ParallelScoring = 8192;

    /// <summary>The words of one range of papers, built by one worker: what the index's word arrays are joined from.</summary>
    private sealed class Part(int characters)
    {
        public readonly List<byte> Chars = new(characters);
        public readonly List<byte> WordLength = new(characters / 5);
        public readonly List<Kind> WordKind = new(characters / 5);
        public readonly List<sbyte> WordTitleOrder = new(characters / 5);
    }

    /// <summary>
    /// One range of papers' share of the prefix lists, by slot: how many papers each list gets from the range,
    /// and, once the ranges are joined, where the range writes its share and which paper its first number
    /// follows. A paper's prefixes are counted from its words in <see cref="_chars"/>: a pass to measure, a
    /// pass to write, straight into <see cref="_postingBytes"/>, with nothing in between. With a growing list
    /// per slot and range, building the index of 100,000 papers allocated 130 MB for the 25 MB it keeps; so, 69 MB,
    /// and a language server's peak at start-up is 50 MB lower (docs/benchmarks.md).
    /// </summary>
    private sealed class Share
    {
        public readonly int[] Count = new int[SlotCount];

        /// <summary>Bytes of the range's share, its first number's distance taken from 0; then where it is written.</summary>
        public readonly int[] Bytes = new int[SlotCount];

        /// <summary>The range's first paper in the slot, plus one (0: none); then the paper before it, plus one.</summary>
        public readonly int[] First = new int[SlotCount];

        /// <summary>The last paper counted or written in the slot, plus one (0: none).</summary>
        public readonly int[] Last = new int[SlotCount];

        public readonly Dictionary<ulong, List<int>> Other = [];
    }

    /// <summary>
    /// Word prefixes of one to three characters of a-z and 0-9 (what folded words are made of) have a slot of
    /// their own in an array: 36 + 36² + 36³ slots, looked up without hashing, 4.5 million times while indexing
    /// 100,000 papers.
    /// </summary>
    private const int SlotCount = 36 + 36 * 36 + 36 * 36 * 36;

    /// <summary>A prefix's slot, or -1 when it is empty, longer than three or holds another character.</summary>
    private static int Slot(ReadOnlySpan<char> prefix)
    {
        if (prefix.IsEmpty || prefix.Length > 3) return -1;
        var slot = 0;
        foreach (var c in prefix)
        {
            var digit = c is >= 'a' and <= 'z' ? c - 'a' : c is >= '0' and <= '9' ? 26 + c - '0' : -1;
            if (digit < 0) return -1;
            slot = slot * 36 + digit;
        }
        return prefix.Length switch { 1 => slot, 2 => 36 + slot, _ => 36 + 36 * 36 + slot };
    }

    /// <summary>The papers with a word that begins with this prefix (one to three characters), or null.</summary>
    private Postings? Prefixed(ReadOnlySpan<char> prefix)
    {
        var slot = Slot(prefix);
        if (slot < 0) return _byOtherPrefix.TryGetValue(PrefixCode(prefix), out var other) ? other : null;
        return _slotCount[slot] == 0 ? null : new Postings(_postingBytes, _slotStart[slot], _slotCount[slot]);
    }

    /// <summary>
    /// A list of paper numbers in increasing order, kept as the first number and then each one's distance from
    /// the one before, seven bits a byte (the high bit says another byte follows): the long lists of short
    /// prefixes take a byte a paper. Read in order only, which is how every search reads them.
    /// </summary>
    private readonly struct Postings(byte[] bytes, int start, int count)
    {
        public int Count => count;

        public Reader GetEnumerator() => new(bytes, start, count);

        /// <summary>The numbers, encoded, appended to <paramref name="into"/> at <paramref name="at"/> (which <see cref="Size(ReadOnlySpan{int})"/> has made room for).</summary>
        public static int Write(ReadOnlySpan<int> numbers, byte[] into, int at)
        {
            var previous = 0;
            foreach (var n in numbers)
            {
                at = Write(n - previous, into, at);
                previous = n;
            }
            return at;
        }

        /// <summary>Writes one distance at <paramref name="at"/>; where the next goes.</summary>
        public static int Write(int gap, byte[] into, int at)
        {
            var value = (uint)gap;
            while (value >= 0x80)
            {
                into[at++] = (byte)(value | 0x80);
                value >>= 7;
            }
            into[at++] = (byte)value;
            return at;
        }

        /// <summary>How many bytes one distance takes.</summary>
        public static int Size(int gap)
        {
            var value = (uint)gap;
            return value < 1u << 7 ? 1 : value < 1u << 14 ? 2 : value < 1u << 21 ? 3 : value < 1u << 28 ? 4 : 5;
        }

        /// <summary>How many bytes <see cref="Write(ReadOnlySpan{int}, byte[], int)"/> takes for these numbers.</summary>
        public static int Size(ReadOnlySpan<int> numbers)
        {
            var size = 0;
            var previous = 0;
            foreach (var n in numbers)
            {
                size += Size(n - previous);
                previous = n;
            }
            return size;
        }

        public static Postings Of(ReadOnlySpan<int> numbers)
        {
            var bytes = new byte[Size(numbers)];
            Write(numbers, bytes, 0);
            return new Postings(bytes, 0, numbers.Length);
        }

        public struct Reader(byte[] bytes, int at, int left)
        {
            private int _at = at;
            private int _left = left;
            private int _value;

            public readonly int Current => _value;

            public bool MoveNext()
            {
                if (_left == 0) return false;
                _left--;
                uint gap = 0;
                var shift = 0;
                byte b;
                do
                {
                    b = bytes[_at++];
                    gap |= (uint)(b & 0x7F) << shift;
                    shift += 7;
                }
                while (b >= 0x80);
                _value += (int)gap;
                return true;
            }
        }
    }

    private PaperIndex(ImmutableArray<Paper> papers)
    {
        _papers = papers;
        _foldedKeys = new string[papers.Length];
        _paperWords = new int[papers.Length + 1];
        // Building is most of a large workspace's start-up after reading, and each paper's words are
        // independent: the papers are cut into one range per core, each range gets its words, and the parts
        // are joined in range order; the prefix lists are then made by range too, so every list stays in paper order.
        var workers = papers.Length >= ParallelThreshold ? Math.Clamp(Environment.ProcessorCount, 1, 8) : 1;
        var parts = new Part[workers];
        var rank = Task.Run(() => TieRanks(papers));
        int From(int worker) => (int)((long)papers.Length * worker / workers);
        void Build(int worker)
        {
            var from = From(worker);
            var to = From(worker + 1);
            // Sized ahead from the texts' lengths (folding rarely changes them): growing these lists by doubling
            // copied tens of megabytes and was a good part of building.
            var length = 0;
            for (var i = from; i < to; i++)
            {
                var paper = papers[i];
                length += paper.Key.Length + paper.Title.Length + (paper.Organization?.Length ?? 0) + 4;
                foreach (var author in paper.Authors) length += (author.Family ?? author.Literal)?.Length ?? 0;
            }
            var part = parts[worker] = new Part(length);
            var buffer = new char[256];
            for (var i = from; i < to; i++)
            {
                var paper = papers[i];
                var firstWord = part.WordLength.Count;
                var firstChar = part.Chars.Count;
                short titleWords = 0;
                void Add(string? text, Kind kind, bool folded = false)
                {
                    if (string.IsNullOrEmpty(text)) return;
                    var words = folded ? text.AsSpan() : SearchText.Fold(text, ref buffer);
                    foreach (var word in SearchText.WordsOf(words)) AddWord(part, firstWord, firstChar, words[word], kind, ref titleWords);
                }
                _foldedKeys[i] = SearchText.Fold(paper.Key);
                Add(_foldedKeys[i], Kind.Key, folded: true);
                for (var a = 0; a < paper.Authors.Length; a++)
                    Add(paper.Authors[a].Family ?? paper.Authors[a].Literal, a == 0 ? Kind.FirstAuthor : Kind.Author);
                Add(paper.Organization, Kind.Organization);
                if (paper.Year is { } y) Add(y.ToString(System.Globalization.CultureInfo.InvariantCulture), Kind.Year);
                Add(paper.Title, Kind.Title);
                _paperWords[i + 1] = part.WordLength.Count - firstWord; // The count for now; made an offset when the parts are joined.
            }
        }
        if (workers == 1) Build(0);
        else Parallel.For(0, workers, Build);

        for (var i = 0; i < papers.Length; i++) _paperWords[i + 1] += _paperWords[i];
        var wordCount = _paperWords[papers.Length];
        _chars = new byte[parts.Sum(part => part.Chars.Count)];
        _wordLength = new byte[wordCount];
        _wordKind = new Kind[wordCount];
        _wordTitleOrder = new sbyte[wordCount];
        int charAt = 0, wordAt = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            var part = parts[p];
            part.Chars.CopyTo(_chars, charAt);
            part.WordLength.CopyTo(_wordLength, wordAt);
            part.WordKind.CopyTo(_wordKind, wordAt);
            part.WordTitleOrder.CopyTo(_wordTitleOrder, wordAt);
            charAt += part.Chars.Count;
            wordAt += part.WordLength.Count;
            parts[p] = null!; // Its lists are garbage from here on, before the prefix lists are made.
        }
        _paperChars = new int[papers.Length + 1];
        charAt = 0;
        for (var i = 0; i < papers.Length; i++)
        {
            _paperChars[i] = charAt;
            for (var w = _paperWords[i]; w < _paperWords[i + 1]; w++) charAt += _wordLength[w];
        }
        _paperChars[papers.Length] = charAt;

        // The prefix lists: each range counts its papers per slot, the counts say where each range's share of a
        // slot goes, and each range writes its share there.
        var shares = new Share[workers];
        void Count(int worker)
        {
            var share = shares[worker] = new Share();
            for (var i = From(worker); i < From(worker + 1); i++)
                EachPrefix(i, share, static (share, slot, paper) =>
                {
                    var previous = share.Last[slot];
                    if (previous == 0) share.First[slot] = paper + 1;
                    share.Bytes[slot] += Postings.Size(paper - (previous == 0 ? 0 : previous - 1));
                    share.Count[slot]++;
                    share.Last[slot] = paper + 1;
                });
        }
        if (workers == 1) Count(0);
        else Parallel.For(0, workers, Count);

        _slotStart = new int[SlotCount + 1];
        _slotCount = new int[SlotCount];
        long bytes = 0;
        for (var slot = 0; slot < SlotCount; slot++)
        {
            _slotStart[slot] = (int)bytes;
            var before = 0; // The last paper of the ranges before, plus one.
            foreach (var share in shares)
            {
                var size = share.Bytes[slot];
                var first = share.First[slot];
                // A range's first number was measured as a distance from 0; it is one from the range before's last.
                if (first != 0 && before != 0) size += Postings.Size(first - before) - Postings.Size(first - 1);
                share.Bytes[slot] = (int)bytes;
                share.First[slot] = before;
                bytes += size;
                _slotCount[slot] += share.Count[slot];
                if (share.Last[slot] != 0) before = share.Last[slot];
                share.Last[slot] = 0;
            }
        }
        _slotStart[SlotCount] = (int)bytes;
        _postingBytes = new byte[bytes];
        var postings = _postingBytes;
        Action<Share, int, int> written = (share, slot, paper) =>
        {
            var previous = share.Last[slot] != 0 ? share.Last[slot] : share.First[slot];
            share.Bytes[slot] = Postings.Write(paper - (previous == 0 ? 0 : previous - 1), postings, share.Bytes[slot]);
            share.Last[slot] = paper + 1;
        };
        void Write(int worker)
        {
            var share = shares[worker];
            for (var i = From(worker); i < From(worker + 1); i++) EachPrefix(i, share, written);
        }
        if (workers == 1) Write(0);
        else Parallel.For(0, workers, Write);

        _byOtherPrefix = [];
        foreach (var code in shares.SelectMany(share => share.Other.Keys).Distinct())
            _byOtherPrefix[code] = Postings.Of([.. shares.SelectMany(share => share.Other.GetValueOrDefault(code) ?? [])]);
        (_byTieRank, _tieRank) = rank.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Calls <paramref name="each"/> once for every slot of a prefix (one to three characters) that begins a word of
    /// paper <paramref name="paper"/>; prefixes with a character outside a-z and 0-9 go to the share's other lists.
    /// </summary>
    private void EachPrefix(int paper, Share share, Action<Share, int, int> each)
    {
        var at = _paperChars[paper];
        Span<char> prefix = stackalloc char[3];
        for (var w = _paperWords[paper]; w < _paperWords[paper + 1]; w++)
        {
            int length = _wordLength[w];
            var slot = 0;
            for (var len = 1; len <= Math.Min(3, length); len++)
            {
                var c = _chars[at + len - 1];
                var digit = c is >= (byte)'a' and <= (byte)'z' ? c - 'a' : c is >= (byte)'0' and <= (byte)'9' ? 26 + c - '0' : -1;
                if (digit < 0 || slot < 0)
                {
                    slot = -1;
                    for (var k = 0; k < len; k++) prefix[k] = (char)_chars[at + k];
                    ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(share.Other, PrefixCode(prefix[..len]), out _);
                    list ??= [];
                    if (list.Count == 0 || list[^1] != paper) list.Add(paper);
                    continue;
                }
                slot = slot * 36 + digit;
                var index = len switch { 1 => slot, 2 => 36 + slot, _ => 36 + 36 * 36 + slot };
                if (share.Last[index] != paper + 1) each(share, index, paper);
            }
            at += length;
        }
    }

    /// <summary>
    /// Computes the one-character queries ahead, in the background, once (later calls return the same task).
    /// Not started by building the index: the host starts it when the work a user waits for is done (a note's
    /// first diagnostics), so that it does not compete with that for the cores. A small library answers any
    /// query in well under a millisecond: nothing is computed ahead for it.
    /// </summary>
    public Task Prepare()
    {
        if (_papers.Length < ParallelThreshold) return Task.CompletedTask;
        var started = _oneCharacterQueries;
        if (started is not null) return started;
        var task = new Task(OneCharacterQueries);
        if (Interlocked.CompareExchange(ref _oneCharacterQueries, task, null) is { } other) return other;
        task.Start(TaskScheduler.Default);
        return task;
    }

    /// <summary>Every one-character query that begins some word, with its best hits (on one core, in the background).</summary>
    private void OneCharacterQueries()
    {
        foreach (var c in "abcdefghijklmnopqrstuvwxyz0123456789")
            if (_slotCount[Slot([c])] > 0) ShortQuery(c.ToString(), background: true);
        foreach (var code in _byOtherPrefix.Keys)
        {
            // A prefix code holds its length above one 16-bit character per position.
            if (code >> 16 == 1) ShortQuery(((char)code).ToString(), background: true);
        }
    }

    private long[] ShortQuery(string query, bool background = false) =>
        _shortQueries.GetOrAdd(query, q => Ranked(CandidatesOf([q], SearchMode.AllWords), [q], q, SearchMode.AllWords, ShortQueryHits, background));

    /// <summary>Ranks the papers newer first, then by key in ordinal order: how results with equal scores are ordered.</summary>
    private static (int[] Order, int[] Rank) TieRanks(ImmutableArray<Paper> papers)
    {
        var order = new int[papers.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            var c = (papers[b].Year ?? 0).CompareTo(papers[a].Year ?? 0);
            return c != 0 ? c : string.CompareOrdinal(papers[a].Key, papers[b].Key);
        });
        var rank = new int[papers.Length];
        for (var r = 0; r < order.Length; r++) rank[order[r]] = r;
        return (order, rank);
    }


    public static PaperIndex Of(LibrarySet set) => set.Memos.Get(IndexMemo, set, static s => new PaperIndex(s.Papers));

    public int Count => _papers.Length;

    /// <summary>Every paper's key folded as search folds text, in the order of the papers.</summary>
    internal string[] FoldedKeys => _foldedKeys;

    /// <summary>The best matches first, at most <paramref name="limit"/>; an empty query gives the papers in library order.</summary>
    public List<SearchHit> Search(string query, int limit, SearchMode mode = SearchMode.AllWords)
    {
        var tokens = SearchText.Words(query);
        var hits = new List<SearchHit>();
        if (tokens.Count == 0)
        {
            for (var i = 0; i < _papers.Length && hits.Count < limit; i++) hits.Add(new SearchHit(_papers[i], 0));
            return hits;
        }

        var foldedQuery = SearchText.Fold(query);
        var ranked = mode == SearchMode.AllWords && limit <= ShortQueryHits && tokens is [{ Length: <= ShortQueryLength } only] && foldedQuery == only
            && _oneCharacterQueries is not null
            ? ShortQuery(only)
            : Ranked(CandidatesOf(tokens, mode), tokens, foldedQuery, mode, limit);
        for (var h = 0; h < ranked.Length && h < limit; h++)
        {
            var packed = ranked[h];
            hits.Add(new SearchHit(_papers[_byTieRank[(int)(uint)packed]], int.MaxValue - (int)(packed >> 32)));
        }
        return hits;
    }

    /// <summary>
    /// The best <paramref name="limit"/> candidates, best score first and ties by the precomputed rank, each
    /// packed into one number (score in the high half, rank in the low half): sorting the tens of thousands
    /// of hits a short query has is then a sort of integers, not of papers.
    /// </summary>
    private long[] Ranked(Candidates found, List<string> tokens, string foldedQuery, SearchMode mode, int limit, bool background = false)
    {
        // Rented: for a short query this is as long as the library (see Scratch).
        if (found.Count == 0)
        {
            found.Dispose();
            return [];
        }
        var candidates = found.Array;
        var total = found.Count;
        var ranked = RankScratch.Rent(total);
        try
        {
            // A short query has tens of thousands of candidates: they are scored in parts, one per core, each
            // part into its own stretch of the array, which is then closed up.
            // Background work keeps to one core: the others answer the requests a person waits for.
            var parts = total >= ParallelScoring && !background ? Math.Clamp(Environment.ProcessorCount, 1, 8) : 1;
            var counts = new int[parts];
            void ScorePart(int part)
            {
                var from = (int)((long)total * part / parts);
                var to = (int)((long)total * (part + 1) / parts);
                var at = from;
                for (var c = from; c < to; c++)
                {
                    var i = candidates[c];
                    var score = Score(i, tokens, foldedQuery, mode);
                    if (score > 0) ranked[at++] = ((long)(int.MaxValue - score) << 32) | (uint)_tieRank[i];
                }
                counts[part] = at - from;
            }
            if (parts == 1) ScorePart(0);
            else Parallel.For(0, parts, ScorePart);
            var count = counts[0];
            for (var part = 1; part < parts; part++)
            {
                var from = (int)((long)total * part / parts);
                Array.Copy(ranked, from, ranked, count, counts[part]);
                count += counts[part];
            }
            return Smallest(ranked.AsSpan(0, count), limit);
        }
        finally
        {
            RankScratch.Return(ranked);
            found.Dispose();
        }
    }

    /// <summary>The <paramref name="limit"/> smallest numbers in order: a sort when most are wanted, else one pass keeping the best so far.</summary>
    private static long[] Smallest(Span<long> values, int limit)
    {
        if (values.Length <= limit * 4)
        {
            values.Sort();
            return values[..Math.Min(values.Length, limit)].ToArray();
        }
        // The largest of the best so far is on top, and leaves when a smaller number comes.
        var best = new PriorityQueue<long, long>(limit + 1);
        foreach (var value in values)
        {
            if (best.Count < limit) best.Enqueue(value, -value);
            else if (value < best.Peek()) best.EnqueueDequeue(value, -value);
        }
        var result = new long[best.Count];
        for (var i = result.Length - 1; i >= 0; i--) result[i] = best.Dequeue();
        return result;
    }

    /// <summary>
    /// The papers a query can match, in paper order, written into an array of <see cref="Scratch"/>, which the
    /// caller gives back (<see cref="Candidates.Dispose"/>). The default value, no candidates, holds no array.
    /// </summary>
    private readonly struct Candidates(int[] array, int count, bool rented)
    {
        public readonly int[] Array = array;
        public readonly int Count = count;

        public void Dispose()
        {
            if (rented) Scratch.Return(Array);
        }
    }

    /// <summary>The arrays a search works in, as long as the library at most (not the shared pool: see <see cref="Text.ScratchArrays"/>).</summary>
    private static System.Buffers.ArrayPool<int> Scratch => Text.ScratchArrays.Ints;
    private static System.Buffers.ArrayPool<long> RankScratch => Text.ScratchArrays.Longs;

    private Candidates CandidatesOf(List<string> tokens, SearchMode mode)
    {
        if (mode == SearchMode.AllWords)
        {
            // Every token must begin some word of the paper with its first (up to) three characters:
            // intersect those lists, smallest first, in one array.
            var lists = new List<Postings>(tokens.Count);
            foreach (var t in tokens)
            {
                if (Prefixed(t.AsSpan(0, Math.Min(3, t.Length))) is not { } list) return default;
                lists.Add(list);
            }
            lists.Sort((a, b) => a.Count.CompareTo(b.Count));
            var result = Scratch.Rent(lists[0].Count);
            var count = 0;
            foreach (var paper in lists[0]) result[count++] = paper;
            for (var l = 1; l < lists.Count && count > 0; l++) count = Intersect(result.AsSpan(0, count), lists[l]);
            return new Candidates(result, count, rented: true);
        }

        // Overlap: a paper is a candidate when any token of three or more characters begins one of its
        // words, or when a short token (an acronym) and another token both do. A broken key's year begins
        // words of tens of thousands of papers: their weights are summed in an array, not a hash map (which
        // made this most of the time a broken key's closest keys took).
        // The pool's arrays come back as their last user left them.
        var weights = Scratch.Rent(_papers.Length);
        Array.Clear(weights, 0, _papers.Length);
        var touched = Scratch.Rent(_papers.Length);
        var touchedCount = 0;
        try
        {
            foreach (var t in tokens)
            {
                var len = Math.Min(3, t.Length);
                if (Prefixed(t.AsSpan(0, len)) is not { } list) continue;
                var weight = t.Length >= 3 && !t.All(char.IsAsciiDigit) ? 2 : 1;
                foreach (var i in list)
                {
                    if (weights[i] == 0) touched[touchedCount++] = i;
                    weights[i] += weight;
                }
            }
            // The candidates are the touched papers heavy enough, kept in place.
            var count = 0;
            for (var k = 0; k < touchedCount; k++)
                if (weights[touched[k]] >= 2) touched[count++] = touched[k];
            return new Candidates(touched, count, rented: true);
        }
        catch
        {
            Scratch.Return(touched);
            throw;
        }
        finally
        {
            Scratch.Return(weights);
        }
    }

    /// <summary>Keeps the numbers of <paramref name="a"/> (sorted) that <paramref name="b"/> has, in place, in order; their count.</summary>
    private static int Intersect(Span<int> a, Postings b)
    {
        var count = 0;
        var reader = b.GetEnumerator();
        if (!reader.MoveNext()) return 0;
        foreach (var x in a)
        {
            while (reader.Current < x)
                if (!reader.MoveNext()) return count;
            if (reader.Current == x) a[count++] = x;
        }
        return count;
    }

    private int Score(int paper, List<string> tokens, string foldedQuery, SearchMode mode)
    {
        var total = 0;
        var matched = 0;
        foreach (var t in tokens)
        {
            var s = MatchToken(t, paper, 0, 0UL, -2, mode == SearchMode.BestOverlap);
            if (s < 0)
            {
                if (mode == SearchMode.AllWords) return 0;
                continue;
            }
            total += s;
            matched++;
        }
        if (matched == 0 || mode == SearchMode.BestOverlap && matched * 2 < tokens.Count) return 0;
        var foldedKey = _foldedKeys[paper];
        if (foldedKey == foldedQuery) total += 1000;
        else if (foldedKey.StartsWith(foldedQuery, StringComparison.Ordinal)) total += 100;
        return total;
    }

    /// <summary>
    /// The best score for covering <paramref name="t"/> from <paramref name="pos"/> with word prefixes of
    /// the paper's words not yet used, or -1. Pieces shorter than two characters are acronym letters,
    /// allowed only when asked for (and always for a last piece, which a person may still be typing).
    /// </summary>
    private int MatchToken(string t, int paper, int pos, ulong used, int lastTitleOrder, bool acronyms)
    {
        if (pos == t.Length) return 0;
        var best = -1;
        var first = _paperWords[paper];
        var count = _paperWords[paper + 1] - first;
        var next = _paperChars[paper];
        for (var k = 0; k < count && k < 64; k++)
        {
            var w = first + k;
            var start = next;
            int length = _wordLength[w];
            next += length;
            if ((used & (1UL << k)) != 0) continue;
            if (_chars[start] != t[pos]) continue;
            var common = 1;
            while (common < length && pos + common < t.Length && _chars[start + common] == t[pos + common]) common++;
            var minLen = acronyms || pos + common == t.Length ? 1 : Math.Min(2, length);
            var titleOrder = _wordTitleOrder[w];
            for (var len = common; len >= minLen; len--)
            {
                var rest = MatchToken(t, paper, pos + len, used | (1UL << k), titleOrder, acronyms);
                if (rest < 0) continue;
                var piece = len * 2 + (len == length ? 4 : 0) + _wordKind[w] switch
                {
                    Kind.Key => 3,
                    Kind.FirstAuthor => 4,
                    Kind.Year => 2,
                    _ => 0,
                };
                if (pos > 0) piece -= 3;
                if (titleOrder >= 0 && titleOrder == lastTitleOrder + 1) piece += 3;
                best = Math.Max(best, piece + rest);
                // A longer piece covering the same word is never worse, unless the rest cannot be matched.
                break;
            }
        }
        return best;
    }

    /// <summary>
    /// Adds one word of a paper to a part (the paper's words so far start at word <paramref name="firstWord"/> and
    /// character <paramref name="firstChar"/>): title stop words and words the paper already has are left out.
    /// </summary>
    private static void AddWord(Part part, int firstWord, int firstChar, ReadOnlySpan<char> word, Kind kind, ref short titleWords)
    {
        if (kind == Kind.Title && SearchText.IsStopword(word)) return;
        if (word.Length > LongestWord) word = word[..LongestWord];
        // Folded words are ASCII (AnyAscii transliterates the rest); a word that were not could not be kept a byte a character.
        if (!System.Text.Ascii.IsValid(word)) return;
        var chars = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(part.Chars);
        var start = firstChar;
        for (var w = firstWord; w < part.WordLength.Count; w++)
        {
            int length = part.WordLength[w];
            if (System.Text.Ascii.Equals(chars.Slice(start, length), word)) return;
            start += length;
        }
        part.WordLength.Add((byte)word.Length);
        part.WordKind.Add(kind);
        part.WordTitleOrder.Add(kind == Kind.Title ? (sbyte)Math.Min(titleWords++, sbyte.MaxValue) : (sbyte)-1);
        var at = part.Chars.Count;
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(part.Chars, at + word.Length);
        System.Text.Ascii.FromUtf16(word, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(part.Chars)[at..], out _);
    }

    private static ulong PrefixCode(ReadOnlySpan<char> prefix)
    {
        ulong code = (ulong)prefix.Length;
        foreach (var c in prefix) code = (code << 16) | c;
        return code;
    }
}
