using System.Text.Json;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>
/// Messages out of place in the lifecycle, against the real process. (A class of its own so that xunit runs
/// it beside LifecycleTests: process tests spend most of their time starting .NET.)
/// </summary>
public class LifecycleErrorTests
{
    [Fact]
    public async Task Requests_before_initialize_get_ServerNotInitialized_and_notifications_are_dropped()
    {
        await using var client = await LspTestClient.StartProcessAsync();

        var error = await LspAssert.ErrorAsync(LSP.ErrorCodes.ServerNotInitialized, () => client.HoverAsync("file:///a.md", 0, 0));
        Assert.Contains("send initialize first", error);

        await client.OpenAsync("file:///a.md", "one line\n");
        await client.InitializeAsync();

        // Had the didOpen been kept, line 5 of a two-line document would be InvalidParams; it was dropped, so
        // the document is unknown and the answer is empty.
        Assert.Null(await client.HoverAsync("file:///a.md", 5, 0));
    }

    [Fact]
    public async Task After_shutdown_requests_get_InvalidRequest_and_exit_still_works()
    {
        await using var client = await LspTestClient.StartProcessAsync();
        await client.InitializeAsync();
        await client.RequestAsync<JsonElement?>(LSP.Methods.Shutdown, null);

        var hover = await LspAssert.ErrorAsync(LSP.ErrorCodes.InvalidRequest, () => client.HoverAsync("file:///a.md", 0, 0));
        var shutdown = await LspAssert.ErrorAsync(LSP.ErrorCodes.InvalidRequest, () => client.RequestAsync<JsonElement?>(LSP.Methods.Shutdown, null));

        await client.NotifyAsync(LSP.Methods.Exit, null);
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task A_second_initialize_is_an_InvalidRequest()
    {
        await using var client = await LspTestClient.StartProcessAsync();
        await client.InitializeAsync();

        var error = await LspAssert.ErrorAsync(LSP.ErrorCodes.InvalidRequest, () => client.InitializeAsync(sendInitialized: false));

    }

    [Fact]
    public async Task An_unknown_method_is_MethodNotFound_and_the_server_goes_on()
    {
        await using var client = await LspTestClient.StartProcessAsync();
        await client.InitializeAsync();

        var error = await LspAssert.ErrorAsync(LSP.ErrorCodes.MethodNotFound, () => client.RequestJsonAsync("textDocument/noSuchThing", "{}"));
        await client.NotifyJsonAsync("$/noSuchNotification", "{}");

        Assert.Equal(0, await client.ShutdownAndExitAsync());
    }
}
