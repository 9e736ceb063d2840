using System.Text.Json;
using System.Text.RegularExpressions;
using BibServer.Server.Tests.Harness;

namespace BibServer.Server.Tests.Editors;

/// <summary>
/// The Neovim configuration that docs/editors.md gives to users, run as it is written: the Lua block with
/// vim.lsp.start_client becomes Neovim's init.lua, `bibserver` on PATH is the built server, and two notes of a
/// copy of examples/ are opened from the command line. tests/neovim/attached.lua reports what got attached.
/// </summary>
public class NeovimDocsTests
{
    [Fact]
    public async Task The_documented_Neovim_07_configuration_attaches_both_notes_to_one_server_that_reports_their_broken_citations()
    {
        var nvim = ExternalProgram.Find("nvim");
        Assert.True(nvim is not null,
            "nvim is not on PATH. The Neovim test needs Debian's neovim package: run scripts/setup (or apt-get install neovim).");
        using var temp = new TempFolder();
        var workspace = ExternalProgram.CopyExamples(temp.Path);

        var docs = File.ReadAllText(Path.Combine(TestData.Root, "docs", "editors.md"));
        var blocks = Regex.Matches(docs, "```lua\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        var config = Assert.Single(blocks, block => block.Contains("vim.lsp.start_client"));
        var init = Path.Combine(temp.Path, "init.lua");
        File.WriteAllText(init, config);

        // `bibserver` as the docs assume it: a command on PATH, here the server built beside the tests.
        var bin = Directory.CreateDirectory(Path.Combine(temp.Path, "bin")).FullName;
        var command = Path.Combine(bin, "bibserver");
        File.WriteAllText(command, $"#!/bin/sh\nexec {string.Join(' ', LspTestClient.ServerCommand.Select(a => $"'{a}'"))} \"$@\"\n");
        File.SetUnixFileMode(command, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = Path.Combine(temp.Path, "nvim-report.json");
        var run = await ExternalProgram.RunAsync(nvim!,
            ["--headless", "-n", "-i", "NONE", "-u", init, "-c", $"luafile {Path.Combine(TestData.Root, "tests", "neovim", "attached.lua")}",
                "notes/alignment-survey.md", "notes/positional-encodings.md"],
            TimeSpan.FromSeconds(120),
            workingDirectory: workspace,
            environment: new Dictionary<string, string>
            {
                ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["BIBSERVER_NVIM_RESULT"] = result,
            });
        Assert.True(File.Exists(result), $"Neovim wrote no report.\n{run}");
        var report = JsonDocument.Parse(File.ReadAllText(result)).RootElement;
        Assert.True(report.GetProperty("ok").GetBoolean() && run.ExitCode == 0, $"{report}\n{run}");

        // One line per buffer: its file, filetype, omnifunc, the clients attached with their roots, its diagnostics.
        var seen = report.GetProperty("buffers").EnumerateArray().Select(b => string.Join(" | ",
            Path.GetRelativePath(workspace, b.GetProperty("name").GetString()!),
            b.GetProperty("filetype").GetString(),
            b.GetProperty("omnifunc").GetString(),
            string.Join(", ", b.GetProperty("clients").EnumerateArray().Select(c =>
                $"client {c.GetProperty("id")} {c.GetProperty("name")} at {Path.GetRelativePath(temp.Path, c.GetProperty("root").GetString()!)}")),
            string.Join("; ", b.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()))));
        Assert.Equal(
            [
                "notes/alignment-survey.md | markdown | v:lua.vim.lsp.omnifunc | client 1 bibserver at examples | "
                    + "26:60 Unknown citation key `umarsignl`: no library of this note has it. Closest: `umarsignal`.",
                "notes/positional-encodings.md | markdown | v:lua.vim.lsp.omnifunc | client 1 bibserver at examples | "
                    + "19:50 Unknown citation key `safety2023alignment`: no library of this note has it. Closest: `safety2024alignment`, `alignment2025safety`, `alignment2023honesty`.",
            ],
            seen);
        Assert.True(report.GetProperty("stopped").GetBoolean(), "The server did not stop when Neovim asked it to.");
    }
}
