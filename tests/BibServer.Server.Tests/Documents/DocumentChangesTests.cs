using BibServer.Core.Text;
using BibServer.Documents;

namespace BibServer.Server.Tests.Documents;

/// <summary>
/// The pure function that applies didChange edits. Each case is: the text before, the edited range as
/// "line:column-line:column" (zero-based, UTF-16 columns as LSP counts them), the new text, the text after.
/// </summary>
public class DocumentChangesTests
{
    [Theory]
    [InlineData("hello world", "0:6-0:11", "there", "hello there")]
    [InlineData("ab\ncd", "1:1-1:1", "X", "ab\ncXd")]
    [InlineData("one\ntwo\nthree", "0:3-2:0", "", "onethree")]
    [InlineData("ab\ncd", "0:2-1:0", "", "abcd")]
    [InlineData("abcd", "0:3-0:1", "X", "aXd")]
    [InlineData("", "0:0-0:0", "first", "first")]
    // Emoji and other astral characters are two UTF-16 code units, and LSP columns count code units.
    [InlineData("😀 cites @a", "0:10-0:11", "b", "😀 cites @b")]
    [InlineData("😀😀", "0:2-0:2", "|", "😀|😀")]
    [InlineData("𝒜𝒷\n😀😀x", "1:4-1:5", "y", "𝒜𝒷\n😀😀y")]
    [InlineData("a😀b", "0:1-0:3", "", "ab")]
    // CRLF and lone CR end lines too.
    [InlineData("a\r\nb\r\nc", "1:0-1:1", "B", "a\r\nB\r\nc")]
    [InlineData("a\r\nb", "0:1-1:0", " ", "a b")]
    [InlineData("a\rb", "1:0-1:1", "B", "a\rB")]
    // A column past the end of its line means the end of the line, before the line break.
    [InlineData("ab\r\ncd", "0:99-0:99", "!", "ab!\r\ncd")]
    [InlineData("ab\ncd", "0:5-1:1", "", "abd")]
    // A line past the last one means the end of the text.
    [InlineData("ab", "5:0-5:0", "!", "ab!")]
    public void Applies_an_incremental_change(string before, string range, string newText, string after)
    {
        var document = OpenDocument.Create("file:///a.md", 1, before);
        var (start, end) = ParseRange(range);

        var changed = document.WithChanges(2, [DocumentChange.Replace(start, end, newText)]);

        Assert.Equal(after, changed.Text);
        Assert.Equal(2, changed.Version);
        Assert.Equal(new LineIndex(after).LineCount, changed.Lines.LineCount);
    }

    [Fact]
    public void Applies_changes_in_order_each_against_the_text_the_previous_one_left()
    {
        var document = OpenDocument.Create("file:///a.md", 1, "ab");

        var changed = document.WithChanges(2,
        [
            DocumentChange.Replace(new(0, 1), new(0, 1), "\n"),
            // Line 1 exists only after the first change.
            DocumentChange.Replace(new(1, 0), new(1, 1), "B"),
            DocumentChange.Replace(new(0, 0), new(0, 0), "😀"),
            // Column 2 is after the emoji inserted just before.
            DocumentChange.Replace(new(0, 2), new(0, 3), "A"),
        ]);

        Assert.Equal("😀A\nB", changed.Text);
    }

    [Fact]
    public void A_change_without_a_range_replaces_the_whole_text_and_can_be_followed_by_ranged_ones()
    {
        var document = OpenDocument.Create("file:///a.md", 3, "old\ntext");

        var changed = document.WithChanges(4, [DocumentChange.Full("new"), DocumentChange.Replace(new(0, 3), new(0, 3), "er")]);

        Assert.Equal("newer", changed.Text);
        Assert.Equal(1, changed.Lines.LineCount);
    }

    [Fact]
    public void Applying_leaves_the_original_document_as_it_was()
    {
        var document = OpenDocument.Create("file:///a.md", 1, "one\ntwo");

        _ = document.WithChanges(2, [DocumentChange.Replace(new(0, 0), new(1, 0), "")]);

        Assert.Equal("one\ntwo", document.Text);
        Assert.Equal(1, document.Version);
        Assert.Equal(2, document.Lines.LineCount);
    }

    [Fact]
    public void A_file_uri_has_a_path_and_other_schemes_do_not()
    {
        Assert.Equal("/notes/my survey.md", OpenDocument.Create("file:///notes/my%20survey.md", 1, "").Path);
        Assert.Null(OpenDocument.Create("untitled:Untitled-1", 1, "").Path);
        Assert.Equal("file:///notes/my%20survey.md", DocumentUris.FromPath("/notes/my survey.md"));
    }

    private static (LinePosition Start, LinePosition End) ParseRange(string range)
    {
        var parts = range.Split('-');
        return (ParsePosition(parts[0]), ParsePosition(parts[1]));
    }

    private static LinePosition ParsePosition(string position)
    {
        var parts = position.Split(':');
        return new LinePosition(int.Parse(parts[0]), int.Parse(parts[1]));
    }
}
