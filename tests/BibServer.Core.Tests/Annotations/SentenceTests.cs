using BibServer.Core.Annotations;
using BibServer.Core.Notes;

namespace BibServer.Core.Tests.Annotations;

/// <summary>
/// The sentence a citation sits in, as data: a note's paragraph and the sentences expected, separated by
/// " ¦ ". Abbreviations, initials, decimals and the inside of citations end no sentence.
/// </summary>
public sealed class SentenceTests
{
    [Theory]
    [InlineData("One sentence. Another one.", "One sentence. ¦ Another one.")]
    [InlineData("Umar et al. show it. Then more.", "Umar et al. show it. ¦ Then more.")]
    [InlineData("As in Fig. 2 and Eq. 3, it holds. Next.", "As in Fig. 2 and Eq. 3, it holds. ¦ Next.")]
    [InlineData("Some methods, e.g. ComRoPE, i.e. rotations, work. Others fail.", "Some methods, e.g. ComRoPE, i.e. rotations, work. ¦ Others fail.")]
    [InlineData("It grows by 2.5 times. Then 3.75.", "It grows by 2.5 times. ¦ Then 3.75.")]
    [InlineData("See [see @umarsignal, p. 3; @townmildly, pp. 2-4]. Done.", "See [see @umarsignal, p. 3; @townmildly, pp. 2-4]. ¦ Done.")]
    [InlineData("@umarsignal [p. 3. Here] say so. @townmildly disagree.", "@umarsignal [p. 3. Here] say so. ¦ @townmildly disagree.")]
    [InlineData("A. H. Umar wrote it. Really?! Yes.", "A. H. Umar wrote it. ¦ Really?! ¦ Yes.")]
    [InlineData("It is (roughly) done. \"Quoted.\" Then *emphasis.* Last", "It is (roughly) done. ¦ \"Quoted.\" ¦ Then *emphasis.* ¦ Last")]
    [InlineData("Code `a. B` is one. Lowercase. after a period continues.", "Code `a. B` is one. ¦ Lowercase. after a period continues.")]
    [InlineData("Across\nlines. Of a\nparagraph.", "Across\nlines. ¦ Of a\nparagraph.")]
    public void Split(string paragraph, string expected)
    {
        var note = NoteParser.Parse("/ws/a.md", paragraph + "\n");
        var passages = Passages.Of(note);
        var unbreakable = note.Citations.Select(c => c.GroupSpan ?? c.Span).ToList();
        // The splitter sees what Passages gives it: citations and code spans are unbreakable.
        var code = paragraph.IndexOf('`');
        if (code >= 0) unbreakable.Add(Text.TextSpan.FromBounds(code, paragraph.IndexOf('`', code + 1) + 1));
        unbreakable.Sort((a, b) => a.Start.CompareTo(b.Start));
        var sentences = Sentences.Split(note.Text, new Text.TextSpan(0, paragraph.Length), unbreakable);
        Assert.Equal(expected, string.Join(" ¦ ", sentences.Select(s => note.Text.Substring(s.Start, s.Length))));
        Assert.NotNull(passages);
    }

    [Fact]
    public void A_citation_in_a_list_item_or_a_table_row_is_annotated_by_the_whole_of_it()
    {
        var note = NoteParser.Parse("/ws/a.md", """
            # Notes

            - First item cites [@a]. It has two sentences
              and a second line.
            - Second item [@b].

            | Paper | Finding |
            |---|---|
            | [@c] | one. Two. |

            A paragraph. It cites [@a] here. Not this.
            """ + "\n");
        var passages = Passages.Of(note);
        Assert.Equal(["First item cites [@a]. It has two sentences and a second line.", "It cites [@a] here."], passages["a"].Select(p => p.Text));
        Assert.Equal([PassageKind.ListItem, PassageKind.Sentence], passages["a"].Select(p => p.Kind));
        Assert.Equal("Second item [@b].", Assert.Single(passages["b"]).Text);
        Assert.Equal(PassageKind.TableRow, Assert.Single(passages["c"]).Kind);
        Assert.Equal("[@c] | one. Two.", passages["c"][0].Text);
        Assert.Equal("Notes", Assert.Single(passages["c"][0].Headings));
    }
}
