using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Csl;

/// <summary>Reads a CSL-JSON library: an array of items, a single item, or {"items": [...]}.</summary>
public static partial class CslJsonReader
{
    /// <summary>
    /// Reads the papers of a CSL-JSON text. Each paper's span covers its object and its focus span the id's
    /// text. Malformed JSON keeps the items read before the damage and reports where it is.
    /// </summary>
    public static LibraryDocument Read(string path, string text)
    {
        var problems = new List<Problem>();
        var root = Parse(text, problems);
        var items = CslMapping.FindItems(root, CslDialect.Json, problems);
        var papers = CslMapping.MapItems(path, items, CslDialect.Json, problems);
        return new LibraryDocument(path, CslJsonFormat.Instance, text, papers, [.. problems]);
    }

    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 256,
    };

    /// <summary>
    /// Reads the JSON into the shared node shape. System.Text.Json reads UTF-8 bytes, so token positions
    /// are mapped back to the UTF-16 offsets the rest of BibServer uses. Damage inside the list of items is
    /// reported where it is, the item it is in is dropped, and reading resumes at the next item, the way the
    /// BibTeX reader resumes at the next <c>@</c>: one stray character costs one reference, not the library.
    /// </summary>
    internal static CslNode? Parse(string text, ICollection<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var first = text[0] == '\uFEFF' ? 1 : 0;
        var bytes = Encoding.UTF8.GetBytes(text, first, text.Length - first);
        var offsets = new Utf8Offsets(bytes, first);
        var stack = new Stack<CslNodeBuilder>();
        CslNode? root = null;

        void Add(CslNode node)
        {
            if (stack.Count == 0) root = node;
            else stack.Peek().Add(node);
        }

        // Where the last value read with `oneValue` ended, as a byte offset.
        long consumedTo = 0;

        // Reads tokens from byte offset `from` until the input ends or, with `oneValue`, until the value that
        // starts there is closed. Returns the error and its byte offset, or null.
        (JsonException Error, long At)? ReadTokens(long from, bool oneValue)
        {
            var reader = new Utf8JsonReader(bytes.AsSpan((int)from), isFinalBlock: true, new JsonReaderState(Options));
            var depth = stack.Count;
            try
            {
                while (reader.Read())
                {
                    var start = offsets.CharOffset(from + reader.TokenStartIndex);
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject:
                        case JsonTokenType.StartArray:
                            stack.Push(new CslNodeBuilder(reader.TokenType == JsonTokenType.StartObject, start));
                            break;
                        case JsonTokenType.EndObject:
                        case JsonTokenType.EndArray:
                            Add(stack.Pop().Build(start + 1, complete: true));
                            if (oneValue && stack.Count == depth)
                            {
                                consumedTo = from + reader.BytesConsumed;
                                return null;
                            }
                            break;
                        case JsonTokenType.PropertyName:
                            stack.Peek().SetName(reader.GetString()!, ContentSpan(ref reader, offsets, from));
                            break;
                        case JsonTokenType.String:
                            Add(new CslScalar(ContentSpan(ref reader, offsets, from), reader.GetString()!, CslScalarKind.String));
                            break;
                        case JsonTokenType.Number:
                            Add(new CslScalar(ContentSpan(ref reader, offsets, from), Encoding.UTF8.GetString(reader.ValueSpan), CslScalarKind.Number));
                            break;
                        case JsonTokenType.True:
                        case JsonTokenType.False:
                            Add(new CslScalar(ContentSpan(ref reader, offsets, from), reader.GetBoolean() ? "true" : "false", CslScalarKind.Boolean));
                            break;
                        case JsonTokenType.Null:
                            Add(new CslScalar(ContentSpan(ref reader, offsets, from), "", CslScalarKind.Null));
                            break;
                    }
                }
                return null;
            }
            catch (JsonException error)
            {
                return (error, from + ByteOffset(bytes.AsSpan((int)from), error.LineNumber ?? 0, error.BytePositionInLine ?? 0));
            }
        }

        void Report(JsonException error, int at, string what)
        {
            var span = new TextSpan(at, at < text.Length ? 1 : 0);
            problems.Add(new Problem(Severity.Error, $"This JSON is malformed: {Describe(error)}{what}", span, "csl-json-syntax"));
        }

        // Closes what is open above `depth`, so the items completed before the damage survive; a broken
        // item is kept as incomplete, which is never made a paper.
        void CloseTo(int depth, int at)
        {
            while (stack.Count > depth) Add(stack.Pop().Build(at, complete: false));
        }

        // Reads the items of the list on top of the stack one by one from `from`, until the list closes.
        (JsonException, long)? ReadItems(long from)
        {
            var p = from;
            while (true)
            {
                if (ReadTokens(p, oneValue: true) is { } broken) return broken;
                p = SkipWhitespace(bytes, consumedTo);
                if (p < bytes.Length && bytes[p] == (byte)',') p = SkipWhitespace(bytes, p + 1);
                if (p >= bytes.Length) return (new JsonException("the file ends before the list of references is closed."), p);
                if (bytes[p] == (byte)']')
                {
                    // The list is whole again: what encloses it (an {"items": ...} object) is closed as read.
                    Add(stack.Pop().Build(offsets.CharOffset(p) + 1, complete: true));
                    while (stack.Count > 0) Add(stack.Pop().Build(text.Length, complete: true));
                    return null;
                }
                if (bytes[p] != (byte)'{') return (new JsonException($"'{(char)bytes[p]}' cannot start a reference. Expected ',' or ']'."), p);
            }
        }

        var damage = ReadTokens(0, oneValue: false);
        while (damage is var (error, at))
        {
            var atChar = offsets.CharOffset(at);
            if (stack.Count == 0 && root is null && Array.IndexOf(bytes, (byte)'[', (int)at) is var open and >= 0)
            {
                // Something stray before the list: it is read from its opening bracket.
                Report(error, atChar, " What is before the list of references was skipped.");
                damage = ReadTokens(open, oneValue: false);
                continue;
            }
            if (stack.Count == 0 && root is CslMap { Complete: true } lone && bytes[(int)at] == (byte)','
                && NextItem(bytes, offsets, at, lone.Span.Start) >= 0)
            {
                // A reference followed by more: the list's opening bracket is missing, and the references
                // are read as a list all the same.
                var list = new CslNodeBuilder(isMap: false, lone.Span.Start);
                list.Add(lone);
                stack.Push(list);
                root = null;
                error = new JsonException("a reference is followed by more, but no '[' opens the list of references.");
                atChar = lone.Span.Start;
            }
            if (stack.Count > 0 && at >= bytes.Length)
            {
                // The file ends with containers open. A list that holds one whole list of references is a
                // doubled '[', shown where it is, and read as the list inside it.
                var unclosed = stack.Peek();
                if (stack.Count == 1 && unclosed.Build(atChar, complete: false) is CslList { Items: [CslList { Complete: true } inner] })
                {
                    stack.Pop();
                    root = inner;
                    Report(new JsonException("this '[' is never closed."), unclosed.Start, " The references in the list inside it were read.");
                    break;
                }
                error = new JsonException($"the file ends before the {(unclosed.IsMap ? "'{'" : "'['")} opened on line {text.AsSpan(0, unclosed.Start).Count('\n') + 1} is closed.");
            }
            var listDepth = ItemListDepth(stack);
            if (listDepth < 0)
            {
                Report(error, atChar, stack.Count > 0 || root is null
                    ? " The references before this point were read; the rest of the file was skipped."
                    : " Everything after this point was ignored.");
                CloseTo(0, atChar);
                break;
            }
            var brokenItemStart = stack.Count > listDepth ? stack.ElementAt(stack.Count - listDepth - 1).Start : -1;
            CloseTo(listDepth, atChar);
            var next = NextItem(bytes, offsets, at, brokenItemStart);
            if (next < 0)
            {
                Report(error, atChar, " The references before this point were read; no whole reference follows it.");
                CloseTo(0, atChar);
                break;
            }
            Report(error, atChar, " Reading went on at the next reference; what lies between was skipped.");
            damage = ReadItems(next);
        }
        return root;
    }

    /// <summary>
    /// How deep in the stack of open containers the list of items is: 0 for a root array, 1 for the array of
    /// an <c>{"items": [...]}</c> root; -1 when the damage is not inside such a list.
    /// </summary>
    private static int ItemListDepth(Stack<CslNodeBuilder> stack)
    {
        var bottomUp = stack.Reverse().ToArray();
        if (bottomUp.Length >= 1 && !bottomUp[0].IsMap) return 1;
        if (bottomUp.Length >= 2 && bottomUp[0].IsMap && !bottomUp[1].IsMap) return 2;
        return -1;
    }

    /// <summary>
    /// Where the next whole item starts after damage at <paramref name="at"/>: the first <c>{</c> from there
    /// (past the start of the broken item) that opens an object which reads to its end and looks like a
    /// reference (it has an <c>id</c>, or a <c>type</c> with a <c>title</c> or <c>author</c>). An author or a
    /// date inside the broken item is an object too, but not one that looks like a reference. -1 when none.
    /// </summary>
    private static long NextItem(byte[] bytes, Utf8Offsets offsets, long at, int brokenItemStart)
    {
        for (var p = at; p < bytes.Length; p++)
        {
            p = Array.IndexOf(bytes, (byte)'{', (int)p);
            if (p < 0) return -1;
            if (offsets.CharOffset(p) <= brokenItemStart) continue;
            if (LooksLikeItem(bytes.AsSpan((int)p))) return p;
        }
        return -1;
    }

    private static bool LooksLikeItem(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: true, new JsonReaderState(Options));
        bool id = false, type = false, title = false;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("id"u8)) id = true;
                    else if (reader.ValueTextEquals("type"u8)) type = true;
                    else if (reader.ValueTextEquals("title"u8) || reader.ValueTextEquals("author"u8)) title = true;
                }
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0) return id || (type && title);
            }
        }
        catch (JsonException)
        {
        }
        return false;
    }

    private static long SkipWhitespace(byte[] bytes, long p)
    {
        while (p < bytes.Length && bytes[p] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') p++;
        return p;
    }

    /// <summary>The span of a token's text: a string's content without its quotes, or a literal's characters.</summary>
    private static TextSpan ContentSpan(ref Utf8JsonReader reader, Utf8Offsets offsets, long from)
    {
        var quoted = reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName;
        var startByte = from + reader.TokenStartIndex + (quoted ? 1 : 0);
        var start = offsets.CharOffset(startByte);
        return TextSpan.FromBounds(start, offsets.CharOffset(startByte + reader.ValueSpan.Length));
    }

    /// <summary>Utf8JsonReader reports errors by line (counting "\n") and byte in line; this finds the byte offset.</summary>
    private static long ByteOffset(ReadOnlySpan<byte> bytes, long line, long byteInLine)
    {
        long offset = 0;
        for (var seen = 0L; seen < line && offset < bytes.Length; offset++)
        {
            if (bytes[(int)offset] == (byte)'\n') seen++;
        }
        return Math.Min(bytes.Length, offset + byteInLine);
    }

    private static string Describe(JsonException error)
    {
        var message = PositionSuffix().Replace(error.Message, "").Trim()
            .Replace("'0x0A'", "a line break").Replace("'0x0D'", "a carriage return").Replace("'0x09'", "a tab");
        return message.EndsWith('.') ? message : message + ".";
    }

    [GeneratedRegex(@"\s*(?:Path: \S+ \|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex PositionSuffix();

    /// <summary>
    /// Maps UTF-8 byte offsets to UTF-16 offsets. Queries come in increasing order, so it walks forward from the
    /// last answer and the whole read stays linear.
    /// </summary>
    private sealed class Utf8Offsets(byte[] bytes, int baseOffset)
    {
        private long _byte;
        private int _char;

        public int CharOffset(long byteOffset)
        {
            byteOffset = Math.Clamp(byteOffset, 0, bytes.Length);
            if (byteOffset < _byte) (_byte, _char) = (0, 0);
            for (; _byte < byteOffset; _byte++)
            {
                var b = bytes[_byte];
                // A lead byte starts a character; four-byte sequences are surrogate pairs in UTF-16.
                if ((b & 0xC0) != 0x80) _char += b >= 0xF0 ? 2 : 1;
            }
            return baseOffset + _char;
        }
    }
}
