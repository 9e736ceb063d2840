using System.Text.Json;
using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>Settings from the client, and file changes from the client's watchers or the server's own.</summary>
public class WorkspaceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-workspace-").FullName;

    private LSP.InitializeParams Initialize(LSP.ClientCapabilities capabilities) => new()
    {
        RootUri = DocumentUris.FromPath(_root),
        Trace = LSP.TraceValue.Verbose,
        Capabilities = capabilities,
    };

    [Fact]
    public async Task A_client_that_can_watch_files_is_asked_to_watch_libraries_notes_and_settings()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(Initialize(LspTestClient.FullCapabilities));

        var request = await client.WaitForAsync(m => m.Method == LSP.Methods.ClientRegisterCapability);

        var registration = request.Read<LSP.RegistrationParams>().Registrations.Single();
        Assert.Equal(LSP.Methods.WorkspaceDidChangeWatchedFiles, registration.Method);
        Assert.Equal(
            ["**/*.bib", "**/*.bibtex", "**/*.json", "**/*.yaml", "**/*.yml", "**/*.txt", "**/*.md", "**/*.qmd", "**/bibserver.yaml", "**/content/citation-tags.tsv"],
            registration.RegisterOptions!.Value.Deserialize<LSP.DidChangeWatchedFilesRegistrationOptions>(LSP.LspJson.Options)!.Watchers.Select(w => w.GlobPattern));
    }

    [Fact]
    public async Task Watched_file_events_from_the_client_are_read_and_applied()
    {
        var created = Path.Combine(_root, "refs.bib");
        File.WriteAllText(created, "@article{a, title={A}}");
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(Initialize(LspTestClient.FullCapabilities));
        var revision = client.Server!.State.Current.Revision;

        await client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWatchedFiles, new LSP.DidChangeWatchedFilesParams(
        [
            new LSP.FileEvent(DocumentUris.FromPath(created), LSP.FileChangeType.Created),
            new LSP.FileEvent(DocumentUris.FromPath(Path.Combine(_root, "gone.bib")), LSP.FileChangeType.Deleted),
            new LSP.FileEvent(DocumentUris.FromPath(Path.Combine(_root, "node_modules", "x.json")), LSP.FileChangeType.Changed),
        ]));

        await client.WaitForLogAsync($"Files changed: created {created}, deleted {Path.Combine(_root, "gone.bib")} (revision {revision + 1}).");
    }

    [Fact]
    public async Task Without_client_watchers_the_server_watches_the_workspace_itself()
    {
        Directory.CreateDirectory(Path.Combine(_root, "node_modules"));
        await using var client = LspTestClient.StartInProcess(new LspServerOptions { FileEventsDelay = TimeSpan.FromMilliseconds(20) });
        await client.InitializeAsync(Initialize(new LSP.ClientCapabilities()));
        await client.Server!.Started;

        File.WriteAllText(Path.Combine(_root, "node_modules", "ignored.json"), "{}");
        File.WriteAllText(Path.Combine(_root, "figure.png"), "");
        var library = Path.Combine(_root, "library.bib");
        File.WriteAllText(library, "@book{b, title={B}}");

        await client.WaitForLogAsync(log => log.Message.Contains("Files changed:") && log.Message.Contains(library));
        Assert.DoesNotContain(client.LogMessages, log => log.Message.Contains("ignored.json") || log.Message.Contains("figure.png"));
        Assert.DoesNotContain(client.Received, m => m.Method == LSP.Methods.ClientRegisterCapability);
    }

    [Fact]
    public async Task Settings_from_didChangeConfiguration_make_a_new_snapshot()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync();
        var before = client.Server!.State.Current;

        await client.NotifyJsonAsync(LSP.Methods.WorkspaceDidChangeConfiguration,
            """{"settings": {"bibserver": {"libraries": ["refs.bib", "lists/*.txt"], "logLevel": "error"}}}""");
        await client.RoundTripAsync();

        var after = client.Server.State.Current;
        Assert.Empty(before.Settings.Libraries);
        Assert.Equal(["refs.bib", "lists/*.txt"], after.Settings.Libraries.ToArray());
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, after.ClientLogLevel);
    }

    [Fact]
    public async Task A_client_that_sends_no_settings_is_asked_for_them()
    {
        await using var client = LspTestClient.StartInProcess();
        client.ConfigurationAnswer = JsonDocument.Parse("""{"libraries": ["asked.bib"]}""").RootElement.Clone();
        await client.InitializeAsync(Initialize(LspTestClient.FullCapabilities));

        await client.NotifyJsonAsync(LSP.Methods.WorkspaceDidChangeConfiguration, """{"settings": null}""");

        var request = await client.WaitForAsync(m => m.Method == LSP.Methods.WorkspaceConfiguration);
        Assert.Equal("bibserver", request.Read<LSP.ConfigurationParams>().Items.Single().Section);
        await client.WaitForLogAsync("Settings changed: 1 libraries");
        Assert.Equal(["asked.bib"], client.Server!.State.Current.Settings.Libraries.ToArray());
    }

    [Fact]
    public async Task Workspace_folders_come_and_go()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams
        {
            WorkspaceFolders = [new LSP.WorkspaceFolder("file:///one", "one"), new LSP.WorkspaceFolder("file:///two", "two")],
        });

        await client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWorkspaceFolders, new LSP.DidChangeWorkspaceFoldersParams(
            new LSP.WorkspaceFoldersChangeEvent([new LSP.WorkspaceFolder("file:///three", "three")], [new LSP.WorkspaceFolder("file:///one", "one")])));
        await client.RoundTripAsync();

        Assert.Equal(["/two", "/three"], client.Server!.State.Current.Roots.ToArray());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
