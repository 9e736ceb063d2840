using BibServer.Core.Libraries;
using BibServer.Core.Libraries.PaperLists;

namespace BibServer.Core.Tests.PaperLists;

/// <summary>
/// Discovery reads a .txt file as a paper list only with confidence: every real list and every variant of
/// one is read whole, and no text file of a repository's root (licences, a README, a requirements.txt,
/// logs) gives a paper or a problem, although each of them but one matches a layout's loose shape.
/// </summary>
public class DiscoveryConfidenceTests
{
    private static readonly string[] NotLists =
        ["LICENSE.txt", "COPYING.txt", "CC0-1.0.txt", "MPL-2.0.txt", "README.txt", "requirements.txt", "install-log.txt", "build-log.txt"];

    public static TheoryData<string> NotListFiles() => [.. NotLists];

    public static TheoryData<string> ListFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestData.Path("seeds"), "*.txt").Concat(Directory.GetFiles(TestData.Path("lists", "variants"), "*.txt")).Order(StringComparer.Ordinal))
            if (!f.EndsWith(".expected.txt", StringComparison.Ordinal)) data.Add(Path.GetRelativePath(TestData.Path(), f));
        return data;
    }

    [Theory]
    [MemberData(nameof(NotListFiles))]
    public void A_file_that_is_no_paper_list_is_not_discovered(string name)
    {
        var path = TestData.Path("discovery", "repository-root", name);
        Assert.Null(LibraryReader.ReadIfLibrary(path, FileContent.FromText(File.ReadAllText(path))));
    }

    /// <summary>The loose shape is there: read as a named list, most of these files give "papers", which discovery must not take.</summary>
    [Fact]
    public void Most_of_those_files_match_a_layout_when_named()
    {
        var matching = NotLists.Count(name =>
        {
            var path = TestData.Path("discovery", "repository-root", name);
            return !PaperListReader.Read(path, File.ReadAllText(path)).Papers.IsEmpty;
        });
        Assert.True(matching >= 6, $"only {matching} of the files give papers when read as a list: the test no longer shows what it guards against");
    }

    [Theory]
    [MemberData(nameof(ListFiles))]
    public void A_paper_list_is_discovered_whole(string relative)
    {
        var path = TestData.Path(relative);
        var text = File.ReadAllText(path);
        var named = PaperListReader.Read(path, text);
        var discovered = LibraryReader.ReadIfLibrary(path, FileContent.FromText(text));
        if (named.Papers.IsEmpty)
        {
            Assert.Null(discovered);
            return;
        }
        Assert.NotNull(discovered);
        Assert.Equal(named.Papers.Select(p => p.Title), discovered.Papers.Select(p => p.Title));
    }
}
