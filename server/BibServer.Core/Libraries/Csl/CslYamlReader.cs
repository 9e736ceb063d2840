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
    internal static CslNode? Parse(string text, int baseOffset, ICollection<Problem> problems)
    {
        var parser = new Parser(new StringReader(text));
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
            var what = stack.Count > 0 || root is null
                ? " The references before this point were read; the rest was skipped."
                : " Everything after this point was ignored.";
            problems.Add(new Problem(Severity.Error, $"This YAML is malformed: {LowerFirst(message)}{what}", span, "csl-yaml-syntax"));
            while (stack.Count > 0)
            {
                var (builder, _, _) = stack.Pop();
                var broken = builder.Build(Math.Max(builder.ContentEnd, Math.Min(span.Start, baseOffset + text.Length)), complete: false);
                Add(broken, broken.Span.End);
            }
        }
        return root;
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
