using BibServer.Core.Annotations;
using BibServer.Core.Notes;

namespace BibServer.Core.Tests.Annotations;

/// <summary>
/// Every note the tests and examples hold (the parser's fixtures: blocks, footnotes, tables, code, damage):
/// finding passages never throws, each passage holds the citation it is for, and its text is on one line.
/// </summary>
public sealed class PassageRobustnessTests
{
    public static IEnumerable<object[]> Notes =>
        Directory.GetFiles(TestData.Path("notes"), "*.md", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(System.IO.Path.Combine(TestData.Root, "examples"), "*.md", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(p => new object[] { System.IO.Path.GetRelativePath(TestData.Root, p) });

    [Theory]
    [MemberData(nameof(Notes))]
    public void Every_citation_has_a_passage_that_holds_it(string relative)
    {
        var path = System.IO.Path.Combine(TestData.Root, relative);
        var note = NoteParser.Parse(path, File.ReadAllText(path));
        var passages = Passages.Of(note);
        foreach (var citation in note.Citations.Where(c => !c.IsCrossReference))
        {
            var passage = Assert.Single(passages[citation.Key], p => p.Span.Start <= citation.Span.Start && citation.Span.Start <= p.Span.End);
            Assert.DoesNotContain('\n', passage.Text);
            Assert.True(passage.Line >= 1 && passage.Line <= note.Lines.LineCount);
        }
    }

    [Theory]
    [InlineData("a/b:c", "/ws/notes/papers/a_b_c.md")]
    [InlineData("umarsignal", "/ws/notes/papers/umarsignal.md")]
    public void A_new_literature_note_is_named_by_its_key_made_safe_for_a_file_name(string key, string expected) =>
        Assert.Equal(expected, new LiteratureNoteSettings(["/ws"]).NewNotePath(key));

    [Theory]
    [InlineData("notes/papers/*.md", "/ws/notes/papers/umarsignal.md", "umarsignal")]
    [InlineData("notes/papers/*.md", "/ws/notes/other/umarsignal.md", null)]
    [InlineData("**/lit/*.lit.md", "/ws/a/b/lit/townmildly.lit.md", "townmildly")]
    [InlineData("papers/{read,todo}/*.md", "/ws/papers/todo/x2024.md", "x2024")]
    public void The_glob_names_the_key_by_the_file_name(string glob, string path, string? key) =>
        Assert.Equal(key, new LiteratureNoteSettings(["/ws"], glob).KeyOfPath(path));
}
