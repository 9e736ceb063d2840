using System.Text.RegularExpressions;

namespace BibServer.Core.Notes;

/// <summary>One citation item found by <see cref="PandocCitationScanner"/>, in offsets of the scanned text.</summary>
internal struct ScannedCitation
{
    public int KeyStart;
    public int KeyEnd;
    public int ItemStart;
    public int ItemEnd;
    public int GroupStart;
    public int GroupEnd;
    public int PrefixStart;
    public int PrefixEnd;
    public int SuffixStart;
    public int SuffixEnd;
    public CitationMode Mode;
    public bool IsBraced;
}

/// <summary>An outermost citation in the scanned text and the entries of <see cref="PandocCitationScanner.Found"/> it holds.</summary>
internal readonly record struct CitationConstruct(int Start, int End, int FoundStart, int FoundCount);

/// <summary>
/// Recognises pandoc's citation syntax the way pandoc 2.17's Markdown reader does, on the inline text of one
/// paragraph, heading or table (Markdig decides the blocks). It reads the whole text as pandoc's inline
/// parser would and reports where the outermost citations are: <c>[prefix @key suffix; ...]</c> groups and
/// <c>@key</c> with an optional <c>[locator]</c> or following group, with the citations nested in prefixes
/// and suffixes.
/// <para>
/// Whether a bracket is a group, or an <c>@</c> starts a key, depends on everything before it in the
/// paragraph: pandoc parses prefixes and suffixes as inlines (a <c>]</c> or <c>;</c> inside code, emphasis,
/// quotes, math, a link or a nested group does not end the item; an unclosed <c>*</c> swallows the rest of
/// the paragraph), quotes and emphasis opened earlier change how a <c>"</c> or <c>*</c> inside a group
/// reads, an emphasis closer or a word right before <c>@</c> stops a key (<c>*x*@a</c>, <c>me@example.org</c>),
/// and <c>^[...]^</c> is a superscript while <c>^[...]</c> is a note. This class therefore mirrors pandoc's
/// inline parsers (names in comments are pandoc's), with their backtracking. It is not a Markdown
/// renderer: it only needs to know where each pandoc inline ends.
/// </para>
/// </summary>
internal sealed partial class PandocCitationScanner
{
    // Pandoc limits nesting too (stateMaxNestingLevel); this bound only keeps pathological input from
    // exhausting the stack. Beyond it a character is read as a plain symbol.
    private const int MaxDepth = 64;

    // Pandoc's grammar is quadratic in places even with failed tries remembered (each unclosed quote or
    // emphasis reads on to the end of the paragraph). Real text takes about 0.3 inline reads per character
    // (under 1 in the densest generated paragraphs); a block that takes more than this budget is
    // pathological, and from then on this scanner stops trying the constructs that read ahead and may fail
    // (emphasis, quotes, super- and subscripts, notes, groups without a closing bracket, link text), so that
    // it still finishes in milliseconds, with an approximate answer.
    private const int BaseBudget = 20_000;
    private const int BudgetPerCharacter = 4;

    private readonly string _text;
    private readonly int _fullEnd;
    private readonly List<ScannedCitation> _found = [];
    private readonly List<CitationConstruct> _constructs = [];

    // Where the range being read ends: the block's end, or a link's or note's closing bracket.
    private int _end;

    // pandoc's stateLastStrPos: where the last word ended, since an '@' right there starts no key.
    private int _lastStrEnd = -1;
    private Quote _quote;
    private int _depth;
    private int _citationDepth;
    private int _steps;
    private int _budget = int.MaxValue;

    // The closing bracket of the group being read (-1 when it has none), so that once the budget is spent
    // an item stops reading where its group must end anyway.
    private int _groupClose = -1;

    // Pandoc's grammar backtracks, and so does this scanner: a bracket is tried as a group, then as a link
    // whose text is read again, and each try reads nested brackets and emphasis the same way. Unchecked, a
    // run of nested or unclosed brackets costs exponential time (pandoc itself takes seconds for twenty
    // "["), which a parser run on every keystroke cannot afford. A failed try depends only on where it
    // starts, where the range ends and the quote context (an '@' after a word is decided before any try),
    // so failures are remembered, as are the pure bracket and code-span scans.
    private Dictionary<(Memo, int, int, Quote), int>? _memo;

    // The last stop found by NoteLabelStop.
    private int _noteStopFrom = -1;
    private int _noteStop = -1;
    private int _noteStopEnd = -1;

    /// <param name="text">The text to scan.</param>
    /// <param name="end">Where the scanned region ends (exclusive); scanning starts where the caller says.</param>
    public PandocCitationScanner(string text, int end)
    {
        _text = text;
        _end = end;
        _fullEnd = end;
    }

    private enum Quote
    {
        None,
        Single,
        Double,
    }

    private enum Memo
    {
        Group,
        BareLocator,
        Superscript,
        Subscript,
        Strikeout,
        DoubleQuote,
        SingleQuote,
        HtmlSpan,
        BracketEnd,
        CodeSpanEnd,
    }

    private readonly record struct Mark(int Found, int Constructs, int LastStrEnd, Quote Quote);

    private readonly record struct Key(int Start, int End, bool Braced, bool Suppress);

    /// <summary>Every citation found, each added when its item was complete (so nested ones come first).</summary>
    public List<ScannedCitation> Found => _found;

    /// <summary>
    /// The outermost citations found, each a run of text that Markdig should hand over whole: a group, or an
    /// in-text citation with its locator or following group. Citations nested in their prefixes and suffixes
    /// belong to them; <see cref="CitationConstruct.FoundStart"/> and <see cref="CitationConstruct.FoundCount"/>
    /// say which entries of <see cref="Found"/> do.
    /// </summary>
    public List<CitationConstruct> Constructs => _constructs;

    /// <summary>
    /// Reads the inline text of one paragraph, heading or table from <paramref name="from"/> to the end, as
    /// pandoc reads it. A pipe table is read cell by cell, as pandoc splits its rows before reading cells.
    /// </summary>
    public void ScanLeaf(int from)
    {
        SetBudget(from);
        if (PipeTable.IsTable(_text, from, _end))
        {
            foreach (var (cellStart, cellEnd) in PipeTable.Cells(_text, from, _end))
            {
                _lastStrEnd = -1;
                _quote = Quote.None;
                ScanRange(cellStart, cellEnd);
            }
            return;
        }
        ScanAll(from);
    }

    /// <summary>Whether a citation group starts at the '[' at <paramref name="open"/>; nothing is kept.</summary>
    public bool IsGroupAt(int open)
    {
        var mark = Save();
        var end = NormalCite(open);
        Restore(mark);
        return end >= 0;
    }

    /// <summary>Reads every inline from <paramref name="from"/> to the end, collecting all citations.</summary>
    public void ScanAll(int from)
    {
        if (_budget == int.MaxValue) SetBudget(from);
        var p = from;
        while (p < _end)
        {
            var next = Inline(p);
            if (next < 0) break;
            p = next;
        }
    }

    // pandoc's exampleRef, for an '@' that cannot start a citation: it takes the label along, so that an
    // '@' right after it can still start one ("x@a@b" cites b).
    private int ExampleReferenceEnd(int at)
    {
        var p = at + 1;
        while (p < _end)
        {
            if (CitationSyntax.TryRuneAt(_text, p, _end, out var rune, out var length) && CitationSyntax.IsAlphaNum(rune))
            {
                p += length;
            }
            else if ((_text[p] == '_' || _text[p] == '-') && CitationSyntax.IsAlphaNumAt(_text, p + 1, _end))
            {
                p++;
            }
            else
            {
                break;
            }
        }
        return p;
    }

    // Records a citation read outside any other citation as a construct; nested ones stay part of theirs.
    private int Outermost(int start, bool textual)
    {
        if (_citationDepth > 0) return textual ? TextualCiteCore(start) : NormalCiteCore(start);
        var foundStart = _found.Count;
        _citationDepth++;
        int end;
        try
        {
            end = textual ? TextualCiteCore(start) : NormalCiteCore(start);
        }
        finally
        {
            _citationDepth--;
        }
        if (end >= 0) _constructs.Add(new CitationConstruct(start, end, foundStart, _found.Count - foundStart));
        return end;
    }

    private Mark Save() => new(_found.Count, _constructs.Count, _lastStrEnd, _quote);

    private void Restore(Mark mark)
    {
        if (_found.Count > mark.Found) _found.RemoveRange(mark.Found, _found.Count - mark.Found);
        if (_constructs.Count > mark.Constructs) _constructs.RemoveRange(mark.Constructs, _constructs.Count - mark.Constructs);
        _lastStrEnd = mark.LastStrEnd;
        _quote = mark.Quote;
    }

    private bool Exhausted => _steps > _budget;

    private void SetBudget(int from) => _budget = BaseBudget + BudgetPerCharacter * Math.Max(0, _end - from);

    private bool Recall(Memo kind, int p, Quote quote, out int result)
    {
        result = 0;
        return _memo is not null && _memo.TryGetValue((kind, p, _end, quote), out result);
    }

    private void Remember(Memo kind, int p, Quote quote, int result) => (_memo ??= [])[(kind, p, _end, quote)] = result;

    private char At(int p) => p < _end ? _text[p] : '\0';

    private int NewlineLength(int p)
    {
        if (p >= _end) return 0;
        if (_text[p] == '\n') return 1;
        if (_text[p] == '\r') return p + 1 < _end && _text[p + 1] == '\n' ? 2 : 1;
        return 0;
    }

    private bool IsBlankLineAt(int p)
    {
        while (p < _end && (_text[p] == ' ' || _text[p] == '\t')) p++;
        return p >= _end || NewlineLength(p) > 0;
    }

    private int SkipSpaces(int p)
    {
        while (p < _end && (_text[p] == ' ' || _text[p] == '\t')) p++;
        return p;
    }

    // spnl: spaces, at most one newline, spaces, and not a blank line.
    private int Spnl(int p)
    {
        p = SkipSpaces(p);
        var newline = NewlineLength(p);
        if (newline > 0)
        {
            p = SkipSpaces(p + newline);
        }
        return NewlineLength(p) > 0 ? -1 : p;
    }

    // citeKey: an optional '-', '@', then a simple or a braced key. Fails right after a word.
    private int CiteKey(int p, out Key key)
    {
        key = default;
        if (p == _lastStrEnd) return -1;
        var suppress = false;
        if (At(p) == '-')
        {
            suppress = true;
            p++;
        }
        if (At(p) != '@') return -1;
        p++;
        var simpleEnd = CitationSyntax.ScanSimpleKey(_text, p, _end);
        if (simpleEnd > p)
        {
            key = new Key(p, simpleEnd, false, suppress);
            return simpleEnd;
        }
        if (At(p) == '{')
        {
            var close = CitationSyntax.ScanBracedKey(_text, p, _end);
            if (close < 0) return -1;
            key = new Key(p + 1, close, true, suppress);
            return close + 1;
        }
        return -1;
    }

    private int TextualCite(int at) => Outermost(at, textual: true);

    private int NormalCite(int open)
    {
        var quote = _quote;
        if (Recall(Memo.Group, open, quote, out _)) return -1;
        if (Exhausted && BalancedBracketEnd(open) < 0) return -1;
        var end = Outermost(open, textual: false);
        if (end < 0) Remember(Memo.Group, open, quote, -1);
        return end;
    }

    private int TextualCiteCore(int at)
    {
        var afterKey = CiteKey(at, out var key);
        if (afterKey < 0 || key.Suppress) return -1;
        var first = _found.Count;
        _found.Add(new ScannedCitation
        {
            KeyStart = key.Start,
            KeyEnd = key.End,
            ItemStart = at,
            ItemEnd = afterKey,
            GroupStart = -1,
            GroupEnd = -1,
            PrefixStart = at,
            PrefixEnd = at,
            SuffixStart = afterKey,
            SuffixEnd = afterKey,
            Mode = CitationMode.AuthorInText,
            IsBraced = key.Braced,
        });

        // A whole group may follow an in-text citation: "@a [@b; @c]" is one pandoc citation of three items.
        var spaced = Spnl(afterKey);
        if (spaced >= 0 && At(spaced) == '[')
        {
            var mark = Save();
            var end = NormalCite(spaced);
            if (end >= 0) return end;
            Restore(mark);
        }

        // Otherwise a bare locator: "@a [p. 3]" or "@a [p. 3; @b]".
        {
            var mark = Save();
            var end = BareLocator(afterKey, first);
            if (end >= 0) return end;
            Restore(mark);
        }
        return afterKey;
    }

    // bareloc: spnl '[' (not '^') suffix [';' spnl citeList] spnl ']' and not followed by '[' or '('.
    private int BareLocator(int afterKey, int first)
    {
        var quote = _quote;
        if (Recall(Memo.BareLocator, afterKey, quote, out _)) return -1;
        if (Exhausted && (Spnl(afterKey) is var open and >= 0) && (At(open) != '[' || BalancedBracketEnd(open) < 0)) return -1;
        var end = BareLocatorCore(afterKey, first);
        if (end < 0) Remember(Memo.BareLocator, afterKey, quote, -1);
        return end;
    }

    private int BareLocatorCore(int afterKey, int first)
    {
        var p = Spnl(afterKey);
        if (p < 0 || At(p) != '[') return -1;
        var savedClose = _groupClose;
        _groupClose = BalancedBracketEnd(p);
        try
        {
            return BareLocatorItems(p, first);
        }
        finally
        {
            _groupClose = savedClose;
        }
    }

    private int BareLocatorItems(int p, int first)
    {
        var open = p;
        p++;
        if (At(p) == '^') return -1;
        p = Suffix(p, out var suffixStart, out var suffixEnd);
        if (p < 0) return -1;
        var items = new List<int>();
        if (At(p) == ';')
        {
            var mark = Save();
            var rest = Spnl(p + 1);
            if (rest >= 0) rest = CiteList(rest, items);
            if (rest >= 0)
            {
                p = rest;
            }
            else
            {
                Restore(mark);
                items.Clear();
            }
        }
        p = Spnl(p);
        if (p < 0 || At(p) != ']') return -1;
        var close = p;
        p++;
        if (At(p) is '[' or '(') return -1;

        var citation = _found[first];
        citation.SuffixStart = suffixStart;
        citation.SuffixEnd = suffixEnd;
        citation.GroupStart = open;
        citation.GroupEnd = close + 1;
        // When only the locator is in the brackets they belong to this citation; when further citations
        // follow, this item ends with its locator.
        citation.ItemEnd = items.Count == 0 ? close + 1 : Math.Max(suffixEnd, citation.KeyEnd + (citation.IsBraced ? 1 : 0));
        _found[first] = citation;
        SetGroup(items, open, close + 1);
        return p;
    }

    // normalCite: '[' spnl citeList spnl ']', and not followed by '{', '(' or '[' (a span, a link or a
    // reference link, which pandoc 2.15+ reads as such rather than as a citation).
    private int NormalCiteCore(int open)
    {
        if (At(open) != '[') return -1;
        var savedClose = _groupClose;
        _groupClose = BalancedBracketEnd(open);
        try
        {
            return NormalCiteItems(open);
        }
        finally
        {
            _groupClose = savedClose;
        }
    }

    private int NormalCiteItems(int open)
    {
        var p = Spnl(open + 1);
        if (p < 0) return -1;
        var items = new List<int>();
        p = CiteList(p, items);
        if (p < 0) return -1;
        p = Spnl(p);
        if (p < 0 || At(p) != ']') return -1;
        var close = p;
        p++;
        if (At(p) is '{' or '(' or '[') return -1;
        SetGroup(items, open, close + 1);
        return p;
    }

    private void SetGroup(List<int> items, int start, int end)
    {
        foreach (var index in items)
        {
            var citation = _found[index];
            citation.GroupStart = start;
            citation.GroupEnd = end;
            _found[index] = citation;
        }
    }

    // citeList: citations separated by ';' and spnl. A separator followed by something that is not a
    // citation ends the list; the caller's ']' test then fails, as pandoc's does.
    private int CiteList(int p, List<int> items)
    {
        p = Citation(p, items);
        if (p < 0) return -1;
        while (At(p) == ';')
        {
            var mark = Save();
            var next = Spnl(p + 1);
            if (next >= 0) next = Citation(next, items);
            if (next < 0)
            {
                Restore(mark);
                break;
            }
            p = next;
        }
        return p;
    }

    // citation: prefix citeKey suffix.
    private int Citation(int start, List<int> items)
    {
        var mark = Save();
        var keyAt = Prefix(start, out var prefixEnd);
        if (keyAt < 0)
        {
            Restore(mark);
            return -1;
        }
        var afterKey = CiteKey(keyAt, out var key);
        if (afterKey < 0)
        {
            Restore(mark);
            return -1;
        }
        var end = Suffix(afterKey, out var suffixStart, out var suffixEnd);
        if (end < 0)
        {
            Restore(mark);
            return -1;
        }
        var prefixStart = SkipWhitespaceForward(start, prefixEnd);
        prefixEnd = TrimWhitespaceBack(prefixStart, prefixEnd);
        items.Add(_found.Count);
        _found.Add(new ScannedCitation
        {
            KeyStart = key.Start,
            KeyEnd = key.End,
            ItemStart = prefixEnd > prefixStart ? prefixStart : keyAt,
            ItemEnd = suffixEnd > suffixStart ? suffixEnd : afterKey,
            GroupStart = -1,
            GroupEnd = -1,
            PrefixStart = prefixStart,
            PrefixEnd = prefixEnd,
            SuffixStart = suffixStart,
            SuffixEnd = suffixEnd,
            Mode = key.Suppress ? CitationMode.SuppressAuthor : CitationMode.Parenthetical,
            IsBraced = key.Braced,
        });
        return end;
    }

    // prefix: inlines (none starting with ';') until a ']' (consumed: pandoc then wants a key right after
    // it) or until a key, optionally after a ';' (not consumed).
    private int Prefix(int p, out int prefixEnd)
    {
        while (true)
        {
            if (At(p) == ']')
            {
                prefixEnd = p;
                return p + 1;
            }
            var lookahead = p;
            if (At(lookahead) == ';')
            {
                var spaced = Spnl(lookahead + 1);
                if (spaced >= 0) lookahead = spaced;
            }
            if (CiteKey(lookahead, out _) >= 0)
            {
                prefixEnd = p;
                return p;
            }
            if (p >= _end || _text[p] == ';' || PastGroup(p))
            {
                prefixEnd = p;
                return -1;
            }
            var next = Inline(p);
            if (next < 0)
            {
                prefixEnd = p;
                return -1;
            }
            p = next;
        }
    }

    // suffix: spnl, then inlines until ';' or ']'. The span reported excludes surrounding whitespace.
    private int Suffix(int p, out int suffixStart, out int suffixEnd)
    {
        var start = p;
        p = Spnl(p);
        if (p < 0)
        {
            suffixStart = suffixEnd = start;
            return -1;
        }
        suffixStart = p;
        while (p < _end && _text[p] != ';' && _text[p] != ']')
        {
            if (PastGroup(p))
            {
                suffixEnd = p;
                return -1;
            }
            var next = Inline(p);
            if (next < 0) break;
            p = next;
        }
        suffixEnd = TrimWhitespaceBack(suffixStart, p);
        return p;
    }

    private bool PastGroup(int p) => Exhausted && (_groupClose < 0 || p > _groupClose);

    private int SkipWhitespaceForward(int p, int limit)
    {
        while (p < limit && char.IsWhiteSpace(_text[p])) p++;
        return p;
    }

    private int TrimWhitespaceBack(int start, int p)
    {
        while (p > start && char.IsWhiteSpace(_text[p - 1])) p--;
        return p;
    }

    /// <summary>
    /// Reads one pandoc inline at <paramref name="p"/> and returns where it ends, or -1 at the end of the
    /// text. Citations inside it are added to <see cref="Found"/>.
    /// </summary>
    private int Inline(int p)
    {
        if (p >= _end) return -1;
        _steps++;
        if (_depth >= MaxDepth) return Symbol(p);
        _depth++;
        try
        {
            var c = _text[p];
            var end = c switch
            {
                ' ' or '\t' => Whitespace(p),
                '\n' or '\r' => Endline(p),
                '`' => CodeSpanEnd(p),
                '*' or '_' => Enclosure(p, c),
                '^' => Superscript(p) is var sup and >= 0 ? sup : InlineNote(p),
                '[' => Bracket(p),
                '!' => Image(p),
                '$' => MathEnd(p),
                '~' => Strikeout(p) is var strike and >= 0 ? strike : Subscript(p),
                '<' => Angle(p),
                '\\' => Backslash(p),
                '@' => AtSign(p),
                '"' or '\u201C' => DoubleQuoted(p),
                '\'' or '\u2018' => SingleQuoted(p),
                '-' => Dash(p),
                '.' => Ellipses(p),
                '&' => CharacterReference(p),
                _ => -1,
            };
            return end >= 0 ? end : StrOrSymbol(p);
        }
        finally
        {
            _depth--;
        }
    }

    // whitespace: spaces; two or more before a newline make a hard line break that takes the newline.
    private int Whitespace(int p)
    {
        var start = p;
        p = SkipSpaces(p);
        if (p - start >= 2 && NewlineLength(p) > 0 && !IsBlankLineAt(p + NewlineLength(p))) p = Endline(p);
        return p;
    }

    // endline: a newline that does not end the paragraph, with the next line's indentation.
    private int Endline(int p)
    {
        var length = NewlineLength(p);
        if (length == 0 || IsBlankLineAt(p + length)) return -1;
        return SkipSpaces(p + length);
    }

    private int Symbol(int p)
    {
        CitationSyntax.TryRuneAt(_text, p, _end, out _, out var length);
        return p + Math.Max(1, length);
    }

    // str: letters and digits, with single periods; it is the only inline after which an '@' is "after a
    // word". Anything else is a one-character symbol.
    private int StrOrSymbol(int p)
    {
        var q = p;
        while (q < _end)
        {
            if (char.IsAsciiLetterOrDigit(_text[q]))
            {
                q++;
            }
            else if (_text[q] >= '\u0080' && CitationSyntax.TryRuneAt(_text, q, _end, out var rune, out var length) && CitationSyntax.IsAlphaNum(rune))
            {
                q += length;
            }
            else if (_text[q] == '.' && At(q + 1) != '.')
            {
                q++;
            }
            else
            {
                break;
            }
        }
        if (q == p) return Symbol(p);
        _lastStrEnd = q;
        return q;
    }

    // code: a run of n backticks up to the next run of exactly n.
    private int CodeSpanEnd(int p)
    {
        if (_memo is null || !_memo.TryGetValue((Memo.CodeSpanEnd, p, _fullEnd, Quote.None), out var known))
        {
            var savedEnd = _end;
            _end = _fullEnd;
            try
            {
                known = CodeSpanEndCore(p);
            }
            finally
            {
                _end = savedEnd;
            }
            (_memo ??= [])[(Memo.CodeSpanEnd, p, _fullEnd, Quote.None)] = known;
        }
        return known <= _end ? known : -1;
    }

    private int CodeSpanEndCore(int p)
    {
        var run = RunLength(p, '`');
        var q = p + run;
        while (q < _end)
        {
            if (_text[q] == '`')
            {
                var closing = RunLength(q, '`');
                if (closing == run) return q + closing;
                q += closing;
            }
            else
            {
                var newline = NewlineLength(q);
                if (newline > 0 && IsBlankLineAt(q + newline)) return -1;
                q += Math.Max(1, newline);
            }
        }
        return -1;
    }

    private int RunLength(int p, char c)
    {
        var q = p;
        while (q < _end && _text[q] == c) q++;
        return q - p;
    }

    // enclosure: '*' or '_' runs opening emphasis. pandoc parses the content as inlines up to the closer;
    // when no closer comes it still consumes everything it read, which is how an unclosed '*' inside a
    // group makes the group fail. Closers count as the end of a word.
    private int Enclosure(int p, char c)
    {
        if (c == '_' && p == _lastStrEnd) return -1;
        var run = RunLength(p, c);
        var q = p + run;
        if (Exhausted) return q;
        if (At(q) is ' ' or '\t') return Whitespace(q);
        return run switch
        {
            3 => Three(q, c),
            2 => Two(q, c),
            1 => One(q, c),
            _ => q,
        };
    }

    private int Ender(int p, char c, int n)
    {
        for (var i = 0; i < n; i++)
        {
            if (At(p + i) != c) return -1;
        }
        if (c == '_' && CitationSyntax.IsAlphaNumAt(_text, p + n, _end)) return -1;
        return p + n;
    }

    private int One(int p, char c)
    {
        while (!Exhausted)
        {
            if (Ender(p, c, 1) < 0)
            {
                var next = Inline(p);
                if (next < 0) break;
                p = next;
                continue;
            }
            if (At(p) == c && At(p + 1) == c && Ender(p + 2, c, 1) < 0)
            {
                p = Two(p + 2, c);
                continue;
            }
            break;
        }
        var closer = Ender(p, c, 1);
        if (closer < 0) return p;
        _lastStrEnd = closer;
        return closer;
    }

    private int Two(int p, char c)
    {
        while (!Exhausted && Ender(p, c, 2) < 0)
        {
            var next = Inline(p);
            if (next < 0) break;
            p = next;
        }
        var closer = Ender(p, c, 2);
        if (closer < 0) return p;
        _lastStrEnd = closer;
        return closer;
    }

    private int Three(int p, char c)
    {
        while (!Exhausted && Ender(p, c, 1) < 0)
        {
            var next = Inline(p);
            if (next < 0) break;
            p = next;
        }
        var closer = Ender(p, c, 3);
        if (closer >= 0)
        {
            _lastStrEnd = closer;
            return closer;
        }
        closer = Ender(p, c, 2);
        if (closer >= 0)
        {
            _lastStrEnd = closer;
            return One(closer, c);
        }
        closer = Ender(p, c, 1);
        if (closer >= 0)
        {
            _lastStrEnd = closer;
            return Two(closer, c);
        }
        return p;
    }

    // superscript: '^', inlines without spaces, '^'.
    private int Superscript(int p) => Delimited(p, '^');

    // subscript: '~', inlines without spaces, '~'.
    private int Subscript(int p) => Delimited(p, '~');

    private int Delimited(int p, char delimiter)
    {
        var kind = delimiter == '^' ? Memo.Superscript : Memo.Subscript;
        if (Exhausted || Recall(kind, p, _quote, out _)) return -1;
        var mark = Save();
        var q = p + 1;
        var count = 0;
        while (true)
        {
            if (count > 0 && At(q) == delimiter) return q + 1;
            if (q >= _end || At(q) is ' ' or '\t' || NewlineLength(q) > 0 || Exhausted) break;
            var next = Inline(q);
            if (next < 0) break;
            q = next;
            count++;
        }
        Restore(mark);
        Remember(kind, p, _quote, -1);
        return -1;
    }

    // strikeout: '~~' before a non-space, inlines, '~~'.
    private int Strikeout(int p)
    {
        if (At(p + 1) != '~' || At(p + 2) is '~' or ' ' or '\t' or '\n' or '\r' || p + 2 >= _end) return -1;
        if (Exhausted || Recall(Memo.Strikeout, p, _quote, out _)) return -1;
        var mark = Save();
        var q = p + 2;
        var count = 0;
        while (q < _end && !Exhausted)
        {
            if (count > 0 && At(q) == '~' && At(q + 1) == '~') return q + 2;
            var next = Inline(q);
            if (next < 0) break;
            q = next;
            count++;
        }
        Restore(mark);
        Remember(Memo.Strikeout, p, _quote, -1);
        return -1;
    }

    // inlineNote: '^[' with balanced brackets; the content is read as inlines.
    private int InlineNote(int p)
    {
        if (At(p + 1) != '[' || Exhausted) return -1;
        var close = BalancedBracketEnd(p + 1);
        if (close < 0) return -1;
        ScanRange(p + 2, close);
        return close + 1;
    }

    // '[' is a note reference, a citation group, a bracketed span or a link, in that order; pandoc reads
    // any balanced bracket that is not a group as a (possibly unresolved) link whose text is inlines.
    // Pandoc 2.17 refuses "[^..." as a link label, but not "[@...".
    private int Bracket(int p)
    {
        if (At(p + 1) == '^')
        {
            var q = NoteLabelStop(p + 2);
            if (q > p + 2 && At(q) == ']') return q + 1;
        }
        var mark = Save();
        var group = NormalCite(p);
        if (group >= 0) return group;
        Restore(mark);
        if (At(p + 1) == '^') return -1;
        return LinkLike(p);
    }

    // The first blank or ']' from a position on. Runs of "[^" would otherwise each scan to the same stop,
    // so the last stop found is kept: it is also the stop for any position before it.
    private int NoteLabelStop(int from)
    {
        if (from >= _noteStopFrom && from <= _noteStop && _noteStopEnd == _end) return _noteStop;
        var q = from;
        while (q < _end && !(_text[q] is ' ' or '\t' or '\n' or '\r' or ']')) q++;
        (_noteStopFrom, _noteStop, _noteStopEnd) = (from, q, _end);
        return q;
    }

    private int Image(int p) => At(p + 1) == '[' ? LinkLike(p + 1) : -1;

    // link: a label in balanced brackets, then a destination "(...)", attributes "{...}", a reference label
    // "[...]", or nothing. An unresolved reference link falls back to text, and pandoc then reads the label
    // and the reference label each on its own, brackets included for the latter: so in "[x][see @b](u)"
    // the second bracket, read alone, is a citation group, though "(u)" follows it in the note.
    private int LinkLike(int open)
    {
        var close = BalancedBracketEnd(open);
        if (close < 0) return -1;
        if (!Exhausted) ScanRange(open + 1, close);
        var p = close + 1;
        if (At(p) == '(')
        {
            var sourceEnd = LinkSourceEnd(p);
            if (sourceEnd >= 0) return sourceEnd;
        }
        if (At(p) == '{')
        {
            var attributesEnd = _text.IndexOf('}', p, _end - p);
            if (attributesEnd >= 0) return attributesEnd + 1;
        }
        if (At(p) == '[')
        {
            // A reference label, unless it is a citation group: pandoc looks for a group there first.
            var before = Save();
            var group = NormalCite(p);
            Restore(before);
            if (group < 0)
            {
                var referenceClose = BalancedBracketEnd(p);
                if (referenceClose >= 0)
                {
                    if (!Exhausted) ScanRange(p, referenceClose + 1);
                    return referenceClose + 1;
                }
            }
        }
        return p;
    }

    private void ScanRange(int from, int to)
    {
        var savedEnd = _end;
        _end = to;
        try
        {
            ScanAll(from);
        }
        finally
        {
            _end = savedEnd;
        }
    }

    // source: "(" spaces, a URL in angle brackets or URL chunks (balanced parentheses, escapes, single
    // characters, spaces not before a quote or ')'), an optional quoted title, spaces, ")". Anything else is
    // not a destination, and the parentheses are then plain text that may hold citations.
    private int LinkSourceEnd(int open)
    {
        var p = SkipSpaces(open + 1);
        if (At(p) == '<')
        {
            var q = p + 1;
            while (q < _end && _text[q] != '>')
            {
                if (NewlineLength(q) > 0 && IsBlankLineAt(q + NewlineLength(q))) return -1;
                q += _text[q] == '\\' ? 2 : 1;
            }
            if (q >= _end) return -1;
            p = q + 1;
        }
        else
        {
            while (p < _end)
            {
                var c = _text[p];
                if (c == '(')
                {
                    var close = BalancedParenthesesEnd(p);
                    p = close >= 0 ? close + 1 : p + 1;
                }
                else if (c is ' ' or '\t')
                {
                    var after = SkipSpaces(p);
                    if (At(after) is '"' or '\'' or ')') break;
                    p = after;
                }
                else if (c == ')')
                {
                    break;
                }
                else if (c == '\\' && p + 1 < _end && NewlineLength(p + 1) == 0)
                {
                    p += 2;
                }
                else if (NewlineLength(p) > 0)
                {
                    if (IsBlankLineAt(p + NewlineLength(p))) break;
                    p += NewlineLength(p);
                }
                else
                {
                    p++;
                }
            }
        }
        var titled = Spnl(p);
        if (titled >= 0 && At(titled) is '"' or '\'')
        {
            var titleEnd = QuotedTitleEnd(titled);
            if (titleEnd >= 0) p = titleEnd;
        }
        p = SkipSpaces(p);
        return At(p) == ')' ? p + 1 : -1;
    }

    // A link title in quotes: not starting with a space, ending at the same quote when no letter or digit
    // follows it.
    private int QuotedTitleEnd(int open)
    {
        var quote = _text[open];
        if (open + 1 >= _end || char.IsWhiteSpace(_text[open + 1])) return -1;
        for (var q = open + 1; q < _end; q++)
        {
            var c = _text[q];
            if (c == '\\')
            {
                q++;
                continue;
            }
            if (c == quote && !CitationSyntax.IsAlphaNumAt(_text, q + 1, _end)) return q + 1;
            if (NewlineLength(q) > 0 && IsBlankLineAt(q + NewlineLength(q))) return -1;
        }
        return -1;
    }

    private int BalancedParenthesesEnd(int open)
    {
        var depth = 0;
        for (var q = open; q < _end; q++)
        {
            var c = _text[q];
            if (c == '\\')
            {
                q++;
                continue;
            }
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return q;
            else if (NewlineLength(q) > 0 && IsBlankLineAt(q + NewlineLength(q))) return -1;
        }
        return -1;
    }

    // inlinesInBalancedBrackets: the matching ']' skipping escapes, code, raw HTML and math.
    // Bracket matches and code spans are found against the whole block and remembered by position alone,
    // then clipped to the current range. That is exact: a range narrower than the block is the text of a
    // link or note, which ends at a ']' that every code span, tag or math inside it already ends before.
    private int BalancedBracketEnd(int open)
    {
        if (_memo is null || !_memo.TryGetValue((Memo.BracketEnd, open, _fullEnd, Quote.None), out var known))
        {
            var savedEnd = _end;
            _end = _fullEnd;
            try
            {
                BalancedBracketSweep(open);
            }
            finally
            {
                _end = savedEnd;
            }
            known = _memo![(Memo.BracketEnd, open, _fullEnd, Quote.None)];
        }
        return known < _end ? known : -1;
    }

    // One sweep from an opening bracket finds the matching ']' of every bracket opened on the way too (the
    // skips from an inner bracket on are the same), so each is remembered: a run of unclosed brackets
    // then costs one pass, not one per bracket.
    private void BalancedBracketSweep(int open)
    {
        var opened = new Stack<int>();
        var p = open;
        while (p < _end)
        {
            var c = _text[p];
            switch (c)
            {
                case '\\':
                    p += p + 1 < _end && !CitationSyntax.IsAlphaNumAt(_text, p + 1, _end) ? 2 : 1;
                    continue;
                case '`':
                    var code = CodeSpanEnd(p);
                    p = code >= 0 ? code : p + RunLength(p, '`');
                    continue;
                case '<':
                    var tag = HtmlTagEnd(p);
                    p = tag >= 0 ? tag : p + 1;
                    continue;
                case '$':
                    var math = MathEnd(p);
                    p = math >= 0 ? math : p + 1;
                    continue;
                case '[':
                    opened.Push(p);
                    break;
                case ']':
                    if (opened.Count > 0)
                    {
                        (_memo ??= [])[(Memo.BracketEnd, opened.Pop(), _fullEnd, Quote.None)] = p;
                        if (opened.Count == 0) return;
                    }
                    break;
                case '\n' or '\r':
                    var newline = NewlineLength(p);
                    if (IsBlankLineAt(p + newline)) p = _end;
                    else p += newline;
                    continue;
            }
            p++;
        }
        while (opened.Count > 0) (_memo ??= [])[(Memo.BracketEnd, opened.Pop(), _fullEnd, Quote.None)] = -1;
    }

    // math: "$$...$$" display math, or "$...$" where the opening '$' is not followed by a space, the closing
    // one is not preceded by a space and not followed by a digit.
    private int MathEnd(int p)
    {
        if (At(p + 1) == '$')
        {
            var q = p + 2;
            while (q + 1 < _end)
            {
                if (_text[q] == '\\')
                {
                    q += 2;
                    continue;
                }
                if (_text[q] == '$' && _text[q + 1] == '$') return q > p + 2 ? q + 2 : -1;
                var newline = NewlineLength(q);
                if (newline > 0 && IsBlankLineAt(q + newline)) return -1;
                q++;
            }
            return InlineMathEnd(p);
        }
        return InlineMathEnd(p);
    }

    private int InlineMathEnd(int p)
    {
        var q = p + 1;
        if (q >= _end || char.IsWhiteSpace(_text[q])) return -1;
        var items = 0;
        while (q < _end)
        {
            var c = _text[q];
            if (items > 0 && c == '$')
            {
                return char.IsAsciiDigit(At(q + 1)) ? -1 : q + 1;
            }
            if (c == '\\')
            {
                q = Math.Min(_end, q + 2);
            }
            else if (char.IsWhiteSpace(c))
            {
                var newline = NewlineLength(q);
                if (newline > 0 && IsBlankLineAt(q + newline)) return -1;
                q += Math.Max(1, newline);
                if (At(q) == '$') return -1;
            }
            else
            {
                q++;
            }
            items++;
        }
        return -1;
    }

    // '<': an autolink, an HTML span (whose content is inlines), another raw HTML tag, or a plain '<'.
    private int Angle(int p)
    {
        var autolink = AutolinkEnd(p);
        if (autolink >= 0) return autolink;
        var tag = HtmlTagEnd(p);
        if (tag < 0) return -1;
        if (IsSpanOpenTag(p, tag) && !Exhausted && !Recall(Memo.HtmlSpan, p, _quote, out _))
        {
            var mark = Save();
            var q = tag;
            while (q < _end && !Exhausted)
            {
                if (At(q) == '<' && IsSpanCloseTag(q, out var closeEnd)) return closeEnd;
                var next = Inline(q);
                if (next < 0) break;
                q = next;
            }
            Restore(mark);
            Remember(Memo.HtmlSpan, p, _quote, -1);
        }
        return tag;
    }

    private bool IsSpanOpenTag(int p, int tagEnd) =>
        tagEnd - p >= 6
        && string.Compare(_text, p + 1, "span", 0, 4, StringComparison.OrdinalIgnoreCase) == 0
        && At(p + 5) is '>' or ' ' or '\t' or '\n' or '\r' or '/';

    private bool IsSpanCloseTag(int p, out int end)
    {
        end = -1;
        if (At(p + 1) != '/' || string.Compare(_text, p + 2, "span", 0, 4, StringComparison.OrdinalIgnoreCase) != 0) return false;
        var q = SkipSpaces(p + 6);
        if (At(q) != '>') return false;
        end = q + 1;
        return true;
    }

    // autoLink: "<scheme:...>" or "<local@domain>", as CommonMark and pandoc read them.
    private int AutolinkEnd(int p)
    {
        var match = Autolink().Match(_text, p + 1, Math.Min(_end - p - 1, 2048));
        return match.Success && match.Index == p + 1 ? match.Index + match.Length : -1;
    }

    [GeneratedRegex(@"\G(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*)>")]
    private static partial Regex Autolink();

    // A raw HTML tag: an open tag with well-formed attributes, a closing tag, a comment, a processing
    // instruction, a declaration or CDATA. A '<' that does not start one is a plain character, so
    // "@a<b, ... @c>d" holds no tag.
    private int HtmlTagEnd(int p)
    {
        if (At(p) != '<') return -1;
        var q = p + 1;
        if (At(q) == '!')
        {
            if (At(q + 1) == '-' && At(q + 2) == '-')
            {
                var close = _text.IndexOf("-->", q + 3, _end - (q + 3), StringComparison.Ordinal);
                return close >= 0 ? close + 3 : -1;
            }
            if (string.CompareOrdinal(_text, q + 1, "[CDATA[", 0, 7) == 0 && q + 8 <= _end)
            {
                var close = _text.IndexOf("]]>", q + 8, _end - (q + 8), StringComparison.Ordinal);
                return close >= 0 ? close + 3 : -1;
            }
            if (!char.IsAsciiLetter(At(q + 1))) return -1;
            var declarationEnd = _text.IndexOf('>', q, _end - q);
            return declarationEnd >= 0 ? declarationEnd + 1 : -1;
        }
        if (At(q) == '?')
        {
            var close = _text.IndexOf("?>", q + 1, _end - (q + 1), StringComparison.Ordinal);
            return close >= 0 ? close + 2 : -1;
        }
        var closing = At(q) == '/';
        if (closing) q++;
        if (!char.IsAsciiLetter(At(q))) return -1;
        while (char.IsAsciiLetterOrDigit(At(q)) || At(q) == '-') q++;
        if (closing)
        {
            q = SkipHtmlSpace(q);
            return At(q) == '>' ? q + 1 : -1;
        }
        while (true)
        {
            var afterSpace = SkipHtmlSpace(q);
            if (At(afterSpace) == '>') return afterSpace + 1;
            if (At(afterSpace) == '/' && At(afterSpace + 1) == '>') return afterSpace + 2;
            if (afterSpace == q) return -1;
            q = afterSpace;
            if (!(char.IsAsciiLetter(At(q)) || At(q) is '_' or ':')) return -1;
            while (char.IsAsciiLetterOrDigit(At(q)) || At(q) is '_' or '.' or ':' or '-') q++;
            var beforeValue = SkipHtmlSpace(q);
            if (At(beforeValue) != '=') continue;
            q = SkipHtmlSpace(beforeValue + 1);
            if (At(q) is '"' or '\'')
            {
                var close = _text.IndexOf(At(q), q + 1, _end - (q + 1));
                if (close < 0) return -1;
                q = close + 1;
            }
            else
            {
                var start = q;
                while (q < _end && !char.IsWhiteSpace(_text[q]) && _text[q] is not ('"' or '\'' or '=' or '<' or '>' or '`')) q++;
                if (q == start) return -1;
            }
        }
    }

    private int SkipHtmlSpace(int q)
    {
        while (q < _end && char.IsWhiteSpace(_text[q]) && !IsBlankLineAt(q + NewlineLength(q))) q++;
        return q;
    }

    // '\': an escaped character (any non-alphanumeric one), a line break before a newline, or raw TeX.
    private int Backslash(int p)
    {
        if (p + 1 >= _end) return -1;
        if (NewlineLength(p + 1) > 0) return p + 1;
        if (CitationSyntax.TryRuneAt(_text, p + 1, _end, out var rune, out var length))
        {
            if (!CitationSyntax.IsAlphaNum(rune)) return p + 1 + length;
            // Raw TeX: a control word with its braced arguments. Pandoc's TeX reader counts '@' as a letter
            // in control words (as LaTeX packages do), so "\alpha@a" is one command and cites nothing.
            var q = p + 1;
            while (q < _end && (char.IsAsciiLetter(_text[q]) || _text[q] == '@')) q++;
            if (q == p + 1) return -1;
            while (At(q) == '{')
            {
                var close = MatchingBrace(q);
                if (close < 0) break;
                q = close + 1;
            }
            return q;
        }
        return -1;
    }

    private int MatchingBrace(int open)
    {
        var depth = 0;
        for (var q = open; q < _end; q++)
        {
            if (_text[q] == '\\')
            {
                q++;
                continue;
            }
            if (_text[q] == '{') depth++;
            else if (_text[q] == '}' && --depth == 0) return q;
        }
        return -1;
    }

    // '@': an author-in-text citation, or else an example reference that takes its label along.
    private int AtSign(int p)
    {
        if (p != _lastStrEnd)
        {
            var mark = Save();
            var end = TextualCite(p);
            if (end >= 0) return end;
            Restore(mark);
        }
        return ExampleReferenceEnd(p);
    }

    // smart quotes: an opening quote not after a word and not before a space, inlines, a closing quote.
    // Unclosed quotes fall back to a single quote character.
    private int DoubleQuoted(int p)
    {
        if (_quote == Quote.Double || p == _lastStrEnd || p + 1 >= _end || char.IsWhiteSpace(_text[p + 1])) return -1;
        if (Exhausted || Recall(Memo.DoubleQuote, p, _quote, out _)) return p + 1;
        var mark = Save();
        _quote = Quote.Double;
        var q = p + 1;
        while (q < _end && !Exhausted)
        {
            if (At(q) is '"' or '\u201D')
            {
                _quote = mark.Quote;
                return q + 1;
            }
            var next = Inline(q);
            if (next < 0) break;
            q = next;
        }
        Restore(mark);
        Remember(Memo.DoubleQuote, p, _quote, -1);
        return p + 1;
    }

    private int SingleQuoted(int p)
    {
        if (_quote == Quote.Single || p == _lastStrEnd || p + 1 >= _end || char.IsWhiteSpace(_text[p + 1])) return -1;
        if (Exhausted || Recall(Memo.SingleQuote, p, _quote, out _)) return p + 1;
        var mark = Save();
        _quote = Quote.Single;
        var q = Inline(p + 1);
        while (q >= 0 && q < _end && !Exhausted)
        {
            if (At(q) is '\'' or '\u2019' && !CitationSyntax.IsAlphaNumAt(_text, q + 1, _end))
            {
                _quote = mark.Quote;
                return q + 1;
            }
            q = Inline(q);
        }
        Restore(mark);
        Remember(Memo.SingleQuote, p, _quote, -1);
        return p + 1;
    }

    private int Dash(int p) => At(p + 1) == '-' ? (At(p + 2) == '-' ? p + 3 : p + 2) : -1;

    private int Ellipses(int p) => At(p + 1) == '.' && At(p + 2) == '.' ? p + 3 : -1;

    private int CharacterReference(int p)
    {
        var q = p + 1;
        if (At(q) == '#') q++;
        var start = q;
        while (q < _end && char.IsAsciiLetterOrDigit(_text[q])) q++;
        return q > start && At(q) == ';' ? q + 1 : -1;
    }
}
