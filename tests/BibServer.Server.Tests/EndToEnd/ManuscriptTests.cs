namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// Manuscripts as their authors set them up, checked as CI would. tests/testdata/manubot/manuscript is a
/// Manubot manuscript: notes in content/ citing DOIs, arXiv and PubMed identifiers, a URL, a manual reference
/// and a tag of content/citation-tags.tsv, with Manubot's cache in output/references.json. Before BibServer
/// knew Manubot, every identifier was an unknown key.
/// </summary>
public sealed class ManuscriptTests
{
    [Fact]
    public async Task A_Manubot_manuscript_reports_only_its_malformed_identifier_and_its_undefined_tag()
    {
        var result = await Harness.BibServerProcess.RunAsync(TestData.Path("manubot", "manuscript"), "check", ".");

        Assert.Equal(
        [
            "content/02.introduction.md:7:43: warning: `doi:1038/nature14539` is not a DOI: a DOI starts with `10.`, then the registrant's number, " +
                "a `/` and the item's suffix (`doi:10.1371/journal.pcbi.1007128`). Manubot cannot resolve it.",
            "content/02.introduction.md:7:93: error: Unknown citation tag `deep-reveiw`: `citation-tags.tsv` does not define it, so Manubot cannot resolve `@tag:deep-reveiw`.",
        ], result.StdoutLines);
        Assert.Equal("checked 2 notes, 9 citations: 1 errors, 1 warnings", result.StderrLines[^1]);
        Assert.Equal(1, result.Code);
    }
}
