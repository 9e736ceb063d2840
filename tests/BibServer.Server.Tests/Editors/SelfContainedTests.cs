using System.Diagnostics;
using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Editors;

/// <summary>
/// The linux-x64 release archive, as a user without .NET gets it: scripts/release builds it, the test unpacks it and
/// runs the one executable inside with no `dotnet` on PATH and no DOTNET_* variable at all (so it cannot borrow an
/// installed runtime), as `check examples` and as `lsp` on a copy of examples/.
/// </summary>
public sealed class SelfContainedTests(SelfContainedRelease release) : IClassFixture<SelfContainedRelease>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public void The_archive_holds_one_folder_with_the_executable_and_no_runtime_files_beside_it()
    {
        Assert.Equal("bibserver-0.1.0-linux-x64.tar.gz", Path.GetFileName(release.Archive));
        var entries = Directory.GetFileSystemEntries(release.Folder).Select(Path.GetFileName).ToList();
        Assert.Contains("bibserver", entries);
        Assert.Contains("README.md", entries);
        Assert.True(File.GetUnixFileMode(release.Executable).HasFlag(UnixFileMode.UserExecute), "bibserver is not executable.");
        // Beside it only data the server reads (the citation styles, ClearScript's signature files): no assembly,
        // no part of the .NET runtime, nothing a framework-dependent build would need.
        var files = Directory.GetFiles(release.Folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(files, f => f!.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".runtimeconfig.json", StringComparison.Ordinal)
            || f.EndsWith(".deps.json", StringComparison.Ordinal) || f.StartsWith("libcoreclr", StringComparison.Ordinal) || f.StartsWith("libhostfxr", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_dotnet_it_checks_the_examples_and_reports_their_two_broken_citations()
    {
        var start = release.StartInfo("check", "examples");
        start.WorkingDirectory = TestData.Root;
        var run = await RunAsync(start);
        Assert.True(run.ExitCode == 1, $"Expected exit code 1 for the two broken citations:\n{run}");
        Assert.Collection(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            line => Assert.StartsWith("examples/notes/alignment-survey.md:26:60: error: Unknown citation key `umarsignl`", line),
            line => Assert.StartsWith("examples/notes/positional-encodings.md:19:50: error: Unknown citation key `safety2023alignment`", line));
        Assert.Contains("examples: 95 papers in 5 libraries (from bibserver.yaml)", run.Stderr);
        Assert.Contains("checked 3 notes, 29 citations: 2 errors, 0 warnings", run.Stderr);
    }

    /// <summary>
    /// The trimmed executable serves a note and renders its references: with V8 (what linux-x64 runs), and with Jint
    /// (what the platforms without V8 run, picked here by BIBSERVER_CITEPROC_ENGINE), so that trimming has left both
    /// engines what they need.
    /// </summary>
    [Theory]
    [InlineData("V8")]
    [InlineData("Jint")]
    public async Task Without_dotnet_it_serves_a_note_over_lsp_and_exits_cleanly(string engine)
    {
        using var temp = new TempFolder();
        var root = ExternalProgram.CopyExamples(temp.Path);
        var start = release.StartInfo("lsp");
        if (engine == "Jint") start.Environment["BIBSERVER_CITEPROC_ENGINE"] = "jint";
        await using var client = await LspTestClient.StartProcessAsync(start);
        var result = await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(root),
            WorkspaceFolders = [new LSP.WorkspaceFolder(DocumentUris.FromPath(root), "examples")],
            Capabilities = LspTestClient.FullCapabilities,
            // Messages: the server says in the log when the citation engine has loaded (WaitForStylesAsync).
            Trace = LSP.TraceValue.Messages,
        });
        Assert.Equal("bibserver", result.ServerInfo?.Name);
        var uri = DocumentUris.FromPath(Path.Combine(root, "notes", "alignment-survey.md"));
        await client.OpenAsync(uri, File.ReadAllText(Path.Combine(root, "notes", "alignment-survey.md")));
        var published = await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count > 0, timeout: Limit);
        Assert.Equal(["25:59 unknown-key Unknown citation key `umarsignl`: no library of this note has it. Closest: `umarsignal`."],
            published.Diagnostics.Select(d => $"{d.Range.Start.Line}:{d.Range.Start.Character} {d.Code} {d.Message}"));
        await client.WaitForStylesAsync(Limit);
        Assert.Contains(client.LogMessages, m => m.Message.Contains($"Loaded citeproc-js in {engine}", StringComparison.Ordinal));
        if (engine == "V8")
        {
            // V8's ICU data was read from the executable once: that image's pages are no longer resident (Loading/ImagePages).
            var handedBack = Assert.Single(client.LogMessages, m => m.Message.Contains("Handed back the pages of the ICU data's image", StringComparison.Ordinal));
            var range = System.Text.RegularExpressions.Regex.Match(handedBack.Message, "at ([0-9a-f]+)-([0-9a-f]+)");
            Assert.True(range.Success, handedBack.Message);
            var resident = ResidentKilobytes(client.Process!.Id, $"{range.Groups[1].Value}-{range.Groups[2].Value}");
            Assert.True(resident < 1024, $"{resident} KB of the ICU data's image are still resident.");
        }
        if (Directory.Exists("/sys/kernel/mm/transparent_hugepage"))
        {
            // The collector's reserved heap was advised to take huge pages (Loading/HeapPages), and nothing else was:
            // the mappings that say so in their VmFlags ("hg") lie in the range the log names; thread stacks and the C
            // library's arenas, which adjoin it, do not say so.
            var advised = Assert.Single(client.LogMessages, m => m.Message.Contains("Asked for huge pages for the collector's heap", StringComparison.Ordinal));
            var heap = System.Text.RegularExpressions.Regex.Match(advised.Message, "at ([0-9a-f]+)-([0-9a-f]+)");
            Assert.True(heap.Success, advised.Message);
            var (from, to) = (Convert.ToInt64(heap.Groups[1].Value, 16), Convert.ToInt64(heap.Groups[2].Value, 16));
            var huge = Mappings(client.Process!.Id).Where(m => m.Flags.Contains(" hg ", StringComparison.Ordinal)).ToList();
            Assert.All(huge, m => Assert.True(m.Start >= from && m.End <= to, $"{m.Start:x}-{m.End:x} takes huge pages outside the heap's {from:x}-{to:x}."));
            // Some advice is left at the session's end: one fresh-clone run found 479 MB of the heap's pieces still
            // advised where other runs show the whole 48 GB reservation, which is not explained yet (the collector remaps
            // what it decommits, dropping the advice there); 2 MB is what any advice at all leaves.
            Assert.True(huge.Sum(m => m.End - m.Start) >= 2L << 20, $"Only {huge.Sum(m => m.End - m.Start) >> 10} KB take huge pages.");
        }
        var hover = await client.HoverRenderedAsync(uri, 8, 2);
        Assert.StartsWith("Umar, Ali Hussaini, and Alessandro Laio. n.d. “Signal-to-Noise Ratio and Sample Size", hover?.Contents.Value);
        Assert.Equal(0, await client.ShutdownAndExitAsync());
    }

    /// <summary>The resident size of one mapping of a process, from /proc/PID/smaps (its "start-end" in hex).</summary>
    private static int ResidentKilobytes(int pid, string range)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/smaps");
        var at = Array.FindIndex(lines, l => l.StartsWith(range + " ", StringComparison.Ordinal));
        Assert.True(at >= 0, $"No mapping {range} in the server's smaps.");
        var rss = lines.Skip(at + 1).First(l => l.StartsWith("Rss:", StringComparison.Ordinal));
        return int.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The anonymous mappings of a process, each with its VmFlags line (padded with spaces), from /proc/PID/smaps.</summary>
    private static List<(long Start, long End, string Flags)> Mappings(int pid)
    {
        var found = new List<(long Start, long End, string Flags)>();
        (long Start, long End)? current = null;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            // "start-end perms offset dev inode [path]": an anonymous mapping has no path.
            var header = System.Text.RegularExpressions.Regex.Match(line, "^([0-9a-f]+)-([0-9a-f]+) \\S+ \\S+ \\S+ \\S+\\s*$");
            if (header.Success) current = (Convert.ToInt64(header.Groups[1].Value, 16), Convert.ToInt64(header.Groups[2].Value, 16));
            else if (System.Text.RegularExpressions.Regex.IsMatch(line, "^[0-9a-f]+-[0-9a-f]+ ")) current = null;
            else if (current is var (s, e) && line.StartsWith("VmFlags:", StringComparison.Ordinal)) found.Add((s, e, line + " "));
        }
        return found;
    }

    private static async Task<ProgramRun> RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        await process.WaitForExitAsync(limit.Token);
        return new ProgramRun(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>
/// Builds (or takes from BIBSERVER_RELEASE_ARCHIVE) and unpacks the linux-x64 release archive once for the tests of
/// <see cref="SelfContainedTests"/>.
/// </summary>
public sealed class SelfContainedRelease : IAsyncLifetime
{
    private readonly TempFolder _temp = new();

    public string Archive { get; private set; } = "";

    public string Folder { get; private set; } = "";

    public string Executable => Path.Combine(Folder, "bibserver");

    /// <summary>A folder on PATH with nothing in it: no dotnet to be found.</summary>
    private string EmptyBin => Directory.CreateDirectory(Path.Combine(_temp.Path, "empty-bin")).FullName;

    /// <summary>
    /// How to start the executable with no .NET in reach: PATH holds only an empty folder, and every DOTNET_*
    /// variable (DOTNET_ROOT, and those `dotnet test` sets for its children) is removed.
    /// </summary>
    public ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["PATH"] = EmptyBin;
        return start;
    }

    public async Task InitializeAsync()
    {
        // scripts/test builds the release once for the whole suite and says where (BIBSERVER_RELEASE_ARCHIVE).
        Archive = Environment.GetEnvironmentVariable("BIBSERVER_RELEASE_ARCHIVE") is { Length: > 0 } given ? given : await BuildAsync();
        var unpacked = Directory.CreateDirectory(Path.Combine(_temp.Path, "unpacked")).FullName;
        var tar = await ExternalProgram.RunAsync("tar", ["-xzf", Archive, "-C", unpacked], TimeSpan.FromMinutes(1));
        Assert.True(tar.ExitCode == 0, $"tar failed:\n{tar}");
        Folder = Assert.Single(Directory.GetDirectories(unpacked));
    }

    private async Task<string> BuildAsync()
    {
        var archives = Directory.CreateDirectory(Path.Combine(_temp.Path, "release")).FullName;
        var build = await ExternalProgram.RunAsync("bash", [Path.Combine(TestData.Root, "scripts", "release"), "linux-x64"], TimeSpan.FromMinutes(15),
            workingDirectory: TestData.Root,
            environment: new Dictionary<string, string>
            {
                ["BIBSERVER_RELEASE_OUT"] = archives,
                // No build servers left running: they would hold the output pipes open after dotnet ends.
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
                ["UseSharedCompilation"] = "false",
            });
        Assert.True(build.ExitCode == 0, $"scripts/release linux-x64 failed:\n{build}");
        return Assert.Single(Directory.GetFiles(archives));
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
