using System.Text;
using BibServer.Commands;
using BibServer.Loading;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Host;

/// <summary>
/// The libraries bibserver.yaml names are read ahead from the moment initialize arrives, off standard input
/// before the server has even started (InitializePeek), and the first load takes them unless a file changed.
/// </summary>
public class ReadAheadTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-ahead-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string NoteUri => new Uri(Path.Combine(_root, "note.md")).AbsoluteUri;

    private async Task<LspTestClient> StartAsync(string cited, bool sendInitialized = true)
    {
        File.WriteAllText(Path.Combine(_root, "bibserver.yaml"), "libraries:\n  - refs.bib\n");
        File.WriteAllText(Path.Combine(_root, "note.md"), $"See [@{cited}].\n");
        var client = await LspTestClient.StartProcessAsync();
        await client.InitializeAsync(new LSP.InitializeParams
        {
            ProcessId = Environment.ProcessId,
            RootUri = new Uri(_root).AbsoluteUri,
            Trace = LSP.TraceValue.Verbose,
        }, sendInitialized);
        return client;
    }

    [Fact]
    public async Task The_first_load_takes_the_libraries_read_ahead()
    {
        File.WriteAllText(Path.Combine(_root, "refs.bib"), "@article{old2020, title={Old}}\n");
        await using var client = await StartAsync("old2020");

        await client.WaitForLogAsync("Took the 1 libraries read ahead since initialize.");
        await client.OpenAsync(NoteUri, File.ReadAllText(Path.Combine(_root, "note.md")));
        var diagnostics = await client.WaitForDiagnosticsAsync(NoteUri);
        Assert.Empty(diagnostics.Diagnostics);
        Assert.Equal(0, await client.ShutdownAndExitAsync());
    }

    [Fact]
    public async Task A_library_changed_after_it_was_read_ahead_is_read_again()
    {
        File.WriteAllText(Path.Combine(_root, "refs.bib"), "@article{old2020, title={Old}}\n");
        await using var client = await StartAsync("new2021", sendInitialized: false);
        await client.WaitForLogAsync("Merged 1 papers");

        File.WriteAllText(Path.Combine(_root, "refs.bib"), "@article{new2021, title={New, and longer}}\n");
        await client.NotifyAsync(LSP.Methods.Initialized, new LSP.InitializedParams());
        await client.OpenAsync(NoteUri, File.ReadAllText(Path.Combine(_root, "note.md")));

        var diagnostics = await client.WaitForDiagnosticsAsync(NoteUri);
        Assert.Empty(diagnostics.Diagnostics);
        await client.WaitForLogAsync("changed since it was read ahead; reading the libraries again.");
        Assert.Equal(0, await client.ShutdownAndExitAsync());
    }

    private static byte[] Message(string json) => Encoding.UTF8.GetBytes($"Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}");

    [Fact]
    public async Task The_first_message_is_handed_on_unchanged_and_starts_the_read_ahead()
    {
        File.WriteAllText(Path.Combine(_root, "bibserver.yaml"), "libraries:\n  - refs.bib\n");
        var initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":""" + $"\"{new Uri(_root).AbsoluteUri}\"" + ""","capabilities":{}}}""";
        byte[] input = [.. Message(initialize), .. Message("""{"jsonrpc":"2.0","method":"initialized","params":{}}""")];
        var peek = new InitializePeek(new MemoryStream(input), new Server.Logging.LateLogger());

        var read = new MemoryStream();
        var buffer = new byte[7];
        int count;
        while ((count = await peek.ReadAsync(buffer)) > 0) read.Write(buffer, 0, count);

        Assert.Equal(input, read.ToArray());
        var prefetch = peek.TakePrefetch();
        Assert.NotNull(prefetch);
        Assert.True(prefetch.IsFor([_root], []));
        Assert.Null(peek.TakePrefetch()); // Handed over once: the stream does not keep the libraries alive.
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"shutdown"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}""")]
    [InlineData("""not json at all""")]
    public void Another_first_message_passes_through_without_a_read_ahead(string json)
    {
        var input = Message(json);
        var peek = new InitializePeek(new MemoryStream(input), new Server.Logging.LateLogger());

        var read = new MemoryStream();
        peek.CopyTo(read);

        Assert.Equal(input, read.ToArray());
        Assert.Null(peek.TakePrefetch());
    }
}
