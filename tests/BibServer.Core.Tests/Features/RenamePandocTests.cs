using BibServer.Core.Features;
using BibServer.Core.Notes;
using BibServer.Core.Tests.Notes;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Features;

/// <summary>
/// A rename must leave every citation where it was, under the new key, as pandoc itself reads the note:
/// pandoc (the oracle) reads the note before and after the edits, and so does our parser, and the two
/// readings must agree citation for citation with the old key replaced by the new one.
/// </summary>
public class RenamePandocTests
{
    private const string Note = """
        ---
        title: Renaming keys
        bibliography: ../refs.bib
        ---
        # Intro

        @umar2025signal show it [p. 3]; so do others [see @smith2020deep; -@umar2025signal, p. 2].
        Braced: @{umar2025signal}, and @{umar2025signal}'s reach. A key that only starts alike: @umar2025signalx.

        - [@umar2025signal; @zhu2019sgd]
        - A footnote.[^1] *Emphasis @umar2025signal* and **[@umar2025signal]**.

        [^1]: Cited in a footnote: @umar2025signal.

        | paper | note |
        |-------|------|
        | [@umar2025signal] | x |

        Not citations: `@umar2025signal`, name@umar2025signal.org, \@umar2025signal.
        @umar2025signal.
        Ends the sentence with @umar2025signal: then @umar2025signal--a dash. End @umar2025signal
        """;

    private const string Library = """
        @article{smith2020deep, title = {Deep Learning for Survey Writers}, year = {2020}}
        @inproceedings{umar2025signal, title = {Signal-to-Noise Ratio and Sample Size}, year = {2025}}
        @article{zhu2019sgd, title = {The alignment property of SGD noise}, year = {2019}}
        """;

    public static TheoryData<string> NewKeys => new()
    {
        "umar2025snr",
        "Umar_2025:snr/v2",
        "u",
        "umar.2025.",
        "umar--2025",
        "umar2025!",
        "umar[2025]",
        "umar;2025",
        "über2025",
    };

    [Theory]
    [MemberData(nameof(NewKeys))]
    public void Pandoc_reads_the_same_citations_at_the_same_places_after_a_rename(string newKey)
    {
        Pandoc.EnsureInstalled();
        const string notePath = "/ws/notes/survey.md";
        var f = Fixture.Parse($"//- {notePath}\n{Note}\n//- /ws/refs.bib\n{Library}\n");
        var before = f.Snapshot.Note(notePath)!;
        var cursor = before.Text.IndexOf("@umar2025signal", StringComparison.Ordinal) + 3;

        var result = Rename.Edits(f.Snapshot, notePath, cursor, newKey);

        Assert.False(result.IsRefused, result.Refusal);
        var noteEdits = result.Value!.Where(e => e.Path == notePath).ToList();
        var afterText = TextEdits.Apply(before.Text, noteEdits.Select(e => (e.Span, e.NewText)));
        var after = NoteParser.Parse(notePath, afterText);

        // Our parser: the same citations, in the same order, each at the place its old one moved to.
        Assert.Equal(before.Citations.Length, after.Citations.Length);
        Assert.Equal(13, before.Citations.Count(c => c.Key == "umar2025signal"));
        for (var i = 0; i < before.Citations.Length; i++)
        {
            var (was, now) = (before.Citations[i], after.Citations[i]);
            Assert.Equal(was.Key == "umar2025signal" ? newKey : was.Key, now.Key);
            Assert.Equal(Moved(was.Span.Start, noteEdits), now.Span.Start);
            Assert.Equal(was.Mode, now.Mode);
        }

        // Pandoc: the same list of citation ids and modes, with the old key replaced.
        var pandocBefore = Pandoc.Cites(Pandoc.ToJson(before.Text));
        var pandocAfter = Pandoc.Cites(Pandoc.ToJson(afterText));
        Assert.Contains(pandocBefore, c => c.Key == "umar2025signal");
        Assert.Equal(pandocBefore.Select(c => c with { Key = c.Key == "umar2025signal" ? newKey : c.Key }), pandocAfter);
        Assert.DoesNotContain(pandocAfter, c => c.Key == "umar2025signal");

        // The library's entry is renamed too, and nothing else in it changes.
        var bib = f.Snapshot.Library("/ws/refs.bib")!;
        var bibAfter = TextEdits.Apply(bib.Text, result.Value!.Where(e => e.Path == bib.Path).Select(e => (e.Span, e.NewText)));
        Assert.Equal(bib.Text.Replace("{umar2025signal,", "{" + newKey + ","), bibAfter);
    }

    /// <summary>Where an offset of the old text is in the new one: moved by the edits that end before it.</summary>
    private static int Moved(int offset, IEnumerable<FileEdit> edits) =>
        offset + edits.Where(e => e.Span.End <= offset).Sum(e => e.NewText.Length - e.Span.Length);

    [Fact]
    public void A_rename_edits_only_key_characters()
    {
        var f = Fixture.Parse($"//- /ws/notes/survey.md\n{Note}\n//- /ws/refs.bib\n{Library}\n");
        var note = f.Snapshot.Note("/ws/notes/survey.md")!;
        var cursor = note.Text.IndexOf("@umar2025signal", StringComparison.Ordinal) + 3;

        var edits = Rename.Edits(f.Snapshot, note.Path, cursor, "x.y.").Value!;

        Assert.All(edits.Where(e => e.Path == note.Path), e => Assert.Equal("umar2025signal", note.Text.Substring(e.Span.Start, e.Span.Length)));
        // Bare citations gain braces, since pandoc would end `@x.y.` before its last dot; braced ones keep theirs.
        Assert.Equal(11, edits.Count(e => e.NewText == "{x.y.}"));
        Assert.Equal(2, edits.Count(e => e.Path == note.Path && e.NewText == "x.y."));
    }
}
