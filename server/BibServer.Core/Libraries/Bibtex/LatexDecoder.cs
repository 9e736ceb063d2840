using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// Turns the LaTeX of a BibTeX value into the text a reader sees: accents to composed Unicode,
/// escaped specials to their characters, dashes and quotes to typographic ones, case-protecting braces
/// dropped, whitespace folded. Math (<c>$...$</c>) is kept exactly as written, because a title's formula
/// reads better as source than as a wrong guess.
/// </summary>
internal static class LatexDecoder
{
    // A value with none of these (and no "--", "''", double space or combining mark) is already its own
    // decoding, which is true of most abstracts and names; that path allocates only the result.
    private static readonly SearchValues<char> NeedsWork = SearchValues.Create("\\{}~$`\n\r\t");

    [ThreadStatic] private static char[]? t_buffer;

    public static string Decode(ReadOnlySpan<char> raw)
    {
        raw = Trim(raw);
        if (raw.IsEmpty) return "";
        if (IsPlain(raw)) return new string(raw);
        return DecodeSlow(raw);
    }

    internal static bool IsPlain(ReadOnlySpan<char> raw)
    {
        // Names, years and page numbers are short: one scalar pass beats five vectorised ones there.
        if (raw.Length < 48)
        {
            var previous = '\0';
            foreach (var c in raw)
            {
                if (c < 128 ? IsSpecialAscii(c) || (c == previous && c is '-' or ' ' or '\'') : c is >= '\u0300' and <= '\u036F') return false;
                previous = c;
            }
            return true;
        }
        return raw.IndexOfAny(NeedsWork) < 0
            && raw.IndexOf("--") < 0
            && raw.IndexOf("  ") < 0
            && raw.IndexOf("''") < 0
            && raw.IndexOfAnyInRange('\u0300', '\u036F') < 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSpecialAscii(char c) => c is '\\' or '{' or '}' or '~' or '$' or '`' or '\n' or '\r' or '\t';

    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> s)
    {
        var start = 0;
        while (start < s.Length && IsSpace(s[start])) start++;
        var end = s.Length;
        while (end > start && IsSpace(s[end - 1])) end--;
        return s[start..end];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSpace(char c) => c <= ' ' && (c == ' ' || (c >= '\t' && c <= '\r'));

    private static string DecodeSlow(ReadOnlySpan<char> raw)
    {
        // The output is rarely longer than the input (accents and commands shrink), so one buffer per
        // thread, grown when needed, serves every value without allocating.
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < raw.Length + 16) buffer = new char[Math.Max(raw.Length * 2, 1024)];
        var writer = new Writer(buffer);
        Run(raw, ref writer);
        t_buffer = writer.Buffer;
        return new string(writer.Buffer, 0, writer.Length);
    }

    private static void Run(ReadOnlySpan<char> raw, ref Writer w)
    {
        var i = 0;
        while (i < raw.Length)
        {
            var c = raw[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '~':
                    w.Space();
                    i++;
                    break;
                case '{' or '}':
                    i++;
                    break;
                case '$':
                    i = MathSpan(raw, i, ref w);
                    break;
                case '-':
                    {
                        var run = 1;
                        while (i + run < raw.Length && raw[i + run] == '-') run++;
                        i += run;
                        for (; run >= 3; run -= 3) w.Emit('\u2014');
                        if (run == 2) w.Emit('\u2013');
                        else if (run == 1) w.Emit('-');
                        break;
                    }
                case '`':
                    if (i + 1 < raw.Length && raw[i + 1] == '`') { w.Emit('\u201C'); i += 2; }
                    else { w.Emit('\u2018'); i++; }
                    break;
                case '\'':
                    if (i + 1 < raw.Length && raw[i + 1] == '\'') { w.Emit('\u201D'); i += 2; }
                    else { w.Emit('\''); i++; }
                    break;
                case '\\':
                    i = Command(raw, i, ref w);
                    break;
                default:
                    if (UnicodeComposition.IsCombiningMark(c))
                    {
                        w.Emit(c);
                        i++;
                        break;
                    }
                    i += w.Run(OrdinaryRun(raw[i..]));
                    break;
            }
        }
    }

    // Characters that end a run of text copied as it stands. Single spaces stay inside runs, so that
    // most of an abstract is copied a word group at a time rather than one character at a time.
    private static readonly SearchValues<char> RunStops = SearchValues.Create("\\{}~$`'-\t\n\r\f\v");

    /// <summary>The longest prefix that needs no decoding: no stop character, combining mark or double space.</summary>
    private static ReadOnlySpan<char> OrdinaryRun(ReadOnlySpan<char> rest)
    {
        var stop = rest.IndexOfAny(RunStops);
        var run = stop < 0 ? rest : rest[..stop];
        var mark = run.IndexOfAnyInRange('\u0300', '\u036F');
        if (mark >= 0) run = run[..mark];
        var doubleSpace = run.IndexOf("  ");
        if (doubleSpace >= 0) run = run[..(doubleSpace + 1)];
        return run.IsEmpty ? rest[..1] : run;
    }

    /// <summary>Copies <c>$...$</c> (or <c>$$...$$</c>) as it stands; a lone <c>$</c> is just a dollar sign.</summary>
    private static int MathSpan(ReadOnlySpan<char> raw, int i, ref Writer w)
    {
        var display = i + 1 < raw.Length && raw[i + 1] == '$';
        var open = display ? 2 : 1;
        var j = i + open;
        while (j < raw.Length)
        {
            if (raw[j] == '\\') { j += 2; continue; }
            if (raw[j] == '$' && (!display || (j + 1 < raw.Length && raw[j + 1] == '$'))) break;
            j++;
        }
        if (j >= raw.Length)
        {
            w.Emit('$');
            return i + 1;
        }
        var end = j + open;
        w.Verbatim(raw[i..end]);
        return end;
    }

    private static int Command(ReadOnlySpan<char> raw, int i, ref Writer w)
    {
        if (i + 1 >= raw.Length)
        {
            w.Emit('\\');
            return i + 1;
        }
        var n = raw[i + 1];
        if (!char.IsAsciiLetter(n)) return ControlSymbol(raw, n, i + 2, ref w);

        var end = i + 1;
        while (end < raw.Length && char.IsAsciiLetter(raw[end])) end++;
        var name = raw[(i + 1)..end];

        if (name.Length <= 1 && LetterAccent(name) is var mark && mark != '\0') return Accent(raw, mark, end, ref w);
        if (Symbols.TryGetValue(name, out var text))
        {
            w.Emit(text);
            return SkipSpaces(raw, end);
        }
        if (Commands.TryGetValue(name, out var kind))
        {
            switch (kind)
            {
                case CommandKind.KeepArgument:
                case CommandKind.Switch:
                    return SkipSpaces(raw, end);
                case CommandKind.DropArgument:
                    return SkipArgument(raw, SkipSpaces(raw, end));
                case CommandKind.DropFirstArgument:
                    return SkipSpaces(raw, SkipArgument(raw, SkipSpaces(raw, end)));
                case CommandKind.VerbatimArgument:
                    {
                        var start = SkipSpaces(raw, end);
                        if (start >= raw.Length || raw[start] != '{') return start;
                        var close = GroupEnd(raw, start);
                        w.Verbatim(raw[(start + 1)..Math.Min(close, raw.Length)]);
                        return Math.Min(close + 1, raw.Length);
                    }
            }
        }
        // An unknown command with an argument is most often formatting (\mathsf{x}, \ding{51}): its
        // argument is the readable part. Without one, the command is shown as written so nothing is lost.
        if (end < raw.Length && raw[end] == '{') return end;
        w.Verbatim(raw[i..end]);
        return end;
    }

    private static int ControlSymbol(ReadOnlySpan<char> raw, char n, int next, ref Writer w)
    {
        switch (n)
        {
            case '"': return Accent(raw, '\u0308', next, ref w);
            case '\'': return Accent(raw, '\u0301', next, ref w);
            case '`': return Accent(raw, '\u0300', next, ref w);
            case '^': return Accent(raw, '\u0302', next, ref w);
            case '~': return Accent(raw, '\u0303', next, ref w);
            case '=': return Accent(raw, '\u0304', next, ref w);
            case '.': return Accent(raw, '\u0307', next, ref w);
            case '\\' or ' ' or '\t' or '\n' or '\r' or ',' or ';' or ':':
                w.Space();
                return next;
            case '-' or '/' or '@' or '!':
                return next;
            default:
                w.Emit(n);
                return next;
        }
    }

    private static char LetterAccent(ReadOnlySpan<char> name) => name.Length != 1 ? '\0' : name[0] switch
    {
        'c' => '\u0327', // cedilla
        'v' => '\u030C', // caron
        'u' => '\u0306', // breve
        'H' => '\u030B', // double acute
        'k' => '\u0328', // ogonek
        'r' => '\u030A', // ring
        'd' => '\u0323', // dot below
        'b' => '\u0331', // macron below
        't' => '\u0361', // tie
        _ => '\0',
    };

    /// <summary>
    /// Starts an accent: the next character written carries it. Braces and spaces before the base letter
    /// (<c>\"{o}</c>, <c>\c c</c>) are skipped by the main loop, and a nested command (<c>\'{\i}</c>)
    /// writes its character first, so nesting works without recursion.
    /// </summary>
    private static int Accent(ReadOnlySpan<char> raw, char mark, int next, ref Writer w)
    {
        var k = SkipSpaces(raw, next);
        if (k < raw.Length && raw[k] == '{')
        {
            var inner = SkipSpaces(raw, k + 1);
            if (inner < raw.Length && raw[inner] == '}')
            {
                // "\^{}" and "\~{}" are how LaTeX writes a plain caret and tilde.
                if (mark == '\u0302') w.Emit('^');
                else if (mark == '\u0303') w.Emit('~');
                return inner + 1;
            }
        }
        if (k >= raw.Length) return k;
        w.Accent(mark);
        return k;
    }

    private static int SkipSpaces(ReadOnlySpan<char> raw, int i)
    {
        while (i < raw.Length && IsSpace(raw[i])) i++;
        return i;
    }

    /// <summary>Skips one TeX argument: a brace group, a control sequence, or one character.</summary>
    private static int SkipArgument(ReadOnlySpan<char> raw, int i)
    {
        if (i >= raw.Length) return i;
        if (raw[i] == '{') return Math.Min(GroupEnd(raw, i) + 1, raw.Length);
        if (raw[i] == '\\')
        {
            var j = i + 1;
            if (j < raw.Length && char.IsAsciiLetter(raw[j]))
            {
                while (j < raw.Length && char.IsAsciiLetter(raw[j])) j++;
                return j;
            }
            return Math.Min(j + 1, raw.Length);
        }
        return i + 1;
    }

    /// <summary>The index of the brace closing the group opened at <paramref name="open"/>, or the end.</summary>
    private static int GroupEnd(ReadOnlySpan<char> raw, int open)
    {
        var depth = 0;
        for (var j = open; j < raw.Length; j++)
        {
            if (raw[j] == '{') depth++;
            else if (raw[j] == '}' && --depth == 0) return j;
        }
        return raw.Length;
    }

    private ref struct Writer(char[] buffer)
    {
        private bool _pendingSpace;
        private char _pendingMark;

        public char[] Buffer { get; private set; } = buffer;

        public int Length { get; private set; }

        public void Space()
        {
            // Spaces between an accent and its letter ("\c c") belong to the accent, not the text.
            if (_pendingMark == '\0' && Length > 0) _pendingSpace = true;
        }

        public void Accent(char mark) => _pendingMark = mark;

        public void Emit(char c)
        {
            if (_pendingSpace)
            {
                Append(' ');
                _pendingSpace = false;
            }
            if (UnicodeComposition.IsCombiningMark(c) && Length > 0)
            {
                var composed = UnicodeComposition.Compose(Buffer[Length - 1], c);
                if (composed != '\0')
                {
                    Buffer[Length - 1] = composed;
                    return;
                }
            }
            Append(c);
            if (_pendingMark != '\0')
            {
                var mark = _pendingMark;
                _pendingMark = '\0';
                // Dotless i and j are how LaTeX spells the base of an accented i or j.
                var letter = c switch { '\u0131' => 'i', '\u0237' => 'j', _ => c };
                var composed = UnicodeComposition.Compose(letter, mark);
                if (composed != '\0') Buffer[Length - 1] = composed;
                else Append(mark);
            }
        }

        /// <summary>Copies a run of ordinary text (no double spaces), folding its edge spaces into the text around it. Returns the run's length.</summary>
        public int Run(ReadOnlySpan<char> run)
        {
            var consumed = run.Length;
            if (_pendingMark != '\0')
            {
                Emit(run[0]);
                run = run[1..];
            }
            var start = 0;
            while (start < run.Length && run[start] == ' ') start++;
            if (start > 0) Space();
            var end = run.Length;
            while (end > start && run[end - 1] == ' ') end--;
            if (end > start)
            {
                if (_pendingSpace)
                {
                    Append(' ');
                    _pendingSpace = false;
                }
                var text = run[start..end];
                if (Length + text.Length > Buffer.Length) Grow(text.Length);
                text.CopyTo(Buffer.AsSpan(Length));
                Length += text.Length;
                if (end < run.Length) Space();
            }
            return consumed;
        }

        public void Emit(string text)
        {
            foreach (var c in text)
            {
                if (c == ' ') Space();
                else Emit(c);
            }
        }

        public void Verbatim(ReadOnlySpan<char> text)
        {
            if (text.IsEmpty) return;
            if (_pendingSpace)
            {
                Append(' ');
                _pendingSpace = false;
            }
            _pendingMark = '\0';
            foreach (var c in text) Append(c);
        }

        private void Append(char c)
        {
            if (Length == Buffer.Length) Grow(1);
            Buffer[Length++] = c;
        }

        private void Grow(int more)
        {
            var bigger = new char[Math.Max(Buffer.Length * 2, Length + more)];
            Buffer.AsSpan(0, Length).CopyTo(bigger);
            Buffer = bigger;
        }
    }

    private enum CommandKind : byte
    {
        /// <summary>Formatting around an argument: the argument is the text (\emph{x}, \textbf{x}).</summary>
        KeepArgument,

        /// <summary>A font switch with no visible output (\it, \bfseries).</summary>
        Switch,

        /// <summary>Its argument is not shown (\vphantom{x}, \noopsort{a}).</summary>
        DropArgument,

        /// <summary>The first argument is not shown, the second is the text (\href{url}{text}).</summary>
        DropFirstArgument,

        /// <summary>The argument is kept exactly, since it is a URL or a path (\url{...}).</summary>
        VerbatimArgument,
    }

    private static readonly FrozenDictionary<string, CommandKind>.AlternateLookup<ReadOnlySpan<char>> Commands =
        BuildCommands().GetAlternateLookup<ReadOnlySpan<char>>();

    private static FrozenDictionary<string, CommandKind> BuildCommands()
    {
        var d = new Dictionary<string, CommandKind>(StringComparer.Ordinal);
        foreach (var name in "textit textbf textsc texttt textrm textsf textsl textup textmd textnormal emph mbox hbox text textsuperscript textsubscript mathrm mathit mathbf mathsf mathtt mathcal mathbb mathnormal ensuremath uppercase lowercase MakeUppercase MakeLowercase NoCaseChange bibstring enquote".Split(' '))
            d[name] = CommandKind.KeepArgument;
        foreach (var name in "it bf em sc rm tt sl sf up md itshape bfseries scshape normalfont upshape mdseries rmfamily sffamily ttfamily slshape relax protect xspace small large Large LARGE huge Huge footnotesize scriptsize tiny normalsize selectfont null unskip cyrchar".Split(' '))
            d[name] = CommandKind.Switch;
        foreach (var name in "vphantom hphantom phantom noopsort nocite label index".Split(' '))
            d[name] = CommandKind.DropArgument;
        foreach (var name in "href textcolor".Split(' '))
            d[name] = CommandKind.DropFirstArgument;
        foreach (var name in "url path nolinkurl".Split(' '))
            d[name] = CommandKind.VerbatimArgument;
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Symbols =
        BuildSymbols().GetAlternateLookup<ReadOnlySpan<char>>();

    private static FrozenDictionary<string, string> BuildSymbols()
    {
        // Pairs "name=text" separated by spaces; the text never contains a space or '='.
        const string table =
            "ss=ß SS=SS o=ø O=Ø aa=å AA=Å ae=æ AE=Æ oe=œ OE=Œ l=ł L=Ł i=ı j=ȷ dh=ð DH=Ð th=þ TH=Þ ng=ŋ NG=Ŋ dj=đ DJ=Đ " +
            "textendash=– textemdash=— textbackslash=\\ textasciitilde=~ textasciicircum=^ textunderscore=_ textbar=| " +
            "textless=< textgreater=> textquotedbl=\" textquoteleft=‘ textquoteright=’ textquotedblleft=“ textquotedblright=” " +
            "textquotesingle=' textbraceleft={ textbraceright=} lbrace={ rbrace=} textdollar=$ textsection=§ S=§ P=¶ textparagraph=¶ " +
            "dag=† ddag=‡ textdagger=† textdaggerdbl=‡ copyright=© textcopyright=© textregistered=® texttrademark=™ " +
            "ldots=… dots=… textellipsis=… textdegree=° degree=° textquestiondown=¿ textexclamdown=¡ textasciimacron=¯ " +
            "texttimes=× textdiv=÷ textmu=µ textrightarrow=→ textleftarrow=← textperiodcentered=· texteuro=€ euro=€ " +
            "pounds=£ textsterling=£ textyen=¥ textcent=¢ textbullet=• textasciiacute=´ textasciidieresis=¨ " +
            "textonehalf=½ textonequarter=¼ textthreequarters=¾ textperthousand=‰ textpm=± textordfeminine=ª " +
            "textordmasculine=º guillemotleft=« guillemotright=» guillemetleft=« guillemetright=» guilsinglleft=‹ " +
            "guilsinglright=› quotedblbase=„ quotesinglbase=‚ slash=/ textslash=/ textasteriskcentered=* " +
            "LaTeX=LaTeX TeX=TeX BibTeX=BibTeX LaTeXe=LaTeX2ε " +
            "alpha=α beta=β gamma=γ delta=δ epsilon=ϵ varepsilon=ε zeta=ζ eta=η theta=θ vartheta=ϑ iota=ι kappa=κ " +
            "lambda=λ mu=μ nu=ν xi=ξ pi=π varpi=ϖ rho=ρ varrho=ϱ sigma=σ varsigma=ς tau=τ upsilon=υ phi=ϕ varphi=φ " +
            "chi=χ psi=ψ omega=ω Gamma=Γ Delta=Δ Theta=Θ Lambda=Λ Xi=Ξ Pi=Π Sigma=Σ Upsilon=Υ Phi=Φ Psi=Ψ Omega=Ω " +
            "leq=≤ le=≤ geq=≥ ge=≥ neq=≠ ne=≠ pm=± mp=∓ times=× cdot=· sim=∼ approx=≈ infty=∞ rightarrow=→ to=→ " +
            "leftarrow=← leftrightarrow=↔ Rightarrow=⇒ Leftarrow=⇐ langle=⟨ rangle=⟩ ll=≪ gg=≫ circ=∘ partial=∂ " +
            "nabla=∇ hbar=ℏ prime=′ ell=ℓ propto=∝ equiv=≡ AE=Æ";
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in table.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', 1);
            d[pair[..eq]] = pair[(eq + 1)..];
        }
        // Spacing commands: a space, which the writer folds with its neighbours.
        foreach (var name in "quad qquad enspace space nobreakspace thinspace".Split(' ')) d[name] = " ";
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
