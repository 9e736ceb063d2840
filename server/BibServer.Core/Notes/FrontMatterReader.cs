using System.Collections.Immutable;
using System.Text.RegularExpressions;
using BibServer.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BibServer.Core.Notes;

/// <summary>
/// Reads what the core needs from a note's YAML front matter: the <c>bibliography:</c> files with their
/// spans, and whether <c>references:</c> is there. Other keys are skipped with YamlDotNet's event parser,
/// so a long <c>references:</c> list is tokenized but never built into objects (the CSL-YAML reader does
/// that elsewhere, from <see cref="FrontMatter.Yaml"/> and <see cref="FrontMatter.YamlOffset"/>).
/// </summary>
internal static partial class FrontMatterReader
{
    public static FrontMatter Read(TextSpan span, string yaml, int yamlOffset, List<Problem> problems)
    {
        var bibliography = ImmutableArray.CreateBuilder<BibliographyEntry>();
        var hasReferences = false;
        BibliographyEntry? csl = null, lang = null;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<DocumentStart>(out _))
            {
                if (parser.TryConsume<MappingStart>(out _))
                {
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        if (parser.TryConsume<Scalar>(out var key))
                        {
                            if (key.Value == "bibliography")
                            {
                                ReadBibliography(parser, yaml, yamlOffset, bibliography, problems);
                                continue;
                            }
                            if (key.Value == "references") hasReferences = true;
                            // pandoc's citation style and language: one scalar each (a list is not read).
                            if (key.Value is "csl" or "lang" && parser.TryConsume<Scalar>(out var value))
                            {
                                var found = ImmutableArray.CreateBuilder<BibliographyEntry>();
                                AddEntry(value, yamlOffset, found);
                                if (found.Count == 1)
                                {
                                    if (key.Value == "csl") csl = found[0];
                                    else lang = found[0];
                                }
                                continue;
                            }
                        }
                        else
                        {
                            parser.SkipThisAndNestedEvents();
                        }
                        parser.SkipThisAndNestedEvents();
                    }
                }
                else if (parser.Current is Scalar { Value: not "" } or SequenceStart)
                {
                    problems.Add(new Problem(Severity.Warning,
                        "The front matter should be a YAML mapping of \"key: value\" lines; it is ignored.",
                        LineAt(yaml, yamlOffset, (int)parser.Current!.Start.Index), "front-matter-not-mapping"));
                }
            }
        }
        catch (YamlException e)
        {
            var start = yamlOffset + (int)Math.Min(e.Start.Index, yaml.Length);
            var end = yamlOffset + (int)Math.Min(Math.Max(e.End.Index, e.Start.Index), yaml.Length);
            problems.Add(new Problem(Severity.Error,
                $"The front matter is not valid YAML: {CleanMessage(e.Message)}",
                TextSpan.FromBounds(start, Math.Max(end, start)), "front-matter-yaml"));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // YamlDotNet fails this way on some malformed input (an unclosed flow sequence at the end, for
            // one); the last event it read says where.
            var at = (int)Math.Min(parser.Current?.Start.Index ?? 0, yaml.Length);
            problems.Add(new Problem(Severity.Error, "The front matter is not valid YAML from here on.",
                LineAt(yaml, yamlOffset, at), "front-matter-yaml"));
        }
        return new FrontMatter(span, yaml, yamlOffset, bibliography.ToImmutable(), hasReferences, csl, lang);
    }

    private static void ReadBibliography(IParser parser, string yaml, int yamlOffset,
        ImmutableArray<BibliographyEntry>.Builder entries, List<Problem> problems)
    {
        if (parser.TryConsume<Scalar>(out var single))
        {
            AddEntry(single, yamlOffset, entries);
            return;
        }
        if (parser.TryConsume<SequenceStart>(out _))
        {
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                if (parser.TryConsume<Scalar>(out var item))
                {
                    AddEntry(item, yamlOffset, entries);
                    continue;
                }
                ReportNotAFileName(parser, yaml, yamlOffset, problems);
            }
            return;
        }
        ReportNotAFileName(parser, yaml, yamlOffset, problems);
    }

    private static void AddEntry(Scalar scalar, int yamlOffset, ImmutableArray<BibliographyEntry>.Builder entries)
    {
        // "bibliography:" with nothing after it is YAML null: no file.
        if (scalar.Value.Length == 0 && scalar.Style == ScalarStyle.Plain) return;
        var start = (int)scalar.Start.Index;
        var end = (int)scalar.End.Index;
        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        if (quoted && scalar.Start.Line == scalar.End.Line && end - start >= 2)
        {
            start++;
            end--;
        }
        entries.Add(new BibliographyEntry(scalar.Value, TextSpan.FromBounds(yamlOffset + start, yamlOffset + end)));
    }

    // Reports the node at the parser and skips it. The span ends with its last scalar or flow bracket:
    // the end of a block collection is only known where the next node starts.
    private static void ReportNotAFileName(IParser parser, string yaml, int yamlOffset, List<Problem> problems)
    {
        var start = (int)parser.Current!.Start.Index;
        var end = start;
        var flow = new Stack<bool>();
        do
        {
            var node = parser.Current!;
            switch (node)
            {
                case MappingStart mapping:
                    flow.Push(mapping.Style == MappingStyle.Flow);
                    break;
                case SequenceStart sequence:
                    flow.Push(sequence.Style == SequenceStyle.Flow);
                    break;
                case MappingEnd or SequenceEnd:
                    // A flow collection ends with its closing bracket, where the end event starts.
                    if (flow.Pop()) end = Math.Max(end, (int)node.Start.Index + 1);
                    break;
                default:
                    end = Math.Max(end, (int)node.End.Index);
                    break;
            }
            parser.MoveNext();
        }
        while (flow.Count > 0);
        end = Math.Min(end, yaml.Length);
        problems.Add(new Problem(Severity.Warning,
            "\"bibliography\" should be a file name or a list of file names.",
            TextSpan.FromBounds(yamlOffset + start, yamlOffset + Math.Max(start, end)), "bibliography-not-a-file"));
    }

    // The rest of the line from a YAML offset, as a span in the note.
    private static TextSpan LineAt(string yaml, int yamlOffset, int at)
    {
        var end = at;
        while (end < yaml.Length && yaml[end] is not ('\n' or '\r')) end++;
        return TextSpan.FromBounds(yamlOffset + at, yamlOffset + end);
    }

    // YamlDotNet prefixes its messages with "(Line: 1, Col: 2, Idx: 3) - (Line: ...): "; the problem's span
    // already says where.
    private static string CleanMessage(string message) => PositionPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
