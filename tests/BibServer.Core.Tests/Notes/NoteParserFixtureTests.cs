using System.Text;
using BibServer.Core.Notes;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Notes;

/// <summary>
/// Each note in tests/testdata/notes/parse/ is parsed and rendered as readable text (citations with their
/// key, span, group, prefix and suffix shown as the note's own characters; front matter; headings;
/// problems), which must equal the .expected.txt file beside it. Set BIBSERVER_UPDATE_EXPECTED=1 to
/// rewrite the expected files, then review the diff.
/// </summary>
public sealed class NoteParserFixtureTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestData.Path("notes", "parse"), "*.md").Order())
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ParsesAsExpected(string file)
    {
        var text = TestData.Read("notes", "parse", file);
        var document = NoteParser.Parse(file, text);
        NoteAssertions.SpansAreConsistent(document);
        var actual = Render(document);
        var expectedPath = TestData.Path("notes", "parse", Path.ChangeExtension(file, ".expected.txt"));
        if (Environment.GetEnvironmentVariable("BIBSERVER_UPDATE_EXPECTED") == "1")
        {
            File.WriteAllText(expectedPath, actual);
        }
        Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing; run with BIBSERVER_UPDATE_EXPECTED=1 to create it, then review it.");
        Assert.Equal(File.ReadAllText(expectedPath), actual);
    }

    /// <summary>The same note with CRLF line endings must give the same citations, shifted by the extra characters.</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void CrLfLineEndingsGiveTheSameCitations(string file)
    {
        var text = TestData.Read("notes", "parse", file).Replace("\r\n", "\n");
        var crlf = text.Replace("\n", "\r\n");
        var lf = NoteParser.Parse(file, text);
        var dos = NoteParser.Parse(file, crlf);
        NoteAssertions.SpansAreConsistent(dos);
        Assert.Equal(lf.Citations.Select(c => (c.Key, c.Mode, c.Prefix, c.Suffix)), dos.Citations.Select(c => (c.Key, c.Mode, c.Prefix, c.Suffix)));
        Assert.Equal(lf.Citations.Select(c => lf.Lines.GetPosition(c.KeySpan.Start)), dos.Citations.Select(c => dos.Lines.GetPosition(c.KeySpan.Start)));
        Assert.Equal(lf.FrontMatter?.Bibliography.Select(b => b.Value), dos.FrontMatter?.Bibliography.Select(b => b.Value));
        Assert.Equal(lf.Headings.Select(h => (h.Level, h.Text)), dos.Headings.Select(h => (h.Level, h.Text)));
    }

    public static string Render(NoteDocument document)
    {
        var text = document.Text;
        var lines = document.Lines;
        var builder = new StringBuilder();
        builder.Append("# citations\n");
        foreach (var c in document.Citations)
        {
            builder.Append($"{lines.GetPosition(c.KeySpan.Start)} {c.Mode} key={Quote(text, c.KeySpan)} span={Quote(text, c.Span)}");
            if (c.GroupSpan is { } group) builder.Append($" group={Quote(text, group)}");
            if (c.Prefix.Length > 0) builder.Append($" prefix={Quote(c.Prefix)}");
            if (c.Suffix.Length > 0) builder.Append($" suffix={Quote(c.Suffix)}");
            if (c.IsBraced) builder.Append(" braced");
            if (c.IsCrossReference) builder.Append(" crossref");
            builder.Append('\n');
        }
        if (document.FrontMatter is { } front)
        {
            builder.Append("# front matter\n");
            builder.Append($"span={lines.GetPosition(front.Span.Start)}-{lines.GetPosition(front.Span.End)} yaml at {lines.GetPosition(front.YamlOffset)}: {Quote(front.Yaml)}\n");
            Assert.Equal(front.Yaml, text.Substring(front.YamlOffset, front.Yaml.Length));
            foreach (var entry in front.Bibliography)
            {
                builder.Append($"bibliography {Quote(entry.Value)} at {lines.GetPosition(entry.Span.Start)} {Quote(text, entry.Span)}\n");
            }
            builder.Append($"references: {(front.HasReferences ? "yes" : "no")}\n");
        }
        if (document.Headings.Length > 0)
        {
            builder.Append("# headings\n");
            foreach (var heading in document.Headings)
            {
                builder.Append($"{heading.Level} {Quote(heading.Text)} at {lines.GetPosition(heading.Span.Start)} {Quote(text, heading.Span)}\n");
            }
        }
        if (document.Problems.Length > 0)
        {
            builder.Append("# problems\n");
            foreach (var problem in document.Problems)
            {
                builder.Append($"{problem.Severity} {problem.Code} at {lines.GetPosition(problem.Span.Start)} {Quote(text, problem.Span)}: {problem.Message}\n");
            }
        }
        return builder.ToString();
    }

    private static string Quote(string text, TextSpan span) => Quote(text.Substring(span.Start, span.Length));

    private static string Quote(string value) => "«" + value.Replace("\r", "␍").Replace("\n", "⏎") + "»";
}
