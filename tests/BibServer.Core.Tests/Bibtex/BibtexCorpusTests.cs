using System.Text.RegularExpressions;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Bibtex;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Bibtex;

/// <summary>
/// The two real libraries in tests/testdata/corpora (see /work/shared/corpora/README.md). The figures
/// and spot checks below were taken by reading the files by hand, not from the reader's output.
/// </summary>
public class BibtexCorpusTests
{
    private static LibraryDocument Read(string name)
    {
        var path = TestData.Path("corpora", name);
        return BibtexReader.Read(path, File.ReadAllText(path));
    }

    /// <summary>Keys in file order, found by a line regex independent of the reader: every entry here starts a line with @type{key,.</summary>
    private static List<string> KeysByRegex(LibraryDocument doc) =>
        Regex.Matches(doc.Text, @"^@(\w+)\{([^,\s]+),", RegexOptions.Multiline)
            .Where(m => m.Groups[1].Value.ToLowerInvariant() is not ("comment" or "string" or "preamble"))
            .Select(m => m.Groups[2].Value)
            .ToList();

    private static int Line(LibraryDocument doc, int offset) => doc.Lines.GetPosition(offset).Line + 1;

    private static Papers.Paper Paper(LibraryDocument doc, string key) => doc.Papers.Single(p => p.Key == key);

    // The 23 entries of bbt-1296-library.bib with one "{" too many, all of the form
    // publisher = {Taylor {{\&} Francis}: the line of the entry and the line of its publisher field.
    private static readonly (string Key, int EntryLine, int PublisherLine)[] Damaged =
    [
        ("AGESCHEIDER:2009dk", 267, 274), ("Barniskis:2013hs", 6461, 6468), ("Berger:2017ea", 7572, 7579),
        ("Braun:2008dw", 9004, 9011), ("Brewster:2009wu", 9162, 9169), ("Cheverst:wa", 12065, 12068),
        ("Copley:2004gu", 13084, 13091), ("CushmanRoisin:2014vc", 13714, 13718), ("DeCouvreur:2011ki", 14105, 14112),
        ("Druin:2010kh", 15313, 15320), ("Herholz:2015bz", 21866, 21873), ("Kim:2008koa", 28310, 28317),
        ("Light:2007dd", 33485, 33492), ("Lipson:2013va", 33949, 33954), ("Mosadegh:2014hz", 38397, 38404),
        ("Mourtzis:2013ig", 38506, 38512), ("Norton:2012cy", 40466, 40473), ("Ong:2008de", 41420, 41427),
        ("Phillips:2010jn", 43893, 43900), ("Stevens:2009dr", 52728, 52735), ("Wasserstein:2019ji", 58266, 58273),
        ("Wendrich:2010ii", 59015, 59022), ("Zhang:2010di", 62735, 62742),
    ];

    [Fact]
    public void Library_1296_reads_every_entry_despite_23_damaged_ones()
    {
        var doc = Read("bbt-1296-library.bib");

        // 3725 lines start with "@" and all are entries (no @string or @comment in this file).
        Assert.Equal(3725, Regex.Matches(doc.Text, "^@", RegexOptions.Multiline).Count);
        Assert.Equal(3725, doc.Papers.Length);
        Assert.Equal(KeysByRegex(doc), doc.Papers.Select(p => p.Key).ToList());
        BibtexFixtureTests.AssertLocations(doc);
    }

    [Fact]
    public void Library_1296_problems_point_at_the_damaged_publisher_lines()
    {
        var doc = Read("bbt-1296-library.bib");

        Assert.Equal(Damaged.Length, doc.Problems.Length);
        for (var i = 0; i < Damaged.Length; i++)
        {
            var (key, entryLine, publisherLine) = Damaged[i];
            var problem = doc.Problems[i];
            Assert.Equal(Severity.Error, problem.Severity);
            Assert.Equal("bibtex-unclosed-value", problem.Code);
            Assert.Equal(publisherLine, Line(doc, problem.Span.Start));
            Assert.Contains($"`publisher` in entry `{key}`", problem.Message);
            var paper = Paper(doc, key);
            Assert.Equal(entryLine, Line(doc, paper.Location.Span.Start));
            Assert.True(paper.Location.Span.Contains(problem.Span.Start));
        }
        Assert.Equal(
            "The value of `publisher` in entry `AGESCHEIDER:2009dk` has a `{` that is never closed, so the entry runs into the next one at line 289. The value was read up to the end of its line.",
            doc.Problems[0].Message);
    }

    [Fact]
    public void Library_1296_damaged_entry_keeps_the_fields_after_the_damage()
    {
        var doc = Read("bbt-1296-library.bib");

        // Lines 267-287: the publisher on line 274 swallowed doi, abstract, journal, number, ... up to the closing brace.
        var damaged = Paper(doc, "AGESCHEIDER:2009dk");
        Assert.Equal("The Effects of Skin Temperature on the Detection and Discrimination of Tactile Stimulation", damaged.Title);
        Assert.Equal("Taylor & Francis", damaged.Fields["publisher"]);
        Assert.Equal("Somatosensory & Motor Research", damaged.Venue);
        Assert.Equal("10.1080/08990229771042", damaged.Doi);
        Assert.Equal("3", damaged.Fields["issue"]);
        Assert.Equal(287, Line(doc, damaged.Location.Span.End));

        // The entry after it (line 289) is whole.
        var next = Paper(doc, "Agrawal:2004p1349");
        Assert.Equal("Multimodal Interface Platform for Geographical Information Systems (GeoMIP) in Crisis Management", next.Title);
        Assert.Equal(9, next.Authors.Length);
        Assert.Equal(289, Line(doc, next.Location.Span.Start));
    }

    [Fact]
    public void Library_1296_decodes_titles_and_names()
    {
        var doc = Read("bbt-1296-library.bib");

        var abawi = Paper(doc, "Abawi:2004ks");
        Assert.Equal("Accuracy in Optical Tracking with Fiducial Markers: An Accuracy Function for ARToolKit", abawi.Title);
        Assert.Equal("Abawi, Daniel F | Bienwald, Joachim | Dörner, Ralf", string.Join(" | ", abawi.Authors.Select(BibtexRendering.Person)));
        Assert.Equal("paper-conference", abawi.Type);
        Assert.Equal("260–261", abawi.Fields["page"]);
        Assert.Equal(new Papers.PaperDate(2004, 11, null, "2004"), abawi.Date);

        // author = {{Cushman-Roisin}, Benoit}: the braces protect a hyphenated family name.
        var cushman = Paper(doc, "CushmanRoisin:2014vc");
        Assert.Equal("Cushman-Roisin, Benoit", BibtexRendering.Person(cushman.Authors.Single()));
        Assert.Equal("John Wiley & Sons, Inc.", cushman.Fields["publisher"]);
    }

    [Fact]
    public void Library_1436_reads_every_entry_without_problems()
    {
        var doc = Read("bbt-1436-materials.bib");

        Assert.Equal(7166, Regex.Matches(doc.Text, "^@", RegexOptions.Multiline).Count);
        Assert.Equal(7166, doc.Papers.Length);
        Assert.Equal(KeysByRegex(doc), doc.Papers.Select(p => p.Key).ToList());
        Assert.Empty(doc.Problems);
        BibtexFixtureTests.AssertLocations(doc);
    }

    [Fact]
    public void Library_1436_decodes_accents_dashes_and_escaped_math()
    {
        var doc = Read("bbt-1436-materials.bib");

        // author = {Abdollahi, Amir and {V{\'a}squez-Sancho}, Fabi{\'a}n and Catalan, Gustau}
        var abdollahi = Paper(doc, "abdollahi_2018");
        Assert.Equal("Abdollahi, Amir | Vásquez-Sancho, Fabián | Catalan, Gustau", string.Join(" | ", abdollahi.Authors.Select(BibtexRendering.Person)));
        Assert.Equal("1807.00144", abdollahi.ArxivId);
        Assert.Equal("American Physical Society", abdollahi.Fields["publisher"]);

        // Morko{\c c}, Hadis
        Assert.Equal("Morkoç, Hadis", BibtexRendering.Person(Paper(doc, "adomi_1991").Authors[^1]));

        // {{Ga}}\textendash{{Al}} Flux
        Assert.Equal("High-Quality AlN Layer Homoepitaxially Grown on Nitrided a-Plane Sapphire Using a Ga–Al Flux", Paper(doc, "adachi_2013").Title);

        // Zotero escaped this math as text (\$\_\{\textbackslash{}boldsymbol...\}\$), so it reads as the LaTeX source.
        Assert.Equal("Enhanced Radiative Efficiency in GaN Nanowires Grown on Sputtered TiN$_{\\boldsymbol{\\mathsf{x}}}$", Paper(doc, "Auzelle_2020").Title);
        Assert.Equal("Study of Oxygen Chemisorption on the GaN(0001)-(1\\times1) Surface", Paper(doc, "bermudez_1996").Title);

        // arxivid = {doi:10.7567/APEX.7.071001} is a DOI Mendeley put in the wrong field: no arXiv id.
        Assert.Null(Paper(doc, "araki_2014").ArxivId);
    }
}
