using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Csl;

namespace BibServer.Core.Tests.Csl;

/// <summary>
/// Every fixture under testdata/csl/json and testdata/csl/yaml is read and rendered, and the rendering must
/// equal the .expected.txt file beside it.
/// </summary>
public class CslReaderFixtureTests
{
    public static TheoryData<string> JsonFixtures() => Fixtures("json", "*.json");

    public static TheoryData<string> YamlFixtures() => Fixtures("yaml", "*.yaml");

    public static TheoryData<string> NoteFixtures() => Fixtures("yaml", "*.md");

    [Theory]
    [MemberData(nameof(JsonFixtures))]
    public void Json_fixture_reads_as_expected(string name)
    {
        var text = ReadExact("csl", "json", name);
        var document = CslJsonReader.Read(name, text);

        Assert.Equal(CslJsonFormat.Instance, document.Format);
        Assert.Same(text, document.Text);
        Expected.Matches(ExpectedPath("json", name), CslRendering.Render(document, text));
    }

    [Theory]
    [MemberData(nameof(YamlFixtures))]
    public void Yaml_fixture_reads_as_expected(string name)
    {
        var text = ReadExact("csl", "yaml", name);
        var document = CslYamlReader.Read(name, text);

        Assert.Equal(CslYamlFormat.Instance, document.Format);
        Expected.Matches(ExpectedPath("yaml", name), CslRendering.Render(document, text));
    }

    /// <summary>
    /// A note's front matter is handed over either with its "---" lines or without them; both give the same
    /// papers with spans in the note's own offsets, rendered against the whole note.
    /// </summary>
    [Theory]
    [MemberData(nameof(NoteFixtures))]
    public void Front_matter_reads_as_expected_with_or_without_its_fences(string name)
    {
        var note = ReadExact("csl", "yaml", name);
        var (blockStart, blockLength, innerStart, innerLength) = FrontMatter.Find(note);

        var fenced = CslYamlReader.Read(name, note.Substring(blockStart, blockLength), blockStart);
        var inner = CslYamlReader.Read(name, note.Substring(innerStart, innerLength), innerStart);

        var expectedPath = ExpectedPath("yaml", name);
        Expected.Matches(expectedPath, CslRendering.Render(fenced, note));
        Assert.Equal(CslRendering.Render(fenced, note), CslRendering.Render(inner, note));
    }

    /// <summary>A byte order mark handed over with the text is skipped, and offsets still count it.</summary>
    [Fact]
    public void A_byte_order_mark_is_skipped_and_counted()
    {
        var text = ReadExact("csl", "json", "items-wrapper.json");
        Assert.StartsWith("\uFEFF{", text, StringComparison.Ordinal);

        var document = CslJsonReader.Read("items-wrapper.json", text);

        Assert.Empty(document.Problems);
        Assert.Equal(["wrapped-1", "wrapped-2", "wrapped-3"], document.Papers.Select(p => p.Key));
        var first = document.Papers[0].Location.FocusSpan;
        Assert.Equal("wrapped-1", text.Substring(first.Start, first.Length));
    }

    /// <summary>A jump to a paper lands on its id: the focus span holds the id's text inside the paper's span.</summary>
    [Fact]
    public void Every_focus_span_holds_the_id_inside_the_paper_span()
    {
        var checkedPapers = 0;
        foreach (var (text, document) in AllDocuments())
        {
            foreach (var paper in document.Papers)
            {
                var location = paper.Location;
                Assert.True(location.Span.Start <= location.FocusSpan.Start && location.FocusSpan.End <= location.Span.End,
                    $"{document.Path}: {paper.Key} focus {location.FocusSpan} is outside {location.Span}");
                var idText = text.Substring(location.FocusSpan.Start, location.FocusSpan.Length);
                // The one id written with a JSON escape is shown as its raw text.
                if (paper.Key != "escaped-é-id") Assert.Equal(paper.Key, idText);
                checkedPapers++;
            }
        }
        Assert.True(checkedPapers > 100, $"only {checkedPapers} papers were checked");
    }

    /// <summary>Readers never throw: every prefix of every fixture still reads (a file being typed).</summary>
    [Fact]
    public void Every_prefix_of_every_fixture_reads_without_throwing()
    {
        foreach (var (text, document) in AllDocuments())
        {
            var step = Math.Max(1, text.Length / 150);
            for (var length = 0; length <= text.Length; length += step)
            {
                var prefix = text[..length];
                var read = document.Format == CslJsonFormat.Instance
                    ? CslJsonReader.Read(document.Path, prefix)
                    : CslYamlReader.Read(document.Path, prefix);
                foreach (var problem in read.Problems)
                    Assert.True(problem.Span.Start >= 0 && problem.Span.End <= prefix.Length, $"{document.Path}[..{length}]: {problem}");
                foreach (var paper in read.Papers)
                    Assert.True(paper.Location.Span.End <= prefix.Length, $"{document.Path}[..{length}]: {paper.Key} {paper.Location.Span}");
            }
        }
    }

    internal static IEnumerable<(string Text, LibraryDocument Document)> AllDocuments()
    {
        foreach (var name in Directory.GetFiles(TestData.Path("csl", "json"), "*.json").Select(Path.GetFileName).Order())
        {
            var text = ReadExact("csl", "json", name!);
            yield return (text, CslJsonReader.Read(name!, text));
        }
        foreach (var name in Directory.GetFiles(TestData.Path("csl", "yaml"), "*.yaml").Select(Path.GetFileName).Order())
        {
            var text = ReadExact("csl", "yaml", name!);
            yield return (text, CslYamlReader.Read(name!, text));
        }
    }

    /// <summary>
    /// The file's text exactly as stored: File.ReadAllText would drop a byte order mark, which the JSON reader
    /// must skip itself when a caller hands one over.
    /// </summary>
    internal static string ReadExact(params string[] parts) => System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(TestData.Path(parts)));

    private static string ExpectedPath(string folder, string name) =>
        TestData.Path("csl", folder, Path.GetFileNameWithoutExtension(name) + ".expected.txt");

    private static TheoryData<string> Fixtures(string folder, string pattern)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestData.Path("csl", folder), pattern).Order()) data.Add(Path.GetFileName(file));
        return data;
    }
}
