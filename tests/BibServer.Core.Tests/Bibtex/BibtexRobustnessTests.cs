using System.Text;
using BibServer.Core.Libraries.Bibtex;

namespace BibServer.Core.Tests.Bibtex;

/// <summary>
/// The reader never throws and always returns consistent spans, whatever it is given: every prefix of
/// the fixtures (a file cut anywhere while being saved), and fixtures with BibTeX's structural characters
/// inserted and deleted at random (a seeded generator, so a failure can be replayed).
/// </summary>
public class BibtexRobustnessTests
{
    private static IEnumerable<string> FixtureTexts() =>
        Directory.GetFiles(TestData.Path("bibtex"), "*.bib").Order(StringComparer.Ordinal).Select(File.ReadAllText);

    [Fact]
    public void Every_prefix_of_every_fixture_reads()
    {
        var reads = 0;
        foreach (var text in FixtureTexts())
        {
            for (var length = 0; length <= text.Length; length++)
            {
                BibtexFixtureTests.AssertLocations(BibtexReader.Read("prefix.bib", text[..length]));
                reads++;
            }
        }
        Assert.True(reads > 5000, $"only {reads} prefixes were read");
    }

    [Fact]
    public void Fixtures_with_random_damage_read()
    {
        const string structural = "{}()\"@,=#%\\$~\n ";
        var random = new Random(1436);
        var texts = FixtureTexts().ToArray();
        for (var round = 0; round < 3000; round++)
        {
            var sb = new StringBuilder(texts[round % texts.Length]);
            for (var edit = random.Next(1, 6); edit > 0 && sb.Length > 0; edit--)
            {
                var at = random.Next(sb.Length);
                if (random.Next(2) == 0) sb.Remove(at, 1);
                else sb.Insert(at, structural[random.Next(structural.Length)]);
            }
            var damaged = sb.ToString();
            var doc = BibtexReader.Read("damaged.bib", damaged);
            BibtexFixtureTests.AssertLocations(doc);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("@")]
    [InlineData("@@@@")]
    [InlineData("@article")]
    [InlineData("@article{")]
    [InlineData("@article(")]
    [InlineData("@article{key")]
    [InlineData("@article{key,")]
    [InlineData("@article{key, title")]
    [InlineData("@article{key, title =")]
    [InlineData("@article{key, title = {")]
    [InlineData("@article{key, title = \"")]
    [InlineData("@article{key, title = {\\")]
    [InlineData("@article{key, title = {\\\"")]
    [InlineData("@article{key, title = {\\\"{")]
    [InlineData("@article{key, title = {$x")]
    [InlineData("@article{key, title = {\\c}, author = {,, and and {}, }}")]
    [InlineData("@article{key, title = a # # b # }")]
    [InlineData("@string{x = x # x}@article{key, title = x}")]
    [InlineData("@comment{")]
    [InlineData("}}}}{{{{")]
    [InlineData("@article{key, crossref = {key}}")]
    [InlineData("@article{a, crossref = {b}}@article{b, crossref = {a}}")]
    public void Degenerate_inputs_read(string text)
    {
        BibtexFixtureTests.AssertLocations(BibtexReader.Read("degenerate.bib", text));
    }
}
