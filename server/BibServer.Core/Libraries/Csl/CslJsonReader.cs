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

    /// <summary>
    /// Reads the JSON into the shared node shape. System.Text.Json reads UTF-8 bytes, so token positions
    /// are mapped back to the UTF-16 offsets the rest of BibServer uses.
    /// </summary>
    internal static CslNode? Parse(string text, ICollection<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var first = text[0] == '\uFEFF' ? 1 : 0;
        var bytes = Encoding.UTF8.GetBytes(text, first, text.Length - first);
        var offsets = new Utf8Offsets(bytes, first);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 256,
        });

        var stack = new Stack<CslNodeBuilder>();
        CslNode? root = null;

        void Add(CslNode node)
        {
            if (stack.Count == 0) root = node;
            else stack.Peek().Add(node);
        }

        try
        {
            while (reader.Read())
            {
                var start = offsets.CharOffset(reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        stack.Push(new CslNodeBuilder(reader.TokenType == JsonTokenType.StartObject, start));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        Add(stack.Pop().Build(start + 1, complete: true));
                        break;
                    case JsonTokenType.PropertyName:
                        stack.Peek().SetName(reader.GetString()!, ContentSpan(ref reader, offsets));
                        break;
                    case JsonTokenType.String:
                        Add(new CslScalar(ContentSpan(ref reader, offsets), reader.GetString()!, CslScalarKind.String));
                        break;
                    case JsonTokenType.Number:
                        Add(new CslScalar(ContentSpan(ref reader, offsets), Encoding.UTF8.GetString(reader.ValueSpan), CslScalarKind.Number));
                        break;
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        Add(new CslScalar(ContentSpan(ref reader, offsets), reader.GetBoolean() ? "true" : "false", CslScalarKind.Boolean));
                        break;
                    case JsonTokenType.Null:
                        Add(new CslScalar(ContentSpan(ref reader, offsets), "", CslScalarKind.Null));
                        break;
                }
            }
        }
        catch (JsonException error)
        {
            var at = offsets.CharOffset(ByteOffset(bytes, error.LineNumber ?? 0, error.BytePositionInLine ?? 0));
            var span = new TextSpan(at, at < text.Length ? 1 : 0);
            var what = stack.Count > 0 || root is null
                ? " The references before this point were read; the rest of the file was skipped."
                : " Everything after this point was ignored.";
            problems.Add(new Problem(Severity.Error, $"This JSON is malformed: {Describe(error)}{what}", span, "csl-json-syntax"));
            // Close what was open so the items completed before the damage survive.
            while (stack.Count > 0) Add(stack.Pop().Build(at, complete: false));
        }
        return root;
    }

    /// <summary>The span of a token's text: a string's content without its quotes, or a literal's characters.</summary>
    private static TextSpan ContentSpan(ref Utf8JsonReader reader, Utf8Offsets offsets)
    {
        var quoted = reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName;
        var startByte = reader.TokenStartIndex + (quoted ? 1 : 0);
        var start = offsets.CharOffset(startByte);
        return TextSpan.FromBounds(start, offsets.CharOffset(startByte + reader.ValueSpan.Length));
    }

    /// <summary>Utf8JsonReader reports errors by line (counting "\n") and byte in line; this finds the byte offset.</summary>
    private static long ByteOffset(byte[] bytes, long line, long byteInLine)
    {
        long offset = 0;
        for (var seen = 0L; seen < line && offset < bytes.Length; offset++)
        {
            if (bytes[offset] == (byte)'\n') seen++;
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
