using System.Text.Json;
using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// A fresh copy of the repository's examples/ folder on disk, with the built server running as a process over
/// it. Tests change the copy freely (append papers, delete bibserver.yaml); the repository's folder is never
/// touched. Positions are found by searching the text, so the tests say what they point at.
/// </summary>
internal sealed class ExamplesWorkspace : IAsyncDisposable
{
    public const string Survey = "notes/alignment-survey.md";
    public const string Encodings = "notes/positional-encodings.md";
    public const string ReadingLog = "notes/reading-log.md";
    public const string Classics = "classics.bib";
    public const string PlainList = "papers/000_15c1982a7ee950de.txt";

    private ExamplesWorkspace(string root, LspTestClient client)
    {
        Root = root;
        Client = client;
    }

    public string Root { get; }

    public LspTestClient Client { get; }

    /// <summary>What the server answered to initialize (its capabilities).</summary>
    public LSP.InitializeResult? InitializeResult { get; private set; }

    /// <summary>Copies examples/ to a new temporary folder; <paramref name="prepare"/> may change the copy before the server starts.</summary>
    public static string Copy(Action<string>? prepare = null)
    {
        var root = Directory.CreateTempSubdirectory("bibserver-e2e-").FullName;
        var source = Path.Combine(TestData.Root, "examples");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        prepare?.Invoke(root);
        return root;
    }

    /// <summary>
    /// Copies the examples, starts `bibserver lsp` and initializes it with the copy as root URI and only
    /// workspace folder. The client can do what VS Code can unless other capabilities are given.
    /// </summary>
    public static async Task<ExamplesWorkspace> StartAsync(
        Action<string>? prepare = null, LSP.ClientCapabilities? capabilities = null, string? initializationOptions = null)
    {
        var root = Copy(prepare);
        var client = await LspTestClient.StartProcessAsync();
        var workspace = new ExamplesWorkspace(root, client);
        workspace.InitializeResult = await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(root),
            WorkspaceFolders = [new LSP.WorkspaceFolder(DocumentUris.FromPath(root), "examples")],
            Capabilities = capabilities ?? LspTestClient.FullCapabilities,
            InitializationOptions = initializationOptions is null ? null : JsonDocument.Parse(initializationOptions).RootElement.Clone(),
            Trace = LSP.TraceValue.Verbose,
        });
        return workspace;
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string Uri(string relative) => DocumentUris.FromPath(PathOf(relative));

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Opens a file of the copy with its text on disk, as an editor does; returns its URI.</summary>
    public async Task<string> OpenAsync(string relative)
    {
        var uri = Uri(relative);
        await Client.OpenAsync(uri, Read(relative), relative.EndsWith(".bib", StringComparison.Ordinal) ? "bibtex" : "markdown");
        return uri;
    }

    /// <summary>Appends a line to an open document (one incremental change); returns the new line's zero-based number.</summary>
    public async Task<int> AppendLineAsync(string uri, string line)
    {
        var text = Client.TextOf(uri);
        Assert.EndsWith("\n", text);
        var last = text.Count(c => c == '\n');
        await Client.InsertAsync(uri, last, 0, line + "\n");
        return last;
    }

    /// <summary>Replaces the first occurrence of a piece of an open document's text (one incremental change).</summary>
    public Task ReplaceAsync(string uri, string old, string replacement, string? after = null)
    {
        var range = RangeOf(Client.TextOf(uri), old, after);
        return Client.ChangeAsync(uri, range.Start.Line, range.Start.Character, range.End.Line, range.End.Character, replacement);
    }

    /// <summary>Waits until the server has read the workspace: its status says it is no longer indexing and how many papers it has.</summary>
    public async Task<LSP.BibServerStatus> WaitForIndexedAsync(int papers, int after = 0)
    {
        var message = await Client.WaitForAsync(m => m.Method == "bibserver/status"
            && m.Read<LSP.BibServerStatus>() is { Indexing: false } status && status.Papers == papers, after: after, what: $"status with {papers} papers");
        return message.Read<LSP.BibServerStatus>();
    }

    /// <summary>Waits for the diagnostics of a version of a document that read exactly as expected (see <see cref="Show"/>).</summary>
    public async Task<LSP.PublishDiagnosticsParams> WaitForDiagnosticsAsync(string uri, int version, IReadOnlyList<string> expected, int after = 0)
    {
        try
        {
            return await Client.WaitForDiagnosticsAsync(uri, d => d.Version == version && d.Diagnostics.Select(Show).SequenceEqual(expected), after: after);
        }
        catch (TimeoutException e)
        {
            var seen = Client.DiagnosticsFor(uri).Select(d => $"  version {d.Version}: [{string.Join(" | ", d.Diagnostics.Select(Show))}]");
            throw new TimeoutException($"Expected for version {version}: [{string.Join(" | ", expected)}]\nPublished:\n{string.Join("\n", seen)}\n{e.Message}", e);
        }
    }

    /// <summary>Waits for the diagnostics of a version of a document whose brief form (see <see cref="Brief"/>) is as expected.</summary>
    public async Task<LSP.PublishDiagnosticsParams> WaitForBriefDiagnosticsAsync(string uri, int version, IReadOnlyList<string> expected, int after = 0)
    {
        var text = Client.TextOf(uri);
        try
        {
            return await Client.WaitForDiagnosticsAsync(uri, d => d.Version == version && d.Diagnostics.Select(x => Brief(text, x)).SequenceEqual(expected), after: after);
        }
        catch (TimeoutException e)
        {
            var seen = Client.DiagnosticsFor(uri).Select(d => $"  version {d.Version}: [{string.Join(" | ", d.Diagnostics.Select(x => Brief(text, x)))}]");
            var log = Client.LogMessages.Select(m => $"  {m.Message}");
            throw new TimeoutException($"Expected for version {version}: [{string.Join(" | ", expected)}]\nPublished:\n{string.Join("\n", seen)}\nServer log:\n{string.Join("\n", log)}\n{e.Message}", e);
        }
    }

    /// <summary>A diagnostic as <c>line severity code `the text it covers`</c> (one-based line), for tests about which citations are flagged.</summary>
    public static string Brief(string text, LSP.Diagnostic d)
    {
        var lines = text.Split('\n');
        var covered = d.Range.Start.Line == d.Range.End.Line && d.Range.Start.Line < lines.Length && d.Range.End.Character <= lines[d.Range.Start.Line].Length
            ? lines[d.Range.Start.Line][d.Range.Start.Character..d.Range.End.Character]
            : Show(d.Range);
        return $"{d.Range.Start.Line + 1} {d.Severity?.ToString().ToLowerInvariant()} {d.Code} `{covered}`";
    }

    /// <summary>A diagnostic as one line: <c>line:col-line:col severity code: message</c>, zero-based UTF-16 columns.</summary>
    public static string Show(LSP.Diagnostic d) =>
        $"{Show(d.Range)} {d.Severity?.ToString().ToLowerInvariant()} {d.Code}: {d.Message}";

    public static string Show(LSP.Range r) => $"{r.Start.Line}:{r.Start.Character}-{r.End.Line}:{r.End.Character}";

    /// <summary>The position of the first occurrence of <paramref name="needle"/> (after <paramref name="after"/>), plus <paramref name="delta"/> characters.</summary>
    public static LSP.Position PositionOf(string text, string needle, int delta = 0, string? after = null)
    {
        var from = after is null ? 0 : text.IndexOf(after, StringComparison.Ordinal);
        Assert.True(from >= 0, $"`{after}` is not in the text.");
        var offset = text.IndexOf(needle, from, StringComparison.Ordinal);
        Assert.True(offset >= 0, $"`{needle}` is not in the text.");
        return PositionAt(text, offset + delta);
    }

    /// <summary>The range of the first occurrence of <paramref name="needle"/> (after <paramref name="after"/>).</summary>
    public static LSP.Range RangeOf(string text, string needle, string? after = null)
    {
        var start = PositionOf(text, needle, after: after);
        return new LSP.Range(start, start with { Character = start.Character + needle.Length });
    }

    /// <summary>An offset as a line and a UTF-16 column: C# strings are UTF-16, so the column is a plain index difference.</summary>
    public static LSP.Position PositionAt(string text, int offset)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        if (offset == 0) lineStart = 0;
        var line = text.AsSpan(0, lineStart).Count('\n');
        return new LSP.Position(line, offset - lineStart);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A watcher of the killed server may still hold the folder for a moment; the temp folder is cleaned by the system.
        }
    }
}
