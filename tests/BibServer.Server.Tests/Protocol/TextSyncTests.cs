using BibServer.Server.Tests.Harness;

namespace BibServer.Server.Tests.Protocol;

/// <summary>didOpen, didChange (incremental and full) and didClose, as seen in the server's snapshot.</summary>
public class TextSyncTests
{
    private const string Uri = "file:///notes/survey.md";

    [Fact]
    public async Task Incremental_edits_after_emoji_and_CRLF_keep_the_server_text_in_step_with_the_client()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();
        await client.OpenAsync(Uri, "# Survey 😀\r\nSee [@smith2020].\r\n");

        await client.InsertAsync(Uri, 0, 11, " notes");           // after the emoji, which is two columns
        await client.ChangeAsync(Uri, 1, 6, 1, 15, "jones2021");  // the key
        await client.InsertAsync(Uri, 2, 0, "🎉 [@x; @y]\r\n");     // a new last line
        await client.ChangeAsync(Uri, 2, 5, 2, 6, "z");           // after the new line's emoji
        await client.RoundTripAsync();

        var document = client.Server!.State.Current.Documents.Get(Uri)!;
        Assert.Equal("# Survey 😀 notes\r\nSee [@jones2021].\r\n🎉 [@z; @y]\r\n", document.Text);
        Assert.Equal(client.TextOf(Uri), document.Text);
        Assert.Equal(5, document.Version);
        Assert.Equal(4, document.Lines.LineCount);
    }

    [Fact]
    public async Task A_full_change_replaces_the_text_and_close_forgets_the_document()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();
        await client.OpenAsync(Uri, "old", version: 7);

        await client.ReplaceAllAsync(Uri, "new\ntext");
        await client.RoundTripAsync();
        var changed = client.Server!.State.Current.Documents.Get(Uri)!;
        await client.CloseAsync(Uri);
        await client.RoundTripAsync();

        Assert.Equal(("new\ntext", 8), (changed.Text, changed.Version));
        Assert.Null(client.Server.State.Current.Documents.Get(Uri));
    }

    [Fact]
    public async Task Several_changes_in_one_notification_apply_in_order()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();
        await client.OpenAsync(Uri, "ab");

        await client.NotifyJsonAsync(BibServer.Protocol.Methods.TextDocumentDidChange, """
            {"textDocument": {"uri": "file:///notes/survey.md", "version": 2}, "contentChanges": [
              {"range": {"start": {"line": 0, "character": 1}, "end": {"line": 0, "character": 1}}, "text": "\n"},
              {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 1}}, "text": "B"},
              {"text": "replaced"},
              {"range": {"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 8}}, "text": "!"}
            ]}
            """);
        await client.RoundTripAsync();

        Assert.Equal("replaced!", client.Server!.State.Current.Documents.Get(Uri)!.Text);
    }
}
