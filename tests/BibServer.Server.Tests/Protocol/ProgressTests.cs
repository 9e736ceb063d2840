using System.Text.Json;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>Work-done progress made by the server: window/workDoneProgress/create, then $/progress begin, report, end.</summary>
public class ProgressTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-progress-").FullName;

    [Fact]
    public async Task Progress_creates_a_token_then_begins_reports_and_ends_on_it()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams { Capabilities = LspTestClient.FullCapabilities });
        // The start-up indexing shows progress of its own; this test looks only at what comes after it.
        await client.Server!.Started;
        await client.BarrierAsync();
        var mark = client.Mark();

        await using (var progress = await client.Server!.BeginProgressAsync("Indexing libraries", "refs.bib"))
        {
            Assert.True(progress.IsActive);
            progress.Report("half way", 50);
        }

        await client.WaitForAsync(m => m.Method == LSP.Methods.Progress && Kind(m) == "end", after: mark);
        var after = client.Received.Skip(mark).ToList();
        var create = Assert.Single(after, m => m.Method == LSP.Methods.WindowWorkDoneProgressCreate);
        var token = create.Params!.Value.GetProperty("token").GetString();
        Assert.StartsWith("bibserver/", token);
        Assert.Equal(
            [$"{token} begin Indexing libraries: refs.bib 0%", $"{token} report half way 50%", $"{token} end"],
            after.Where(m => m.Method == LSP.Methods.Progress).Select(Describe));
    }

    [Fact]
    public async Task Without_client_support_progress_sends_nothing()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();

        await using (var progress = await client.Server!.BeginProgressAsync("Indexing libraries"))
        {
            Assert.False(progress.IsActive);
            progress.Report("ignored", 50);
        }
        await client.BarrierAsync();

        Assert.DoesNotContain(client.Received, m => m.Method is LSP.Methods.Progress or LSP.Methods.WindowWorkDoneProgressCreate);
    }

    [Fact]
    public async Task Reading_the_libraries_at_start_shows_progress_in_the_real_server()
    {
        File.WriteAllText(Path.Combine(_root, "refs.bib"), "@article{a, title={A}}\n");
        File.WriteAllText(Path.Combine(_root, "more.bib"), "@article{b, title={B}}\n");
        await using var client = await LspTestClient.StartProcessAsync();

        await client.InitializeAsync(new LSP.InitializeParams
        {
            ProcessId = Environment.ProcessId,
            RootUri = new Uri(_root).AbsoluteUri,
            Capabilities = LspTestClient.FullCapabilities,
            InitializationOptions = JsonDocument.Parse("""{"libraries": ["*.bib"]}""").RootElement.Clone(),
        });

        await client.WaitForAsync(m => m.Method == LSP.Methods.Progress && Kind(m) == "end");
        Assert.Equal(["begin Indexing libraries: Finding the workspace's libraries 0%", "report Reading 2 libraries 20%", "end 2 papers in 2 libraries"],
            client.Received.Where(m => m.Method == LSP.Methods.Progress).Select(m => Describe(m).Split(' ', 2)[1]));
        await client.WaitForLogAsync("Indexed 2 papers in 2 libraries (Settings) and 0 notes.");
        Assert.Equal(0, await client.ShutdownAndExitAsync());
    }

    private static string Kind(ReceivedMessage message) => message.Params!.Value.GetProperty("value").GetProperty("kind").GetString()!;

    private static string Describe(ReceivedMessage message)
    {
        var value = message.Params!.Value.GetProperty("value");
        var parts = new List<string> { message.Params!.Value.GetProperty("token").GetString()!, Kind(message) };
        if (value.TryGetProperty("title", out var title)) parts.Add(title.GetString() + ":");
        if (value.TryGetProperty("message", out var text)) parts.Add(text.GetString()!);
        if (value.TryGetProperty("percentage", out var percentage)) parts.Add($"{percentage.GetInt32()}%");
        return string.Join(" ", parts);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
