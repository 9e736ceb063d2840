using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Bibtex;

namespace BibServer.Core.Tests.Bibtex;

/// <summary>
/// Every tests/testdata/bibtex/NAME.bib is read and rendered, and the rendering must equal
/// NAME.expected.txt beside it, which was written by hand from what the input means.
/// </summary>
public class BibtexFixtureTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestData.Path("bibtex"), "*.bib").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_reads_as_expected(string name)
    {
        var path = TestData.Path("bibtex", name + ".bib");
        var doc = BibtexReader.Read(path, File.ReadAllText(path));

        var expected = File.ReadAllText(TestData.Path("bibtex", name + ".expected.txt")).ReplaceLineEndings("\n");
        var actual = BibtexRendering.Render(doc);
        if (actual != expected)
        {
            // The whole rendering is written out so it can be compared with a diff tool; the expected
            // file is never overwritten, since it says what the input means.
            var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "bibserver-bibtex-actual"));
            File.WriteAllText(Path.Combine(dir.FullName, name + ".actual.txt"), actual);
        }
        Assert.Equal(expected, actual);
        AssertLocations(doc);
    }

    [Fact]
    public void Every_fixture_has_an_expected_file()
    {
        foreach (var file in Directory.GetFiles(TestData.Path("bibtex"), "*.bib"))
        {
            Assert.True(File.Exists(Path.ChangeExtension(file, ".expected.txt")), $"{file} has no .expected.txt beside it");
        }
    }

    /// <summary>What every read document must satisfy, whatever its input: spans inside the text, an entry span starting at its @, a focus span that is the key.</summary>
    internal static void AssertLocations(LibraryDocument doc)
    {
        Assert.Equal(BibtexFormat.Instance, doc.Format);
        foreach (var paper in doc.Papers)
        {
            var span = paper.Location.Span;
            var focus = paper.Location.FocusSpan;
            Assert.InRange(span.Start, 0, doc.Text.Length);
            Assert.InRange(span.End, span.Start, doc.Text.Length);
            Assert.Equal('@', doc.Text[span.Start]);
            Assert.True(focus.Start >= span.Start && focus.End <= span.End, $"the key of {paper.Key} lies outside its entry");
            Assert.Equal(paper.Key, doc.Text.Substring(focus.Start, focus.Length));
            Assert.Equal(doc.Path, paper.Location.Path);
        }
        foreach (var problem in doc.Problems)
        {
            Assert.InRange(problem.Span.Start, 0, doc.Text.Length);
            Assert.InRange(problem.Span.End, problem.Span.Start, doc.Text.Length);
            Assert.NotEqual("bibtex-internal-error", problem.Code);
        }
    }
}
