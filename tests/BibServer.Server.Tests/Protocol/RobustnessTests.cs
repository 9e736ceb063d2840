using System.Text.Json;
using BibServer.Server.Tests.Harness;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>Bad input from a client gets an error or an empty answer, and the server goes on serving.</summary>
public class RobustnessTests
{
    private const string Uri = "file:///notes/survey.md";

    [Theory]
    [InlineData("""{"textDocument": {"uri": "file:///notes/survey.md"}}""", "missing required properties including: 'position'")]
    [InlineData("""{"textDocument": {"uri": "file:///notes/survey.md"}, "position": {"line": "one", "character": 0}}""", "could not be converted")]
    [InlineData("""{"textDocument": null, "position": {"line": 0, "character": 0}}""", "textDocument")]
    [InlineData("""{}""", "missing required properties")]
    public async Task Malformed_params_are_InvalidParams_and_the_server_goes_on(string paramsJson, string expectedMessage)
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();
        await client.OpenAsync(Uri, "See [@a].\n");

        var error = await LspAssert.ErrorAsync(LSP.ErrorCodes.InvalidParams, () => client.RequestJsonAsync(LSP.Methods.TextDocumentHover, paramsJson));

        Assert.Contains(expectedMessage, error);
        Assert.Null(await client.HoverAsync(Uri, 0, 0));
    }

    [Fact]
    public async Task A_position_on_a_line_outside_the_document_is_InvalidParams_and_past_a_line_end_is_fine()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();
        await client.OpenAsync(Uri, "See [@a].\nSecond line.\n");

        var error = await LspAssert.ErrorAsync(LSP.ErrorCodes.InvalidParams, () => client.HoverAsync(Uri, 7, 0));

        Assert.Equal("The position 7:0 is outside file:///notes/survey.md, which has 3 lines.", error);
        Assert.Null(await client.HoverAsync(Uri, 1, 400));
        Assert.Empty((await client.CompletionAsync(Uri, 0, 400)).Items);
    }

    [Fact]
    public async Task Requests_about_a_document_never_opened_get_an_empty_answer()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();

        Assert.Null(await client.HoverAsync("file:///never/opened.md", 3, 3));
        var completion = await client.CompletionAsync("file:///never/opened.md", 3, 3);
        Assert.False(completion.IsIncomplete);
        Assert.Empty(completion.Items);
    }

    [Fact]
    public async Task Malformed_notifications_and_edits_to_unknown_documents_are_logged_and_ignored()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();

        await client.NotifyJsonAsync(LSP.Methods.TextDocumentDidOpen, """{"textDocument": {"uri": "file:///a.md", "version": 1}}""");
        await client.NotifyJsonAsync(LSP.Methods.TextDocumentDidChange,
            """{"textDocument": {"uri": "file:///b.md", "version": 2}, "contentChanges": [{"text": "x"}]}""");
        await client.RoundTripAsync();

        Assert.Equal(0, client.Server!.State.Current.Documents.Count);
        await client.WaitForLogAsync(log => log.Type == LSP.MessageType.Warning
            && log.Message.Contains("Ignored textDocument/didOpen: The params of textDocument/didOpen are malformed"));
        await client.WaitForLogAsync(log => log.Type == LSP.MessageType.Warning
            && log.Message.Contains("Ignored a change to file:///b.md, which is not open."));
    }

    [Fact]
    public async Task A_handler_that_throws_answers_InternalError_and_the_server_goes_on()
    {
        await using var client = LspTestClient.StartInProcess(new LspServerOptions
        {
            ExtraHandlers = router => router.Request<LSP.NoParams, object?>("test/throw", (_, _, _) => throw new InvalidDataException("broken on purpose")),
        });
        await client.InitializeAsync();

        var error = await LspAssert.ErrorAsync(LSP.ErrorCodes.InternalError, () => client.RequestJsonAsync("test/throw", "{}"));

        Assert.Equal("test/throw failed: broken on purpose", error);
        Assert.Null(await client.HoverAsync(Uri, 0, 0));
        Assert.Contains("InvalidDataException: broken on purpose", client.Stderr);
    }

    [Fact]
    public async Task A_cancelled_request_is_cancelled_in_the_server_and_answered_RequestCancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelledInServer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = LspTestClient.StartInProcess(new LspServerOptions
        {
            ExtraHandlers = router => router.AsyncRequest<LSP.NoParams, object?>("test/slow", async (_, _, cancellationToken) =>
            {
                started.SetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    return null;
                }
                catch (OperationCanceledException)
                {
                    cancelledInServer.SetResult();
                    throw;
                }
            }),
        });
        await client.InitializeAsync();
        using var cancellation = new CancellationTokenSource();

        var request = client.RequestJsonAsync("test/slow", "{}", cancellation.Token);
        await started.Task.WaitAsync(LspTestClient.DefaultTimeout);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await cancelledInServer.Task.WaitAsync(LspTestClient.DefaultTimeout);
        Assert.Null(await client.HoverAsync(Uri, 0, 0));
    }

    [Fact]
    public async Task A_request_reads_the_snapshot_it_started_with_while_edits_come_in()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = LspTestClient.StartInProcess(new LspServerOptions
        {
            ExtraHandlers = router => router.AsyncRequest<LSP.TextDocumentIdentifier, string?>("test/text", async (context, request, _) =>
            {
                started.SetResult();
                await gate.Task;
                return context.Document(request)?.Text;
            }),
        });
        await client.InitializeAsync();
        await client.OpenAsync(Uri, "before");

        var answer = client.RequestAsync<string?>("test/text", new LSP.TextDocumentIdentifier(Uri));
        await started.Task.WaitAsync(LspTestClient.DefaultTimeout);
        await client.ReplaceAllAsync(Uri, "after");
        await client.RoundTripAsync();
        gate.SetResult();

        Assert.Equal("before", await answer);
        Assert.Equal("after", client.Server!.State.Current.Documents.Get(Uri)!.Text);
    }
}
