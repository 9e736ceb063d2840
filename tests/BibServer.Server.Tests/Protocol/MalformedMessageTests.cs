using System.Text;
using System.Text.Json;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>
/// Malformed input over real pipes to the real server process: a well-framed body that is no JSON-RPC message
/// is answered as JSON-RPC 2.0 says (-32700 for no JSON, -32600 for JSON that is no message) and the session
/// goes on; framing that cannot be read ends the process with one log line, never a hang. Before, each of
/// these ended the server (exit 1) with StreamJsonRpc's own error.
/// </summary>
public class MalformedMessageTests
{
    public static TheoryData<string, int, string> BadBodies() => new()
    {
        { "this is not JSON {", -32700, "null" },
        { "", -32700, "null" },
        { "[1,2,3]", -32600, "null" },
        { """{"foo":1}""", -32600, "null" },
        { "\"a string\"", -32600, "null" },
        { """{"jsonrpc":"2.0","id":7}""", -32600, "7" },
        { """{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":"not an object"}""", -32600, "99" },
        { """{"jsonrpc":"2.0","id":"s1","method":42}""", -32600, "\"s1\"" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_well_framed_bad_body_is_answered_and_the_session_goes_on(string body, int code, string id)
    {
        // A raw pipe, not the test client: its JSON-RPC would take the error answered to no request of its own
        // for a broken connection.
        await using var server = RawServer.Start();
        await server.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}""");
        await server.SendAsync("""{"jsonrpc":"2.0","method":"initialized","params":{}}""");
        await server.SendAsync(body);
        await server.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"workspace/symbol","params":{"query":""}}""");

        var error = await server.ReceiveAsync(m => m.TryGetProperty("error", out _));
        Assert.Equal(code, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(id, error.GetProperty("id").GetRawText());
        // The next request is answered: the session went on, and shutdown ends it well.
        var symbols = await server.ReceiveAsync(m => m.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == 2);
        Assert.Equal(JsonValueKind.Array, symbols.GetProperty("result").ValueKind);
        await server.SendAsync("""{"jsonrpc":"2.0","id":3,"method":"shutdown"}""");
        await server.SendAsync("""{"jsonrpc":"2.0","method":"exit"}""");
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    /// <summary>What is written, by name (the long header is made in the test, not shown as a theory argument).</summary>
    private static string Framing(string name) => name switch
    {
        "letters" => "Content-Length: abc\r\n\r\n{}",
        "negative" => "Content-Length: -5\r\n\r\n{}",
        "huge" => "Content-Length: 99999999999999\r\n\r\n{}",
        "missing" => "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}",
        "lf-only" => "Content-Length: 2\n\n{}",
        "1-mb-header" => "X-Padding: " + new string('x', 1 << 20) + "\r\n\r\n{}",
        "cut-short" => "Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\"",
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("letters", "is not a length")]
    [InlineData("negative", "is not a length")]
    [InlineData("huge", "larger than any message")]
    [InlineData("missing", "no Content-Length")]
    [InlineData("lf-only", "bare line feeds")]
    [InlineData("1-mb-header", "without the blank line")]
    [InlineData("cut-short", "before the end of a message's body")]
    public async Task Framing_that_cannot_be_read_ends_the_session_with_one_log_line(string name, string why)
    {
        await using var client = await LspTestClient.StartProcessAsync();
        await client.InitializeAsync();
        var input = client.Process!.StandardInput.BaseStream;

        try
        {
            await input.WriteAsync(Encoding.ASCII.GetBytes(Framing(name)));
            await input.FlushAsync();
        }
        catch (IOException) when (name == "1-mb-header")
        {
            // The server stopped reading after its limit for headers and is gone: the rest finds no reader.
        }
        // A body cut short is known only when the input ends, as when the client dies mid-message.
        if (name == "cut-short") input.Close();

        Assert.Equal(1, await client.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        var lines = client.Stderr.Split('\n').Where(l => l.Contains("cannot be read as LSP messages", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains(why, line);
        Assert.DoesNotContain("The connection to the client broke", client.Stderr);
    }

    /// <summary>The server process on raw pipes: frames written and read by hand.</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly System.Diagnostics.Process _process;
        private readonly Stream _stdout;
        private readonly Task<string> _stderr;

        private RawServer(System.Diagnostics.Process process)
        {
            _process = process;
            _stdout = process.StandardOutput.BaseStream;
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public static RawServer Start()
        {
            var start = new System.Diagnostics.ProcessStartInfo(LspTestClient.ServerCommand[0])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in LspTestClient.ServerCommand.Skip(1)) start.ArgumentList.Add(argument);
            start.ArgumentList.Add("lsp");
            start.Environment["DOTNET_NOLOGO"] = "1";
            return new RawServer(System.Diagnostics.Process.Start(start)!);
        }

        public async Task SendAsync(string body)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var input = _process.StandardInput.BaseStream;
            await input.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n"));
            await input.WriteAsync(bytes);
            await input.FlushAsync();
        }

        /// <summary>Reads the server's messages until one matches, within the harness's timeout.</summary>
        public async Task<JsonElement> ReceiveAsync(Func<JsonElement, bool> match)
        {
            using var timeout = new CancellationTokenSource(LspTestClient.DefaultTimeout);
            while (true)
            {
                var message = await ReadMessageAsync(timeout.Token);
                if (match(message)) return message;
            }
        }

        private async Task<JsonElement> ReadMessageAsync(CancellationToken cancellationToken)
        {
            var header = new List<byte>();
            var one = new byte[1];
            while (header.Count < 4 || !(header[^4] == '\r' && header[^3] == '\n' && header[^2] == '\r' && header[^1] == '\n'))
            {
                if (await _stdout.ReadAsync(one, cancellationToken) == 0) throw new EndOfStreamException("The server closed its output.");
                header.Add(one[0]);
            }
            var text = Encoding.ASCII.GetString(header.ToArray());
            var length = int.Parse(text.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.Ordinal))["Content-Length:".Length..].Trim());
            var body = new byte[length];
            await _stdout.ReadExactlyAsync(body, cancellationToken);
            return JsonDocument.Parse(body).RootElement.Clone();
        }

        public async Task<int> WaitForExitAsync()
        {
            await _process.WaitForExitAsync().WaitAsync(LspTestClient.DefaultTimeout);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            await _stderr;
            _process.Dispose();
        }
    }
}
