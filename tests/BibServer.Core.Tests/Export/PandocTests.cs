using System.Collections.Immutable;
using System.Text.RegularExpressions;
using BibServer.Core.Export;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Papers;

namespace BibServer.Core.Tests.Export;

/// <summary>The exported files are read by the real pandoc 2.17, as a survey's build would read them.</summary>
public class PandocTests
{
    public static TheoryData<string, string> WriterAndFixture()
    {
        var data = new TheoryData<string, string>();
        foreach (var writer in (string[])["csljson", "bibtex"])
            foreach (var fixture in ExportFixtures.Rich) data.Add(writer, fixture);
        return data;
    }

    public static TheoryData<string> Rich() => ExportFixtures.RichData();

    /// <summary>
    /// A note citing every key is rendered by pandoc --citeproc with the exported bibliography: pandoc warns
    /// about nothing (no citation is "not found") and every title appears in the output.
    /// </summary>
    [Theory]
    [MemberData(nameof(WriterAndFixture))]
    public void Pandoc_citeproc_finds_every_key_and_prints_every_title(string writer, string fixture)
    {
        var papers = ExportFixtures.Read(fixture).Papers;
        Assert.NotEmpty(papers);
        AssertPandocCites(writer, papers, papers.Select(p => p.Key).ToList());
    }

    /// <summary>
    /// BibTeX read back by pandoc (-f bibtex -t csljson) gives each paper's title, names and year; CSL types
    /// and fields are not compared, as BibTeX has fewer of them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rich))]
    public void Bibtex_read_by_pandoc_keeps_titles_names_and_years(string fixture)
    {
        var papers = ExportFixtures.Read(fixture).Papers;
        using var folder = new TempFolder();
        var bib = folder.Write("out.bib", BibtexWriter.Write(papers));

        var result = Pandoc.Run(folder.Path, "-f", "bibtex", "-t", "csljson", bib);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);

        var readBack = CslJsonReader.Read("pandoc.json", result.Stdout);
        Assert.Empty(readBack.Problems);
        Assert.Equal(papers.Select(p => p.Key), readBack.Papers.Select(p => p.Key));
        foreach (var (source, back) in papers.Zip(readBack.Papers))
        {
            Assert.Matches(TitleMatch.Pattern(source.Title, whole: true), back.Title);
            Assert.Equal(Names(source.Authors), Names(back.Authors));
            Assert.Equal(Names(source.Editors), Names(back.Editors));
            Assert.Equal(source.Year, back.Year);
        }
    }

    /// <summary>Names as displayed, with pandoc's typographic apostrophe ("Thiong’o") read as the plain one.</summary>
    private static IEnumerable<string> Names(IEnumerable<Person> people) => people.Select(p => p.Display.Replace('’', '\''));

    /// <summary>
    /// What no reader gives the writers: an organisation instead of authors, only a count of authors, an arXiv
    /// id carried by no field, an id BibTeX cannot hold as a key. Built in C# for that reason alone; the
    /// outputs are compared with files and pandoc must still read them.
    /// </summary>
    [Fact]
    public void Papers_only_other_libraries_make_are_written_and_read_by_pandoc()
    {
        var papers = SpecialPapers();
        var json = CslJsonWriter.Write(papers);
        var bibtex = BibtexWriter.Write(papers);
        Csl.Expected.Matches(TestData.Path("csl", "export", "special-cases.csl.json"), json);
        Csl.Expected.Matches(TestData.Path("csl", "export", "special-cases.bib"), bibtex);

        // The CSL-JSON reader gives back the organisation as a literal author and the arXiv id from "number".
        var readBack = CslJsonReader.Read("special.json", json);
        Assert.Empty(readBack.Problems);
        Assert.Equal(["{Qwen}"], readBack.Papers[0].Authors.Select(a => "{" + a.Literal + "}"));
        Assert.Empty(readBack.Papers[1].Authors);
        Assert.Equal(papers.Select(p => p.ArxivId), readBack.Papers.Select(p => p.ArxivId));

        AssertPandocCites("csljson", papers, papers.Select(p => p.Key).ToList());
        // BibTeX cannot hold "odd,key(1)=#2"; the entry is cited by the key the writer made.
        var bibtexKeys = Regex.Matches(bibtex, @"^@\w+\{([^,\n]+),", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(papers.Count, bibtexKeys.Count);
        Assert.Contains("odd_key_1___2", bibtexKeys);
        AssertPandocCites("bibtex", papers, bibtexKeys);
    }

    private static List<Paper> SpecialPapers()
    {
        SourceLocation Here(int line) => new("built-in-test", new(line, 1), new(line, 1));
        return
        [
            new Paper { Key = "qwen2024", Type = "article", Title = "Qwen Technical Report", Organization = "Qwen",
                Date = new PaperDate(2024, 9), Venue = "arXiv", ArxivId = "2409.12186", Location = Here(1) },
            new Paper { Key = "many-authors", Type = "paper-conference", Title = "Written by 5 authors, named nowhere",
                AuthorCount = 5, Date = new PaperDate(2023), Venue = "NeurIPS 2023", Location = Here(2) },
            new Paper { Key = "arxiv-with-number", Type = "report", Title = "A report with its own number and an arXiv id",
                Authors = [new Person("Doe", "Jane")], Fields = FieldMap.From(new Dictionary<string, string> { ["number"] = "TR-7", ["publisher"] = "Lab" }),
                ArxivId = "2101.00002", Location = Here(3) },
            new Paper { Key = "odd,key(1)=#2", Type = "webpage", Title = "An id BibTeX cannot hold",
                Url = "https://example.org/a{b", Date = new PaperDate(null, Raw: "n.d."), Location = Here(4) },
        ];
    }

    private static void AssertPandocCites(string writer, IReadOnlyList<Paper> papers, IReadOnlyList<string> keys)
    {
        using var folder = new TempFolder();
        var bibliography = writer == "csljson"
            ? folder.Write("out.json", CslJsonWriter.Write(papers))
            : folder.Write("out.bib", BibtexWriter.Write(papers));
        folder.Write("note.md", "# Survey\n\nEverything is cited here [" + string.Join("; ", keys.Select(k => "@{" + k + "}")) + "].\n");

        var result = Pandoc.Run(folder.Path, "--citeproc", "--bibliography", bibliography, "-t", "plain", "note.md");

        Assert.True(result.ExitCode == 0, $"pandoc failed ({result.ExitCode}):\n{result.Stderr}");
        Assert.DoesNotContain("not found", result.Stderr);
        Assert.True(result.Stderr.Length == 0, "pandoc warned:\n" + result.Stderr);
        var output = Regex.Replace(result.Stdout, @"\s+", " ");
        foreach (var paper in papers)
        {
            Assert.True(TitleMatch.Pattern(paper.Title, whole: false).IsMatch(output),
                $"The title of {paper.Key} is not in pandoc's output.\nTitle: {paper.Title}\nOutput:\n{result.Stdout}");
        }
    }
}
