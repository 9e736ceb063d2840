using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>window/logMessage at the level the client sets, and standard error for the server's own debugging.</summary>
public class LoggingTests
{
    private const string Uri = "file:///notes/survey.md";

    [Fact]
    public async Task A_logLevel_of_warning_in_initializationOptions_sends_only_warnings_and_errors()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams
        {
            Trace = LSP.TraceValue.Verbose,
            InitializationOptions = Json("""{"logLevel": "warning"}"""),
        });

        await client.OpenAsync(Uri, "text");
        await client.BarrierAsync();

        Assert.NotEmpty(client.LogMessages);
        Assert.All(client.LogMessages, log => Assert.True(log.Type <= LSP.MessageType.Warning, log.Message));
    }

    [Fact]
    public async Task The_default_level_sends_information_but_not_debug()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();

        await client.OpenAsync(Uri, "text");
        await client.BarrierAsync();

        Assert.Contains(client.LogMessages, log => log.Type == LSP.MessageType.Info && log.Message.Contains("BibServer 0.1.0 started for LspTestClient"));
        Assert.DoesNotContain(client.LogMessages, log => log.Type == LSP.MessageType.Log);
    }

    [Fact]
    public async Task Trace_verbose_sends_debug_messages_as_Log()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams { Trace = LSP.TraceValue.Verbose });

        await client.OpenAsync(Uri, "text");

        var log = await client.WaitForLogAsync($"Opened {Uri} version 1 (4 characters).");
        Assert.Equal(LSP.MessageType.Log, log.Type);
    }

    [Fact]
    public async Task SetTrace_and_the_logLevel_setting_change_the_level_while_the_server_runs()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();
        await client.OpenAsync("file:///quiet.md", "");

        await client.NotifyAsync(LSP.Methods.SetTrace, new LSP.SetTraceParams(LSP.TraceValue.Messages));
        await client.OpenAsync("file:///traced.md", "");
        await client.NotifyJsonAsync(LSP.Methods.WorkspaceDidChangeConfiguration, """{"settings": {"bibserver": {"logLevel": "warning"}}}""");
        await client.OpenAsync("file:///warned.md", "");
        await client.BarrierAsync();

        var opened = client.LogMessages.Where(log => log.Message.Contains("Opened")).Select(log => log.Message).ToArray();
        Assert.Equal(["[dbug Server] Opened file:///traced.md version 1 (0 characters)."], opened);
    }

    [Fact]
    public async Task Standard_error_gets_warnings_but_not_the_debug_messages_the_client_asked_for()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams { Trace = LSP.TraceValue.Verbose });

        await client.OpenAsync(Uri, "text");
        await client.BarrierAsync();

        Assert.Contains("bibserver warn Server: Ignored a change to untitled:barrier-1, which is not open.", client.Stderr);
        Assert.DoesNotContain("Opened", client.Stderr);
        Assert.Contains(client.LogMessages, log => log.Message.Contains("Opened"));
    }

    [Fact]
    public async Task Settings_that_cannot_be_read_are_reported_to_the_user()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams { InitializationOptions = Json("""{"libraries": 7}""") });

        var log = await client.WaitForLogAsync("libraries");

        Assert.Equal(LSP.MessageType.Warning, log.Type);
        Assert.Equal("[warn Server] The \"libraries\" setting should be a list of files or globs, so it was ignored.", log.Message);
    }

    private static System.Text.Json.JsonElement Json(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
}
