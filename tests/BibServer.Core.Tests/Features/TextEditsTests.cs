using BibServer.Core.Text;

namespace BibServer.Core.Tests.Features;

public class TextEditsTests
{
    [Fact]
    public void Edits_apply_to_the_original_text_in_any_order()
    {
        var text = "see @old and @old.";
        var after = TextEdits.Apply(text, [(new TextSpan(14, 3), "{new.}"), (new TextSpan(5, 3), "newer"), (new TextSpan(0, 0), "> ")]);
        Assert.Equal("> see @newer and @{new.}.", after);
    }

    [Fact]
    public void Two_insertions_at_one_place_keep_their_order()
    {
        Assert.Equal("abXYc", TextEdits.Apply("abc", [(new TextSpan(2, 0), "X"), (new TextSpan(2, 0), "Y")]));
    }

    [Fact]
    public void Overlapping_edits_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => TextEdits.Apply("abcdef", [(new TextSpan(1, 3), "x"), (new TextSpan(2, 1), "y")]));
        Assert.Contains("overlaps", e.Message);
    }
}
