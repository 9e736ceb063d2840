using BibServer.Core.Export;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Tests.Csl;

namespace BibServer.Core.Tests.Export;

public class CslJsonRoundTripTests
{
    /// <summary>
    /// Every paper of every fixture, written as CSL-JSON and read back, is the same paper: same key, type,
    /// title, names, date (with its raw text), venue, abstract, URL, DOI, arXiv id and fields.
    /// </summary>
    [Fact]
    public void Every_fixture_survives_a_write_and_a_read_back()
    {
        var compared = 0;
        foreach (var (name, papers) in ExportFixtures.All())
        {
            var written = CslJsonWriter.Write(papers);
            var readBack = CslJsonReader.Read(name + ".written.json", written);

            // The only problem a written file may have is an id its source already used twice.
            var duplicates = papers.Count - papers.Select(p => p.Key).Distinct().Count();
            Assert.True(readBack.Problems.All(p => p.Code == "csl-json-duplicate-id") && readBack.Problems.Length == duplicates,
                $"{name}: reading the written file found problems:\n{string.Join("\n", readBack.Problems)}");
            Assert.Equal(CslRendering.RenderContent(papers), CslRendering.RenderContent(readBack.Papers));
            compared += papers.Count;
        }
        Assert.True(compared > 100, $"only {compared} papers were compared");
    }

    /// <summary>Writing what was read back changes nothing: the writer's output is a fixed point.</summary>
    [Fact]
    public void Writing_twice_gives_the_same_text()
    {
        foreach (var fixture in ExportFixtures.Rich)
        {
            var once = CslJsonWriter.Write(ExportFixtures.Read(fixture).Papers);
            var twice = CslJsonWriter.Write(CslJsonReader.Read("again.json", once).Papers);
            Assert.Equal(once, twice);
        }
    }
}
