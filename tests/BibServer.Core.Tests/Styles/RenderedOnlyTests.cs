using BibServer.Core.Features;
using BibServer.Core.Styles;
using BibServer.Core.Tests.Features;

namespace BibServer.Core.Tests.Styles;

/// <summary>
/// A request that may not wait for a render (the server's hover past its bound) asks with the style's
/// <see cref="NoteStyle.RenderedOnly"/>: it shows the paper's fields until the paper is rendered, and from then
/// on exactly what the rendering hover shows, from the memo.
/// </summary>
public sealed class RenderedOnlyTests
{
    [Fact]
    public void The_fields_until_rendered_then_the_same_hover_as_rendering_from_the_memo()
    {
        var f = FixtureFiles.Load(StyledHoverFixtureTests.Folder, "locator.fixture");
        // A renderer of its own: the shared one may have rendered this paper in another test.
        var style = new NoteStyle(new ReferenceRenderer(ShippedStyles.Engine), ShippedStyles.Style("chicago-author-date"), CslEngine.DefaultLocale);

        var before = Hover.Find(f.Snapshot, f.CursorPath, f.Cursor, new HoverOptions(style.RenderedOnly));
        Assert.NotNull(before);
        Assert.StartsWith("**Attention Is All You Need**\n\n", before.Markdown);
        Assert.DoesNotContain("In text:", before.Markdown);

        var rendering = Hover.Find(f.Snapshot, f.CursorPath, f.Cursor, new HoverOptions(style));
        Assert.NotNull(rendering);
        Assert.StartsWith("Vaswani, Ashish, Noam Shazeer, Niki Parmar, and Jakob Uszkoreit. 2017.", rendering.Markdown);
        Assert.Contains("In text: (see Vaswani et al. 2017, 3)", rendering.Markdown);

        var after = Hover.Find(f.Snapshot, f.CursorPath, f.Cursor, new HoverOptions(style.RenderedOnly));
        Assert.Equal(rendering.Markdown, after?.Markdown);
    }
}
