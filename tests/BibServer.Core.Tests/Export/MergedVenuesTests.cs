using System.Text.Json;
using BibServer.Core.Export;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Libraries.PaperLists;

namespace BibServer.Core.Tests.Export;

/// <summary>
/// A paper the seeds list several times under different venues is one merged paper; its CSL-JSON export
/// keeps every venue: its own as container-title, the others in <see cref="CslJsonWriter.OtherVenuesField"/>,
/// which pandoc keeps when it converts the file and never prints.
/// </summary>
public class MergedVenuesTests
{
    private static LibrarySet Seeds() => LibrarySet.Build(
        Directory.GetFiles(TestData.Path("seeds"), "*.txt").Order(StringComparer.Ordinal)
            .Select(f => PaperListReader.Read(f, File.ReadAllText(f))).ToList());

    [Fact]
    public void Every_venue_of_a_merged_paper_is_exported_and_read_back()
    {
        var set = Seeds();
        var merged = set.Papers.Where(p => p.OtherListings.Any(l => l.Venue is { } v && v != p.Venue)).ToList();
        Assert.NotEmpty(merged);
        var sgd = Assert.Single(merged, p => p.Key == "alignmentproperty");
        Assert.Equal("Neural Information Processing Systems", sgd.Venue);

        var json = CslJsonWriter.Write(set.Papers);
        var item = JsonDocument.Parse(json).RootElement.EnumerateArray().Single(e => e.GetProperty("id").GetString() == "alignmentproperty");
        Assert.Equal("Neural Information Processing Systems", item.GetProperty("container-title").GetString());
        Assert.Equal("arXiv.org Artificial Intelligence", item.GetProperty(CslJsonWriter.OtherVenuesField).GetString());

        // Read back and written again, the venues stay as they were: the file is its own round trip.
        var readBack = CslJsonReader.Read("export.json", json);
        Assert.Empty(readBack.Problems);
        Assert.Equal(json, CslJsonWriter.Write(readBack.Papers));
        foreach (var paper in merged)
        {
            var back = readBack.Papers.Single(p => p.Key == paper.Key);
            var venues = paper.OtherListings.Select(l => l.Venue).Prepend(paper.Venue).Where(v => !string.IsNullOrEmpty(v)).Distinct().ToList();
            Assert.Equal(venues, back.Fields[CslJsonWriter.OtherVenuesField].Split("; ").Prepend(back.Venue));
        }
    }

    /// <summary>pandoc keeps the other venues when it reads and writes the file, and its citeproc does not print them.</summary>
    [Fact]
    public void Pandoc_keeps_the_other_venues_and_does_not_print_them()
    {
        Notes.Pandoc.EnsureInstalled();
        var set = Seeds();
        var sgd = set.Find("alignmentproperty")!;
        using var folder = new TempFolder();
        var file = folder.Write("papers.json", CslJsonWriter.Write([sgd]));

        var converted = Pandoc.Run(folder.Path, "-f", "csljson", "-t", "csljson", file);
        Assert.True(converted.ExitCode == 0, converted.Stderr);
        var item = JsonDocument.Parse(converted.Stdout).RootElement[0];
        Assert.Equal("Neural Information Processing Systems", item.GetProperty("container-title").GetString());
        Assert.Equal("arXiv.org Artificial Intelligence", item.GetProperty(CslJsonWriter.OtherVenuesField).GetString());

        folder.Write("note.md", "# Survey\n\nSGD noise aligns [@alignmentproperty].\n");
        var rendered = Pandoc.Run(folder.Path, "--citeproc", "--bibliography", file, "-t", "plain", "note.md");
        Assert.True(rendered.ExitCode == 0 && rendered.Stderr.Length == 0, rendered.Stderr);
        Assert.Contains("Neural Information Processing Systems", rendered.Stdout.ReplaceLineEndings(" "));
        Assert.DoesNotContain("Artificial Intelligence", rendered.Stdout.ReplaceLineEndings(" "));
    }
}
