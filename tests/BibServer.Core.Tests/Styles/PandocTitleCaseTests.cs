using System.Text;
using BibServer.Core.Export;
using BibServer.Core.Papers;
using BibServer.Core.Styles;
using BibServer.Core.Tests.Notes;

namespace BibServer.Core.Tests.Styles;

/// <summary>
/// Where citeproc-js and pandoc's citeproc differ by themselves, BibServer prints what pandoc prints
/// (docs/citation-styles.md): title case (words with digits, a period inside a word, one-letter words before a
/// hyphen, brackets, the last word, a field in italics) and punctuation at a closing quotation mark. Each paper
/// here is rendered by BibServer and by pandoc from the same CSL-JSON, in the three styles, and must agree
/// exactly; pandoc is the oracle, no answer is written by hand.
/// </summary>
public sealed class PandocTitleCaseTests
{
    /// <summary>Titles (and venues) on which the two processors' title casers or quotation rules differ.</summary>
    private static readonly (string Type, string Title, string Venue)[] Cases =
    [
        ("article-journal", "3D printed speakers and CO2 capture in 2D", "Journal of things"),
        ("article-journal", "Names like arXiv.org and fab10fabnavi.pdf", "arXiv.org machine learning"),
        ("article-journal", "In situ x-ray diffraction of n-GaAs and an in-situ study", "Appl. phys. lett."),
        ("article-journal", "Etching Si(111) in NH[sub 4]F and #hashtags", "Surface science"),
        ("article-journal", "A study of what we build on", "Journal of the symposium on"),
        ("paper-conference", "Gestures we rely on", "Proceedings of the seventh international symposium on"),
        ("webpage", "A page to look at", "The site of the symposium on"),
        ("article-journal", "Über alles: élan vital and straße-ähnlich words", "Zeitschrift"),
        ("article-journal", "An alternative ’back’ for the future", "Journal"),
        ("article-journal", "<span class=\"nocase\">iPhone</span> apps and <i>italic words</i> on", "Journal"),
        ("article-journal", "Is mobility in mobile HCI worth it?", "Proceedings of HCI"),
        ("article-journal", "White light-emitting diodes grown on silicon.", "Adv. mater."),
        ("article-journal", "Bunde et al. reply:", "Phys. rev. lett."),
        ("article-journal", "Comment on “anomalous size dependence of relaxational processes”", "Phys. rev. lett."),
        ("article-journal", "What? A question! An exclamation: the answer", "Journal"),
    ];

    private static List<Paper> Papers() => [.. Cases.Select((c, i) => new Paper
        {
            Key = $"case{i}",
            Type = c.Type,
            Title = c.Title,
            Venue = c.Venue,
            Authors = [new Person("Doe", "Jane")],
            Date = new PaperDate(2000 + i),
            Location = new SourceLocation("/cases.json", default, default),
        })];

    [Theory]
    [MemberData(nameof(PandocAgreementTests.Styles), MemberType = typeof(PandocAgreementTests))]
    public void Titles_and_quotes_render_as_pandoc_renders_them(string styleName)
    {
        Pandoc.EnsureInstalled();
        var papers = Papers();
        var dir = Directory.CreateTempSubdirectory("bibserver-titlecase-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "cases.json"), CslJsonWriter.Write(papers));
            var theirs = PandocAgreementTests.PandocBibliography(dir.FullName, ["cases.json"], papers.Select(p => p.Key), ShippedStyles.PathOf(styleName));
            var ours = ShippedStyles.Engine.Bibliography(ShippedStyles.Style(styleName), "en-US", papers)!.Value
                .ToDictionary(e => e.Key, e => e.Text, StringComparer.Ordinal);
            var differences = new StringBuilder();
            foreach (var paper in papers)
            {
                var pandoc = theirs.GetValueOrDefault(paper.Key, "(not in pandoc's bibliography)");
                var bibserver = ours.GetValueOrDefault(paper.Key, "(not in BibServer's bibliography)");
                if (pandoc != bibserver) differences.Append($"{paper.Key}\n  pandoc:    {pandoc}\n  bibserver: {bibserver}\n");
            }
            Assert.True(differences.Length == 0, $"{styleName}: BibServer and pandoc differ\n{differences}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The glue's rules are plain JavaScript that Jint runs too (the engine where V8's native library does not
    /// load, docs/citation-styles.md): the same papers give the same text in both.
    /// </summary>
    [Fact]
    public void Jint_renders_the_cases_as_V8_does()
    {
        var directory = ShippedStyles.Directory;
        var locales = new Dictionary<string, string> { ["en-US"] = File.ReadAllText(Path.Combine(directory, "locales", "locales-en-US.xml")) };
        var jint = CslEngine.Load(File.ReadAllText(Path.Combine(directory, "citeproc.js")), locales, ScriptRuntime.Jint);
        Assert.Equal(ScriptRuntime.Jint, jint.Runtime);
        var papers = Papers();
        foreach (var name in ShippedStyles.Three)
        {
            var style = ShippedStyles.Style(name);
            Assert.Equal(
                ShippedStyles.Engine.Bibliography(style, "en-US", papers)!.Value.Select(e => e.Text),
                jint.Bibliography(style, "en-US", papers)!.Value.Select(e => e.Text));
        }
    }
}
