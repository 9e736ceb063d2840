using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BibServer.Server.Tests.Harness;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>The lifecycle of the specification, against the real `bibserver lsp` process.</summary>
public class LifecycleTests
{
    [Fact]
    public async Task Initialize_announces_what_the_server_can_do_and_nothing_else()
    {
        await using var client = await LspTestClient.StartProcessAsync();

        var result = await client.RequestJsonAsync(LSP.Methods.Initialize, """{"processId": null, "rootUri": null, "capabilities": {}}""");

        // Written out as the client gets it: nulls are left out, so features not yet built are not announced.
        Assert.Equal(
            """{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,"completionProvider":{"triggerCharacters":["@","[",";"],"resolveProvider":true},"definitionProvider":true,"referencesProvider":true,"renameProvider":{"prepareProvider":true},"codeActionProvider":{"codeActionKinds":["quickfix"]},"documentSymbolProvider":true,"workspaceSymbolProvider":true,"codeLensProvider":{"resolveProvider":true},"executeCommandProvider":{"commands":["bibserver.server.previewBibliography","bibserver.zotero.remarks"]},"implementationProvider":true,"inlayHintProvider":true,"workspace":{"workspaceFolders":{"supported":true,"changeNotifications":true}}}""",
            result.GetProperty("capabilities").GetRawText());
        Assert.Equal("bibserver", result.GetProperty("serverInfo").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("lsp")]
    [InlineData("lsp", "--stdio")]
    [InlineData("--stdio")]
    public async Task Shutdown_then_exit_ends_the_process_with_code_0_and_stdout_carries_only_JSON_RPC(params string[] arguments)
    {
        await using var client = await LspTestClient.StartProcessAsync(arguments);
        await client.InitializeAsync();
        await client.OpenAsync("file:///notes/a.md", "See [@a].\n");
        await client.HoverAsync("file:///notes/a.md", 0, 6);

        Assert.Equal(0, await client.ShutdownAndExitAsync());
        AssertOnlyJsonRpcFrames(client.StdoutBytes);
    }

    [Fact]
    public async Task Exit_without_shutdown_ends_the_process_with_code_1()
    {
        await using var client = await LspTestClient.StartProcessAsync();
        await client.InitializeAsync();

        await client.NotifyAsync(LSP.Methods.Exit, null);

        Assert.Equal(1, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task A_client_that_closes_the_connection_without_exit_ends_the_process_with_code_1()
    {
        await using var client = await LspTestClient.StartProcessAsync();
        await client.InitializeAsync();

        client.CloseInput();

        Assert.Equal(1, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task The_server_exits_when_the_client_process_is_gone()
    {
        using var fakeClient = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        await using var client = await LspTestClient.StartProcessAsync();
        await client.InitializeAsync(new LSP.InitializeParams { ProcessId = fakeClient.Id });

        fakeClient.Kill();
        await fakeClient.WaitForExitAsync();

        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Contains($"The client process {fakeClient.Id} is gone", client.Stderr);
    }

    /// <summary>Checks that the bytes are nothing but Content-Length framed JSON objects.</summary>
    private static void AssertOnlyJsonRpcFrames(byte[] bytes)
    {
        var position = 0;
        var frames = 0;
        while (position < bytes.Length)
        {
            var headerEnd = IndexOf(bytes, "\r\n\r\n"u8.ToArray(), position);
            Assert.True(headerEnd >= 0, $"Bytes after frame {frames} are not a header: {Encoding.UTF8.GetString(bytes, position, Math.Min(200, bytes.Length - position))}");
            var header = Encoding.ASCII.GetString(bytes, position, headerEnd - position);
            var length = header.Split("\r\n").Select(line => line.Split(':', 2))
                .Where(parts => parts[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(parts => int.Parse(parts[1].Trim())).Single();
            var body = bytes.AsSpan(headerEnd + 4, length);
            using var json = JsonDocument.Parse(body.ToArray());
            Assert.Equal("2.0", json.RootElement.GetProperty("jsonrpc").GetString());
            position = headerEnd + 4 + length;
            frames++;
        }
        Assert.True(frames >= 3, $"Expected several frames, got {frames}.");
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int start) =>
        haystack.AsSpan(start).IndexOf(needle) is var index and >= 0 ? start + index : -1;
}
