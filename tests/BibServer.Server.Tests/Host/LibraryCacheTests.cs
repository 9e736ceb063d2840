using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using BibServer.Core.Libraries;
using BibServer.Documents;
using BibServer.Loading;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Host;

/// <summary>
/// The library cache in the built server, started twice on one workspace (a real BibTeX export, a CSL-JSON file
/// and a scraped paper list) with a cache directory of the test's own: the second start reads the libraries from
/// the cache and answers exactly as the first did (diagnostics, hover, definition, rename, statistics); a changed
/// library, a cache cut short, damaged or written in a newer format is ignored and the library read again; a cache
/// directory that cannot be written is said once, and the server works without it.
/// </summary>
public sealed class LibraryCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-cache-").FullName;
    private readonly string _cacheHome;
    private readonly string[] _libraries = ["library.bib", "more.json", "list.txt"];
    private readonly string[] _keys;
    private readonly string _abstract;

    public LibraryCacheTests()
    {
        _cacheHome = Path.Combine(_root, "cache");
        File.Copy(Path.Combine(TestData.Root, "tests", "testdata", "corpora", "bbt-1296-library.bib"), Path.Combine(_root, "library.bib"));
        File.Copy(Path.Combine(TestData.Root, "tests", "testdata", "csl", "json", "fields.json"), Path.Combine(_root, "more.json"));
        File.Copy(Path.Combine(TestData.Root, "examples", "papers", "000_15c1982a7ee950de.txt"), Path.Combine(_root, "list.txt"));
        File.WriteAllText(Path.Combine(_root, "bibserver.yaml"), "libraries:\n" + string.Concat(_libraries.Select(l => $"  - {l}\n")));
        // A key of each library, from the core's reader: the note cites the three and one that none has. The BibTeX
        // library's has an abstract, which its hover shows: a field a warm start reads from the cache when asked.
        var read = _libraries.Select(l => LibraryReader.Read(Path.Combine(_root, l), File.ReadAllText(Path.Combine(_root, l)))).ToList();
        var withAbstract = read[0].Papers.Last(p => p.Abstract is { Length: > 100 });
        _abstract = withAbstract.Abstract!;
        _keys = [withAbstract.Key, .. read.Skip(1).Select(d => d.Papers[^1].Key)];
        Directory.CreateDirectory(Path.Combine(_root, "notes"));
        File.WriteAllText(NotePath, $"# Notes\n\nSee [@{_keys[0]}], [@{_keys[1]}] and [@{_keys[2]}]; not [@nosuchpaper2020].\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string NotePath => Path.Combine(_root, "notes", "a.md");

    private IEnumerable<string> LibraryPaths => _libraries.Select(l => Path.Combine(_root, l));

    private IEnumerable<string> CacheFiles => LibraryPaths.Select(p => LibraryCacheFiles.FileOf(Path.Combine(_cacheHome, "bibserver", "libraries"), p));

    [Fact]
    public async Task A_warm_start_reads_every_library_from_the_cache_and_answers_as_the_cold_start()
    {
        var (cold, coldLog) = await RunAsync(waitForCache: true);
        Assert.All(LibraryPaths, p => Assert.Contains(coldLog, m => m.Contains($"Cached {p} for the next start", StringComparison.Ordinal)));
        Assert.All(CacheFiles, f => Assert.True(File.Exists(f), f));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(CacheFiles.First())!, "*.tmp"));

        var (warm, warmLog) = await RunAsync(waitForCache: false);

        Assert.All(LibraryPaths, p => Assert.Contains(warmLog, m => m.Contains($"Read {p} from its cache", StringComparison.Ordinal)));
        // Mapped, not copied (but on Windows, where a mapped file could not be replaced by the next cache): the hovers'
        // abstracts below are read from the mapping.
        if (!OperatingSystem.IsWindows()) Assert.All(LibraryPaths, p => Assert.Contains(warmLog, m => m.Contains($"Read {p} from its cache (", StringComparison.Ordinal) && m.Contains(" MB, mapped): ", StringComparison.Ordinal)));
        Assert.Equal(cold, warm);
        // The note's one broken key is the only problem, as on the cold start; its quick fixes include a stub
        // entry at the end of the BibTeX library, whose text the warm start read from the file to place it.
        Assert.Contains("nosuchpaper2020", warm[0], StringComparison.Ordinal);
        Assert.Contains(DocumentUris.FromPath(Path.Combine(_root, "library.bib")), warm[^1], StringComparison.Ordinal);
        Assert.Contains("@misc{nosuchpaper2020", warm[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_warm_start_reads_its_deferred_fields_from_the_cache_it_opened_even_once_a_new_cache_is_renamed_over_it()
    {
        var (cold, _) = await RunAsync(waitForCache: true);
        Assert.Contains(PaperTextStart(_abstract), cold[1], StringComparison.Ordinal);

        // After the warm start's first diagnostics, every cache file is replaced as the next cache would replace it
        // (written aside, renamed over it), with bytes that are not a cache: the abstract hovered after it, and the
        // library's lines (definition), are still those of the file the server opened.
        var (warm, log) = await RunAsync(waitForCache: false, beforeHovers: () =>
        {
            foreach (var file in CacheFiles)
            {
                File.WriteAllBytes(file + ".next", new byte[new FileInfo(file).Length]);
                File.Move(file + ".next", file, overwrite: true);
            }
        });

        Assert.All(LibraryPaths, p => Assert.Contains(log, m => m.Contains($"Read {p} from its cache", StringComparison.Ordinal)));
        Assert.Equal(cold, warm);
    }

    /// <summary>The first words of an abstract, as a hover writes them (Markdown's special characters escaped further on).</summary>
    private static string PaperTextStart(string text) => new([.. text.TakeWhile(c => char.IsLetterOrDigit(c) || c == ' ').Take(40)]);

    [Fact]
    public async Task A_library_changed_since_it_was_cached_is_read_again_and_cached_anew()
    {
        var (cold, _) = await RunAsync(waitForCache: true);
        File.AppendAllText(Path.Combine(_root, "library.bib"), "\n@article{nosuchpaper2020,\n  title = {Added after the cache was written},\n  year = {2020}\n}\n");

        var (after, log) = await RunAsync(waitForCache: true, cached: Path.Combine(_root, "library.bib"));

        Assert.Contains(log, m => m.Contains($"The cache of {Path.Combine(_root, "library.bib")} is not used: the library file has changed since it was written", StringComparison.Ordinal));
        Assert.Contains(log, m => m.Contains($"Cached {Path.Combine(_root, "library.bib")} for the next start", StringComparison.Ordinal));
        // The key added to the file is known now: the note has no broken citation left.
        Assert.Contains("nosuchpaper2020", cold[0], StringComparison.Ordinal);
        Assert.Equal("[]", after[0]);
        Assert.Contains(log, m => m.Contains($"Read {Path.Combine(_root, "more.json")} from its cache", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("truncated", "it is damaged (cut short, or its sections do not add up)")]
    [InlineData("corrupted", "it is damaged (its checksum does not match)")]
    [InlineData("newer format", "it was written in cache format {next}, this server reads {this}")]
    public async Task A_damaged_cache_is_ignored_and_the_library_read_again(string damage, string why)
    {
        var version = Core.Libraries.Cache.LibraryCache.FormatVersion;
        why = why.Replace("{next}", $"{version + 1}", StringComparison.Ordinal).Replace("{this}", $"{version}", StringComparison.Ordinal);
        var (cold, _) = await RunAsync(waitForCache: true);
        foreach (var file in CacheFiles)
        {
            var bytes = File.ReadAllBytes(file);
            switch (damage)
            {
                case "truncated":
                    bytes = bytes[..(bytes.Length / 2)];
                    break;
                case "corrupted":
                    bytes[bytes.Length / 2] ^= 0x20;
                    break;
                default:
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), Core.Libraries.Cache.LibraryCache.FormatVersion + 1);
                    break;
            }
            File.WriteAllBytes(file, bytes);
        }

        var (after, log) = await RunAsync(waitForCache: true);

        Assert.All(LibraryPaths, p => Assert.Contains(log, m => m.Contains($"The cache of {p} is not used: {why}; the library is read.", StringComparison.Ordinal)));
        Assert.Equal(cold, after);
        // Read again from the files, and cached again: the next start is warm.
        var (warm, warmLog) = await RunAsync(waitForCache: false);
        Assert.All(LibraryPaths, p => Assert.Contains(warmLog, m => m.Contains($"Read {p} from its cache", StringComparison.Ordinal)));
        Assert.Equal(cold, warm);
    }

    [Fact]
    public async Task A_cache_directory_that_cannot_be_written_is_said_once_and_the_server_works_without_it()
    {
        // The cache home is a file: no directory can be made in it (whoever runs the test, root included).
        Directory.CreateDirectory(Path.GetDirectoryName(_cacheHome)!);
        File.WriteAllText(_cacheHome, "not a directory");

        var (answers, log) = await RunAsync(waitForCache: false, waitForWarning: true, secondNote: true);

        Assert.Single(log, m => m.Contains("Libraries are not cached in", StringComparison.Ordinal));
        Assert.Contains(log, m => m.Contains($"Libraries are not cached in {Path.Combine(_cacheHome, "bibserver", "libraries")}", StringComparison.Ordinal));
        Assert.Contains("nosuchpaper2020", answers[0], StringComparison.Ordinal);
        Assert.Contains(_keys[0], answers[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_changes_with_the_size_the_time_stamp_the_first_block_and_the_last_block()
    {
        var path = Path.Combine(_root, "library.bib");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 3 * LibraryCacheFiles.BlockSize);
        var written = File.GetLastWriteTimeUtc(path);
        var key = LibraryCacheFiles.KeyOf(path)!;
        Assert.Equal(key, LibraryCacheFiles.KeyOf(path));

        void Changed(string what, Action change)
        {
            File.WriteAllBytes(path, bytes);
            File.SetLastWriteTimeUtc(path, written);
            Assert.Equal(key, LibraryCacheFiles.KeyOf(path));
            change();
            Assert.False(key.AsSpan().SequenceEqual(LibraryCacheFiles.KeyOf(path)), $"the key did not change with {what}");
        }
        Changed("the time stamp", () => File.SetLastWriteTimeUtc(path, written.AddSeconds(1)));
        Changed("the size", () =>
        {
            File.AppendAllText(path, "\n");
            File.SetLastWriteTimeUtc(path, written);
        });
        foreach (var at in new[] { 10, bytes.Length - 10 })
        {
            Changed($"a byte at {at} (same size and time stamp)", () =>
            {
                var edited = (byte[])bytes.Clone();
                edited[at] = (byte)(edited[at] == (byte)'x' ? 'y' : 'x');
                File.WriteAllBytes(path, edited);
                File.SetLastWriteTimeUtc(path, written);
            });
        }
        Assert.Null(LibraryCacheFiles.KeyOf(Path.Combine(_root, "no-such.bib")));
    }

    /// <summary>
    /// Starts the built server with this test's cache directory, opens the note and asks what depends on the
    /// libraries: the note's first diagnostics, then for each cited key its hover, definition and rename, and the
    /// library statistics; returns the answers as JSON text and the server's log.
    /// </summary>
    /// <param name="waitForCache">Whether to wait for every library's cache to be written (the first start), or
    /// only for that of <paramref name="cached"/>.</param>
    /// <param name="beforeHovers">Run after the first diagnostics, before anything else is asked.</param>
    private async Task<(List<string> Answers, List<string> Log)> RunAsync(bool waitForCache, bool waitForWarning = false, bool secondNote = false, string? cached = null,
        Action? beforeHovers = null)
    {
        var start = LspTestClient.ServerProcess();
        start.Environment["XDG_CACHE_HOME"] = _cacheHome;
        start.Environment.Remove(LibraryCacheFiles.SwitchVariable);
        await using var client = await LspTestClient.StartProcessAsync(start);
        await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(_root),
            WorkspaceFolders = [new LSP.WorkspaceFolder(DocumentUris.FromPath(_root), "cache")],
            Capabilities = LspTestClient.FullCapabilities,
            // Messages: the server says in the log when the citation engine has loaded (WaitForStylesAsync).
            Trace = LSP.TraceValue.Messages,
        });
        var uri = DocumentUris.FromPath(NotePath);
        var text = File.ReadAllText(NotePath);
        await client.OpenAsync(uri, text);
        var diagnostics = await client.WaitForDiagnosticsAsync(uri, d => d.Version == 1);
        var answers = new List<string> { JsonSerializer.Serialize(diagnostics.Diagnostics, LSP.LspJson.CreateOptions()) };
        // The hovers compared lead with the rendered reference on both starts: the engine loads off the request path.
        await client.WaitForStylesAsync();
        beforeHovers?.Invoke();
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("[@", StringComparison.Ordinal));
        foreach (var key in _keys)
        {
            var at = $$"""{ "textDocument": { "uri": "{{uri}}" }, "position": { "line": {{line}}, "character": {{text.Split('\n')[line].IndexOf("@" + key, StringComparison.Ordinal) + 2}} }""";
            answers.Add((await client.RequestJsonAsync(LSP.Methods.TextDocumentHover, at + " }")).GetRawText());
            answers.Add((await client.RequestJsonAsync("textDocument/definition", at + " }")).GetRawText());
            try
            {
                answers.Add((await client.RequestJsonAsync("textDocument/rename", at + $$""", "newName": "{{key}}renamed" }""")).GetRawText());
            }
            catch (StreamJsonRpc.RemoteInvocationException refused)
            {
                // A paper list's key is made by BibServer: its rename is refused, the same way on both starts.
                answers.Add("refused: " + refused.Message);
            }
        }
        answers.Add((await client.RequestJsonAsync("bibserver/libraryStats", "{}")).GetRawText());
        // The broken key's quick fixes: its closest keys, and a stub entry appended to each library (at its end:
        // the text a warm start reads from the file when asked).
        foreach (var broken in diagnostics.Diagnostics)
        {
            var actions = await client.RequestAsync<JsonElement>(LSP.Methods.TextDocumentCodeAction, new LSP.CodeActionParams(
                new LSP.TextDocumentIdentifier(uri), broken.Range,
                new LSP.CodeActionContext([new LSP.CodeActionContextDiagnostic(broken.Range, broken.Message) { Code = broken.Code is null ? null : LSP.LspJson.ToElement(broken.Code), Source = broken.Source }])));
            answers.Add(actions.GetRawText());
        }
        if (secondNote)
        {
            // A second note's publish tries to cache again: the reason is not said twice.
            var other = DocumentUris.FromPath(Path.Combine(_root, "notes", "b.md"));
            await client.OpenAsync(other, $"Also [@{_keys[0]}].\n");
            await client.WaitForDiagnosticsAsync(other, d => d.Version == 1);
        }
        if (waitForCache)
            foreach (var path in cached is null ? LibraryPaths : [cached]) await client.WaitForLogAsync($"Cached {path} for the next start");
        if (waitForWarning) await client.WaitForLogAsync("Libraries are not cached in");
        await client.RoundTripAsync();
        Assert.Equal(0, await client.ShutdownAndExitAsync());
        return (answers, [.. client.LogMessages.Select(m => m.Message)]);
    }
}
