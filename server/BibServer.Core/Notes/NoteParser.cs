using System.Collections.Immutable;
using System.Text;
using BibServer.Core.Text;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace BibServer.Core.Notes;

/// <summary>
/// Parses a Markdown note: its pandoc citations, YAML front matter and headings. Pure and fast enough to
/// run on every keystroke. Block structure comes from Markdig with the extensions that bring it closest to
/// pandoc's Markdown; citations come from <see cref="CitationExtension"/>.
/// </summary>
public static class NoteParser
{
    // Built once: a pipeline is immutable and safe to share between threads. Each extension is here because
    // pandoc's Markdown has the construct, so that Markdig's blocks are pandoc's: "$$" math blocks, "[^1]"
    // notes, "~~x~~"/"^x^"/"~x~", tables, definition lists and ":::" fenced divs. Markdig's generic
    // attributes are left out: Markdig cuts a heading at its first '{', pandoc only takes a final "{#id}".
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePreciseSourceLocation()
        .UseYamlFrontMatter()
        .UseMathematics()
        .UseFootnotes()
        .UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough
            | Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Subscript
            | Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Superscript)
        .UsePipeTables()
        .UseGridTables()
        .UseDefinitionLists()
        .UseCustomContainers()
        .Use<CitationExtension>()
        .Build();

    /// <summary>
    /// A new text of a note already parsed. When the edit left the front matter as it was (the common case:
    /// typing below it), the note's text and front matter are known at once and the rest is parsed when first
    /// asked for, so that a request that needs only those does not wait for a parse of the whole note.
    /// </summary>
    public static NoteDocument Reparse(string path, string text, NoteDocument? previous)
    {
        if (previous is null || !SameFrontMatter(previous, text)) return Parse(path, text);
        return new NoteDocument(path, text, previous.FrontMatter, () =>
        {
            var parsed = Parse(path, text);
            return new NoteDocument.Parts(parsed.Citations, parsed.FrontMatter, parsed.Headings, parsed.Problems);
        }, previous.FrontMatterMemos);
    }

    /// <summary>
    /// Whether a new text has the front matter the previous one had: the block, its closing line and the
    /// line break after it are unchanged, or neither has one (a note with no front matter that does not begin
    /// with <c>---</c> cannot have one).
    /// </summary>
    private static bool SameFrontMatter(NoteDocument previous, string text)
    {
        if (previous.FrontMatter is not { } fm) return !text.StartsWith("---", StringComparison.Ordinal) && !previous.Text.StartsWith("---", StringComparison.Ordinal);
        var end = fm.Span.End;
        while (end < previous.Text.Length && previous.Text[end] is '\r' or '\n') end++;
        return end < previous.Text.Length && text.Length > end
            && text.AsSpan(0, end).SequenceEqual(previous.Text.AsSpan(0, end));
    }

    public static NoteDocument Parse(string path, string text)
    {
        var problems = new List<Problem>();
        var walker = new Walker(text, problems);
        try
        {
            var context = new MarkdownParserContext();
            context.Properties[CitationExtension.SourceProperty] = text;
            context.Properties[CitationExtension.CitationsProperty] = walker.Citations;
            var document = Markdown.Parse(text, Pipeline, context);
            walker.WalkBlock(document);
        }
        catch (Exception e)
        {
            // Markdig should not throw, but a note must still be served if it does: keep what was found.
            problems.Add(new Problem(Severity.Error, $"The note could not be parsed completely: {e.Message}",
                new TextSpan(0, 0), "internal-error"));
        }
        var citations = walker.Finish();
        return new NoteDocument(path, text, citations, walker.FrontMatter, walker.Headings.ToImmutable(),
            [.. problems]);
    }

    private sealed class Walker(string text, List<Problem> problems)
    {
        private readonly List<Citation> _citations = [];
        private readonly List<(string Label, int Position)> _exampleLabels = [];

        /// <summary>Filled by <see cref="CitationInlineParser"/> as Markdig reads each block.</summary>
        public List<Citation> Citations => _citations;

        public FrontMatter? FrontMatter { get; private set; }

        public ImmutableArray<Heading>.Builder Headings { get; } = ImmutableArray.CreateBuilder<Heading>();

        public void WalkBlock(Block block)
        {
            switch (block)
            {
                case YamlFrontMatterBlock yaml:
                    ReadFrontMatter(yaml);
                    return;
                case LinkReferenceDefinition definition:
                    RescanDefinition(definition);
                    return;
                case HeadingBlock heading:
                    if (heading.Inline is not null)
                    {
                        Headings.Add(new Heading(heading.Level, HeadingText(heading.Inline), ToSpan(heading.Span)));
                    }
                    return;
                case ParagraphBlock paragraph:
                    if (paragraph.Parent is not Markdig.Extensions.Tables.TableCell) CheckExampleListMarker(paragraph);
                    return;
                case ContainerBlock container:
                    foreach (var child in container) WalkBlock(child);
                    return;
            }
        }

        // "[see @a]: text" would be a link reference definition to CommonMark, but pandoc does not read a
        // label that is a citation group as one: it is a paragraph with a citation. Read it as pandoc does.
        private void RescanDefinition(LinkReferenceDefinition definition)
        {
            var start = definition.Span.Start;
            if (start < 0 || start >= text.Length || text[start] != '[') return;
            var end = Math.Min(text.Length, definition.Span.End + 1);
            var scanner = new PandocCitationScanner(text, end);
            if (!scanner.IsGroupAt(start)) return;
            scanner.ScanAll(start);
            foreach (var c in scanner.Found.OrderBy(c => c.KeyStart))
            {
                var key = text[c.KeyStart..c.KeyEnd];
                _citations.Add(new Citation(
                    key,
                    TextSpan.FromBounds(c.KeyStart, c.KeyEnd),
                    TextSpan.FromBounds(c.ItemStart, c.ItemEnd),
                    c.GroupStart >= 0 ? TextSpan.FromBounds(c.GroupStart, c.GroupEnd) : null,
                    c.Mode,
                    CitationInlineParser.Collapse(text, c.PrefixStart, c.PrefixEnd),
                    CitationInlineParser.Collapse(text, c.SuffixStart, c.SuffixEnd),
                    c.IsBraced,
                    CitationSyntax.IsCrossReference(key)));
            }
        }

        // Pandoc reads "(@label)", "@label)" and "@label." at the start of a block as the marker of an
        // example-list item, not as a citation, and later "@label" as a reference to that item.
        private void CheckExampleListMarker(ParagraphBlock paragraph)
        {
            var p = paragraph.Span.Start;
            if (p < 0 || p >= text.Length) return;
            var parenthesized = text[p] == '(';
            var q = parenthesized ? p + 1 : p;
            if (q >= text.Length || text[q] != '@') return;
            var labelStart = ++q;
            while (q < text.Length && (CitationSyntax.IsAlphaNumAt(text, q, text.Length) || text[q] is '_' or '-'))
            {
                q += char.IsSurrogate(text[q]) ? 2 : 1;
            }
            var label = text[labelStart..q];
            // "(@)" and "@." are example items too, but hold no key that could be mistaken for a citation.
            if (label.Length == 0 || q >= text.Length) return;
            if (parenthesized ? text[q] != ')' : text[q] is not ('.' or ')')) return;
            q++;
            if (q < text.Length && text[q] is not (' ' or '\t' or '\n' or '\r')) return;
            var marker = TextSpan.FromBounds(p, q);
            problems.Add(new Problem(Severity.Warning,
                $"Pandoc reads \"{text[p..q]}\" at the start of a paragraph as an example-list marker, not as a citation.",
                marker, "example-list-marker"));
            _exampleLabels.Add((label, p));
        }

        private void ReadFrontMatter(YamlFrontMatterBlock block)
        {
            var span = ToSpan(block.Span);
            var firstLineEnd = text.IndexOf('\n', span.Start, span.Length);
            if (firstLineEnd < 0) return;
            var yamlStart = firstLineEnd + 1;
            var closingLineStart = span.End - 1;
            while (closingLineStart > yamlStart && text[closingLineStart - 1] != '\n' && text[closingLineStart - 1] != '\r')
            {
                closingLineStart--;
            }
            var yaml = closingLineStart > yamlStart ? text[yamlStart..closingLineStart] : "";
            FrontMatter = FrontMatterReader.Read(span, yaml, yamlStart, problems);
        }

        public ImmutableArray<Citation> Finish()
        {
            var result = _citations.OrderBy(c => c.KeySpan.Start).ToList();
            if (_exampleLabels.Count > 0) result.RemoveAll(IsExampleReference);
            foreach (var citation in result)
            {
                if (citation.Key.Length == 0)
                {
                    problems.Add(new Problem(Severity.Warning, "This citation has an empty key.", citation.Span, "empty-key"));
                }
            }
            return [.. result];
        }

        private bool IsExampleReference(Citation citation)
        {
            foreach (var (label, position) in _exampleLabels)
            {
                // The marker itself, "@label" or "(@label)" at the start of the paragraph.
                if (citation.KeySpan.Start - 1 == position || citation.KeySpan.Start - 2 == position) return true;
                // A reference to the item: always when bare; with a locator only after the item (pandoc
                // looks labels up while parsing for those, and only knows the ones it has seen).
                if (citation.Mode == CitationMode.AuthorInText && citation.Key == label
                    && (citation.GroupSpan is null || position < citation.KeySpan.Start))
                {
                    return true;
                }
            }
            return false;
        }

        private TextSpan ToSpan(SourceSpan span) =>
            TextSpan.FromBounds(Math.Clamp(span.Start, 0, text.Length), Math.Clamp(span.End + 1, 0, text.Length));

        // The heading as plain text, without pandoc's trailing "{#id .class}" attributes.
        private string HeadingText(ContainerInline container)
        {
            var builder = new StringBuilder();
            AppendPlain(builder, container);
            var plain = CitationInlineParser.Collapse(builder.ToString(), 0, builder.Length);
            if (plain.EndsWith('}'))
            {
                var open = plain.LastIndexOf('{');
                if (open == 0 || (open > 0 && plain[open - 1] == ' ')) plain = plain[..open].TrimEnd();
            }
            return plain;
        }

        private void AppendPlain(StringBuilder builder, Inline inline)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case MathInline math:
                    builder.Append('$').Append(math.Content.AsSpan()).Append('$');
                    break;
                case CitationInline citation:
                    var span = ToSpan(citation.Span);
                    builder.Append(text, span.Start, span.Length);
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.AsSpan());
                    break;
                case AutolinkInline autolink:
                    builder.Append(autolink.Url);
                    break;
                case LineBreakInline:
                    builder.Append(' ');
                    break;
                case ContainerInline container:
                    foreach (var child in container) AppendPlain(builder, child);
                    break;
            }
        }
    }
}
