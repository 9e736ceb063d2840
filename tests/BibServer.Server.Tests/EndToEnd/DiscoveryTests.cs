namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// Discovery in a repository's root, as a new user opens one: tests/testdata/discovery/repository-root holds
/// a paper list beside four licences (Apache-2.0, GPL-3, CC0-1.0 and MPL-2.0, as Debian ships them), a README,
/// a requirements.txt, an apt history and a build log, all as .txt files, and no bibserver.yaml. Before
/// discovery asked for confidence, `check` read 491 papers from 8 "libraries" and warned 13 times about them.
/// </summary>
public sealed class DiscoveryTests
{
    [Fact]
    public async Task Only_the_paper_list_is_read_and_nothing_else_is_warned_about()
    {
        var root = TestData.Path("discovery", "repository-root");
        Assert.True(File.Exists(Path.Combine(root, "LICENSE.txt")) && !File.Exists(Path.Combine(root, "bibserver.yaml")));

        var result = await Harness.BibServerProcess.RunAsync(root, "check", ".");

        Assert.Empty(result.StdoutLines);
        Assert.Equal(
        [
            ".: 10 papers in 1 libraries (found in the folder)",
            "checked 1 notes, 1 citations: 0 errors, 0 warnings",
        ], result.StderrLines);
        Assert.Equal(0, result.Code);
    }
}
