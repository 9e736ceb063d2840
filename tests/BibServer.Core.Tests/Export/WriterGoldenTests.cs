using BibServer.Core.Export;

namespace BibServer.Core.Tests.Export;

/// <summary>The writers' output for the rich fixtures equals the files under testdata/csl/export.</summary>
public class WriterGoldenTests
{
    public static TheoryData<string> Rich() => ExportFixtures.RichData();

    [Theory]
    [MemberData(nameof(Rich))]
    public void Csl_json_output_is_as_expected(string fixture)
    {
        var papers = ExportFixtures.Read(fixture).Papers;
        Csl.Expected.Matches(TestData.Path("csl", "export", ExportFixtures.Stem(fixture) + ".csl.json"), CslJsonWriter.Write(papers));
    }

    [Theory]
    [MemberData(nameof(Rich))]
    public void Bibtex_output_is_as_expected(string fixture)
    {
        var papers = ExportFixtures.Read(fixture).Papers;
        Csl.Expected.Matches(TestData.Path("csl", "export", ExportFixtures.Stem(fixture) + ".bib"), BibtexWriter.Write(papers));
    }

    /// <summary>
    /// Each line of escape-cases.txt is "text ⟶ BibTeX": the text as a title (math kept) and how the writer
    /// escapes it.
    /// </summary>
    [Fact]
    public void Bibtex_escapes_special_characters_and_keeps_math()
    {
        var lines = File.ReadAllLines(TestData.Path("csl", "export", "escape-cases.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.NotEmpty(lines);
        var failures = new List<string>();
        foreach (var line in lines)
        {
            var parts = line.Split(" ⟶ ");
            Assert.True(parts.Length == 2, $"not 'text ⟶ BibTeX': {line}");
            var actual = BibtexWriter.Escape(parts[0], keepMath: true);
            if (actual != parts[1]) failures.Add($"{parts[0]} ⟶ {actual}   (expected {parts[1]})");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
