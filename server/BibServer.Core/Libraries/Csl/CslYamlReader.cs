using System.Text.RegularExpressions;
using BibServer.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BibServer.Core.Libraries.Csl;

/// <summary>
/// Reads CSL-YAML: a document whose root maps "references" to a list of items (a Markdown note's front
/// matter, as pandoc reads it), or a root list of items.
/// </summary>
public static partial class CslYamlReader
{
    /// <summary>
    /// Reads the papers of a CSL-YAML text. <paramref name="baseOffset"/> is where <paramref name="text"/> starts
    /// in the file it came from (a note's front matter), and every span is shifted by it, so spans are offsets
    /// in that file. Leading "---" and a closing "---" or "..." are allowed; only the first YAML document is read.
    /// The document's <see cref="LibraryDocument.Text"/> is <paramref name="text"/> itself, so with a base offset
    /// its spans are to be resolved against the whole file, not against that text.
    /// </summary>
    public static LibraryDocument Read(string path, string text, int baseOffset = 0)
    {
        var problems = new List<Problem>();
        var root = Parse(text, baseOffset, problems);
        var items = CslMapping.FindItems(root, CslDialect.Yaml, problems);
        var papers = CslMapping.MapItems(path, items, CslDialect.Yaml, problems);
        return new LibraryDocument(path, CslYamlFormat.Instance, text, papers, [.. problems]);
    }

    /// <summary>
    /// Reads the first YAML document into the shared node shape from YamlDotNet's parser events, which carry
    /// character positions. Reading events rather than a whole representation model keeps what came before
    /// a syntax error.
    /// </summary>
    internal static CslNode? Parse(string text, int baseOffset, ICollection<Problem> problems) =>
        Parse(text, 0, text.Length, baseOffset, problems, MaxResumptions);

    /// <summary>
    /// How often one text resumes after damage: each resumption reads the rest as a list of its own, one
    /// call deeper, so the depth is bounded; past it the rest of the text is skipped.
    /// </summary>
    private const int MaxResumptions = 500;

    /// <summary>Reads <c>text[start..end]</c>, whose offsets count from <paramref name="baseOffset"/> + <paramref name="start"/>.</summary>
    private static CslNode? Parse(string whole, int sliceStart, int sliceEnd, int wholeBase, ICollection<Problem> problems, int resumptions)
    {
        var baseOffset = wholeBase + sliceStart;
        var text = new TextSlice(whole, sliceStart, sliceEnd);
        var parser = new Parser(new SliceReader(whole, sliceStart, sliceEnd));
        var stack = new Stack<(CslNodeBuilder Builder, bool Flow, string? Anchor)>();
        var anchors = new Dictionary<string, CslNode>(StringComparer.Ordinal);
        CslNode? root = null;
        var lastEnd = baseOffset;

        int Offset(Mark mark) => baseOffset + (int)Math.Clamp(mark.Index, 0, text.Length);

        int ClosingBracketEnd(Mark mark)
        {
            var index = (int)Math.Clamp(mark.Index, 0, text.Length);
            return baseOffset + (index < text.Length && text[index] is '}' or ']' ? index + 1 : index);
        }

        // The extent is where a node's text ends: past the closing quote of a quoted scalar, whose span
        // covers only the text between the quotes.
        void Add(CslNode node, int extentEnd)
        {
            lastEnd = Math.Max(lastEnd, extentEnd);
            if (stack.Count == 0)
            {
                root ??= node;
                return;
            }
            var parent = stack.Peek().Builder;
            if (!parent.ExpectsName) parent.Add(node, extentEnd);
            else if (node is CslScalar key) parent.SetName(key.Value, key.Span, extentEnd);
            else parent.SetIgnoredName(node.Span);
        }

        void Remember(string? anchor, CslNode node)
        {
            if (!string.IsNullOrEmpty(anchor)) anchors[anchor] = node;
        }

        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentEnd:
                        // What follows a front matter's closing "---" is Markdown, not YAML.
                        return root;
                    case MappingStart start:
                        stack.Push((new CslNodeBuilder(isMap: true, Offset(start.Start)), start.Style == MappingStyle.Flow, AnchorName(start.Anchor)));
                        break;
                    case SequenceStart start:
                        stack.Push((new CslNodeBuilder(isMap: false, Offset(start.Start)), start.Style == SequenceStyle.Flow, AnchorName(start.Anchor)));
                        break;
                    case MappingEnd or SequenceEnd:
                    {
                        // A block container's end event sits at the next token, past blank lines and
                        // comments; its own text ends with its last child.
                        // A flow container's end event stands on its closing bracket.
                        var (builder, flow, anchor) = stack.Pop();
                        var node = builder.Build(flow ? ClosingBracketEnd(parser.Current.End) : builder.ContentEnd, complete: true);
                        Remember(anchor, node);
                        Add(node, node.Span.End);
                        break;
                    }
                    case Scalar scalar:
                    {
                        // Block scalars (| and >) end after their final line break; the text ends before it.
                        var start = Offset(scalar.Start);
                        var end = Offset(scalar.End);
                        while (end > start && char.IsWhiteSpace(text[end - baseOffset - 1])) end--;
                        var node = ReadScalar(scalar, start, end);
                        Remember(AnchorName(scalar.Anchor), node);
                        Add(node, end);
                        break;
                    }
                    case AnchorAlias alias:
                        Add(anchors.TryGetValue(alias.Value.Value, out var target)
                            ? target
                            : new CslScalar(TextSpan.FromBounds(Offset(alias.Start), Offset(alias.End)), "", CslScalarKind.Null),
                            Offset(alias.End));
                        break;
                }
            }
        }
        catch (Exception error)
        {
            // YamlDotNet reports bad YAML as YamlException with a position, but a few inputs make its scanner
            // fail with other exceptions: those are placed after the last thing read, and the reader still
            // never throws.
            TextSpan span;
            string message;
            if (error is YamlException yaml)
            {
                var start = Offset(yaml.Start);
                span = TextSpan.FromBounds(start, Math.Max(Offset(yaml.End), Math.Min(start + 1, baseOffset + text.Length)));
                message = MarkPrefix().Replace(yaml.Message, "").Trim();
                if (!message.EndsWith('.')) message += ".";
            }
            else if (stack.Count > 0 && stack.Peek().Flow)
            {
                span = new TextSpan(stack.Peek().Builder.Start, 1);
                message = $"the {(stack.Peek().Builder.IsMap ? "{...}" : "[...]")} opened here is not closed.";
            }
            else
            {
                span = new TextSpan(lastEnd, 0);
                message = "it cannot be read after this point.";
            }
            // A line indented wrongly can close the list of references before the damage is seen, and the
            // damage is then reported in the mapping that holds it: the list is opened again to read on.
            if (stack.Count == 1 && stack.Peek() is { Builder.IsMap: true, Flow: false } holder
                && holder.Builder.ReopenLastMember() is { } member)
            {
                if (member is { Name: "references" or "items", Value: CslList { Complete: true } closed }
                    && closed.Span.Start - baseOffset is var at && at >= 0 && at < text.Length && text[at] == '-')
                {
                    var list = new CslNodeBuilder(isMap: false, closed.Span.Start);
                    foreach (var item in closed.Items) list.Add(item, item.Span.End);
                    stack.Push((list, false, null));
                }
                else holder.Builder.Add(member.Value, member.Value.Span.End);
            }
            var listDepth = ItemListDepth(stack);
            var resume = listDepth < 0 || resumptions == 0 ? null : NextItems(text, baseOffset, stack, listDepth, span.Start);
            // Damage before any list of items (a stray character on the first line, a first line lost): a
            // list of items at the left margin further down is read as the references.
            var restart = listDepth < 0 && resumptions > 0
                ? NextRootItem(text, span.Start - baseOffset, stack.Count > 0 ? stack.Reverse().First().Builder.Start - baseOffset : -1)
                : -1;
            var what = resume is not null || restart >= 0
                ? " Reading went on at the next reference; what lies between was skipped."
                : stack.Count > 0 || root is null
                    ? " The references before this point were read; the rest was skipped."
                    : " Everything after this point was ignored.";
            problems.Add(new Problem(Severity.Error, $"This YAML is malformed: {LowerFirst(message)}{what}", span, "csl-yaml-syntax"));
            var depth = resume is null ? 0 : listDepth;
            while (stack.Count > depth)
            {
                var (builder, _, _) = stack.Pop();
                var broken = builder.Build(Math.Max(builder.ContentEnd, Math.Min(span.Start, baseOffset + text.Length)), complete: false);
                Add(broken, broken.Span.End);
            }
            if (restart >= 0 && Parse(whole, sliceStart + restart, sliceStart + text.Length, wholeBase, problems, resumptions - 1) is CslList restarted)
                root = restarted;
            if (resume is var (from, to))
            {
                // The items from the next one on are read as a YAML list of their own, which resumes again
                // at its own damage; the list and what holds it are then closed as read.
                var rest = Parse(whole, sliceStart + from, sliceStart + to, wholeBase, problems, resumptions - 1);
                var list = stack.Peek().Builder;
                if (rest is CslList { Items: var items })
                    foreach (var item in items) list.Add(item, item.Span.End);
                while (stack.Count > 0)
                {
                    var (builder, _, _) = stack.Pop();
                    var node = builder.Build(builder.ContentEnd, complete: true);
                    Add(node, node.Span.End);
                }
            }
        }
        return root;
    }

    /// <summary>
    /// How many containers are open up to and including the block list of items: 1 for a root list, 2 for
    /// the list of a root mapping's <c>references:</c>; -1 when the damage is not inside such a list.
    /// </summary>
    private static int ItemListDepth(Stack<(CslNodeBuilder Builder, bool Flow, string? Anchor)> stack)
    {
        var bottomUp = stack.Reverse().ToArray();
        if (bottomUp.Length >= 1 && bottomUp[0] is { Builder.IsMap: false, Flow: false }) return 1;
        if (bottomUp.Length >= 2 && bottomUp[0].Builder.IsMap && bottomUp[1] is { Builder.IsMap: false, Flow: false }) return 2;
        return -1;
    }

    /// <summary>
    /// Where reading resumes after damage at <paramref name="damage"/> in a block list of items: from the
    /// first line after the broken item's first line, at or after the damaged line, that starts an item
    /// (<c>- </c> at the list's indentation), to the end of the list (a line less indented, one as indented
    /// that is no item, or a document marker). Offsets are in <paramref name="text"/>; null when no item follows.
    /// </summary>
    private static (int From, int To)? NextItems(
        TextSlice text, int baseOffset, Stack<(CslNodeBuilder Builder, bool Flow, string? Anchor)> stack, int listDepth, int damage)
    {
        var bottomUp = stack.Reverse().ToArray();
        var listStart = bottomUp[listDepth - 1].Builder.Start - baseOffset;
        var brokenStart = stack.Count > listDepth ? bottomUp[listDepth].Builder.Start - baseOffset : listStart;
        if (listStart < 0 || listStart >= text.Length || text[listStart] != '-') return null;
        var indent = listStart - LineStart(text, listStart);
        var p = Math.Max(LineStart(text, Math.Clamp(damage - baseOffset, 0, text.Length)), LineEnd(text, Math.Max(brokenStart, 0)));
        int? from = null;
        for (; p < text.Length; p = LineEnd(text, p))
        {
            var line = text.Span[p..LineEnd(text, p)].TrimEnd("\r\n");
            var content = line.TrimStart(' ');
            var lineIndent = line.Length - content.Length;
            var isItem = lineIndent == indent && content.Length > 0 && content[0] == '-' && (content.Length == 1 || content[1] is ' ' or '\t');
            var isMarker = lineIndent == 0 && (content.StartsWith("---") || content.StartsWith("..."));
            if (from is null)
            {
                if (isMarker) return null;
                if (isItem) from = p;
                continue;
            }
            if (content.Length == 0 || content[0] == '#') continue;
            if (isMarker || lineIndent < indent || (lineIndent == indent && !isItem)) break;
        }
        return from is { } start ? (start, Math.Min(p, text.Length)) : null;
    }

    /// <summary>
    /// The first line at or after the damaged line, past the first line of what broke, that starts a list
    /// item at the left margin; -1 when there is none.
    /// </summary>
    private static int NextRootItem(TextSlice text, int damage, int brokenStart)
    {
        var p = LineStart(text, Math.Clamp(damage, 0, text.Length));
        if (brokenStart >= 0) p = Math.Max(p, LineEnd(text, brokenStart));
        for (; p < text.Length; p = LineEnd(text, p))
        {
            var line = text.Span[p..LineEnd(text, p)];
            if (line.StartsWith("---") || line.StartsWith("...")) return -1;
            if (line.Length >= 2 && line[0] == '-' && line[1] is ' ' or '\t' or '\n' or '\r') return p;
        }
        return -1;
    }

    private static int LineStart(TextSlice text, int offset) => offset <= 0 ? 0 : text.Span[..offset].LastIndexOf('\n') + 1;

    /// <summary>The offset just past the line break that ends the line holding <paramref name="offset"/>.</summary>
    private static int LineEnd(TextSlice text, int offset)
    {
        var n = offset < text.Length ? text.Span[offset..].IndexOf('\n') : -1;
        return n < 0 ? text.Length : offset + n + 1;
    }

    /// <summary>A part of a string, read where it is: a resumption after damage reads the rest without copying it.</summary>
    private readonly struct TextSlice(string whole, int start, int end)
    {
        public int Length => end - start;

        public char this[int index] => whole[start + index];

        public ReadOnlySpan<char> Span => whole.AsSpan(start, end - start);
    }

    /// <summary>A <see cref="TextReader"/> over a part of a string, for YamlDotNet's parser.</summary>
    private sealed class SliceReader(string whole, int start, int end) : TextReader
    {
        private int _next = start;

        public override int Peek() => _next < end ? whole[_next] : -1;

        public override int Read() => _next < end ? whole[_next++] : -1;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            var n = Math.Min(buffer.Length, end - _next);
            whole.AsSpan(_next, n).CopyTo(buffer);
            _next += n;
            return n;
        }
    }

    private static CslScalar ReadScalar(Scalar scalar, int start, int end)
    {
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted && end - start >= 2)
            return new CslScalar(TextSpan.FromBounds(start + 1, end - 1), scalar.Value, CslScalarKind.String);
        var span = TextSpan.FromBounds(start, end);
        if (scalar.Style != ScalarStyle.Plain) return new CslScalar(span, scalar.Value, CslScalarKind.String);
        // Plain scalars get YAML 1.2 core-schema types: "~" and "" are null, a number is a number.
        var kind = scalar.Value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => CslScalarKind.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => CslScalarKind.Boolean,
            _ when PlainNumber().IsMatch(scalar.Value) => CslScalarKind.Number,
            _ => CslScalarKind.String,
        };
        return new CslScalar(span, kind == CslScalarKind.Null ? "" : scalar.Value, kind);
    }

    private static string? AnchorName(AnchorName anchor) => anchor.IsEmpty ? null : anchor.Value;

    private static string LowerFirst(string s) => s.Length > 1 && char.IsUpper(s[0]) && char.IsLower(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();

    [GeneratedRegex(@"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")]
    private static partial Regex PlainNumber();
}
