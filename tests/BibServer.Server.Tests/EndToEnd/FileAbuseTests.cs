namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// Files that cannot be read in reasonable bounds, beside the examples with no bibserver.yaml (so discovery
/// reads every file): a 1 GB <c>big.bib</c> (sparse, so it costs no disk) and a FIFO named <c>refs.bib</c>.
/// Before, the first ran the load out of memory (every library lost, `check` aborted with exit 134) and the
/// second blocked the load and `check` forever. Each is now one warning on itself and every other library is
/// served; a note naming a file that is no library hears so at its front matter.
/// </summary>
public sealed class FileAbuseTests
{
    private static void Abuse(string root)
    {
        File.Delete(Path.Combine(root, "bibserver.yaml"));
        using (var big = File.Create(Path.Combine(root, "big.bib"))) big.SetLength(1L << 30);
        using var fifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(root, "refs.bib"))!;
        fifo.WaitForExit();
        Assert.Equal(0, fifo.ExitCode);
        File.WriteAllText(Path.Combine(root, "notes", "named-passwd.md"), "---\nbibliography: /etc/passwd\n---\n\nSee [@umarsignal].\n");
    }

    [Fact]
    public async Task Check_reports_each_unreadable_file_once_and_serves_the_other_libraries()
    {
        var root = ExamplesWorkspace.Copy(Abuse);
        try
        {
            var result = await Harness.BibServerProcess.RunAsync(root, "check", ".");

            Assert.Equal(
            [
                "big.bib:1:1: warning: This library is not read: it is 1024 MB, larger than the 512 MB BibServer reads "
                    + "(the setting bibserver.maxFileSizeMB, or BIBSERVER_MAX_FILE_SIZE_MB for `bibserver check`, raises the limit).",
                "refs.bib:1:1: warning: This library is not read: it is not a regular file but a pipe, a socket or a device, and reading one could wait forever.",
                "notes/alignment-survey.md:26:60: error: Unknown citation key `umarsignl`: no library of this note has it. Closest: `umarsignal`.",
                "notes/named-passwd.md:2:15: warning: Bibliography file `/etc/passwd` is not a library of a known kind: BibServer reads BibTeX (.bib), "
                    + "CSL-JSON (.json), CSL-YAML (.yaml, .yml) and the paper lists it recognises, and no paper was read from it.",
                "notes/positional-encodings.md:19:50: error: Unknown citation key `safety2023alignment`: no library of this note has it. " +
                    "Closest: `safety2024alignment`, `alignment2025safety`, `alignment2023honesty`.",
            ], result.StdoutLines);
            Assert.Equal("checked 4 notes, 30 citations: 2 errors, 3 warnings", result.StderrLines[^1]);
            Assert.Equal(1, result.Code);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task The_language_server_serves_the_other_libraries()
    {
        await using var ws = await ExamplesWorkspace.StartAsync(Abuse);
        // The examples' 95 papers and the one a generated key gives the passwd note nothing: every list is read.
        await ws.WaitForIndexedAsync(96);
        var uri = await ws.OpenAsync(ExamplesWorkspace.Survey);

        await ws.WaitForBriefDiagnosticsAsync(uri, 1, ["26 error unknown-key `umarsignl`"]);
    }
}

/// <summary>The size limit's setting, as clients send it.</summary>
public sealed class MaxFileSizeSettingTests
{
    [Theory]
    [InlineData("""{"bibserver": {"maxFileSizeMB": 2048}}""", 2048L, "")]
    [InlineData("""{"maxFileSizeMB": null}""", null, "")]
    [InlineData("""{"maxFileSizeMB": -1}""", null, "The \"maxFileSizeMB\" setting -1 is not a positive number of megabytes, so it was ignored.")]
    [InlineData("""{"maxFileSizeMB": "big"}""", null, "The \"maxFileSizeMB\" setting \"big\" is not a positive number of megabytes, so it was ignored.")]
    public void Reads_the_limit(string json, long? megabytes, string problem)
    {
        var (settings, problems) = ServerSettings.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement);
        Assert.Equal(megabytes, settings.MaxFileSizeMB);
        Assert.Equal(problem, string.Join("\n", problems));
        // A new limit reads the libraries again, as new library settings do.
        Assert.Equal(megabytes is null, settings.LibrariesEqual(ServerSettings.Default));
    }
}
