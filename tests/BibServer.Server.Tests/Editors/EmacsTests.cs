using System.Text.Json;
using System.Text.RegularExpressions;
using BibServer.Server.Tests.Harness;

namespace BibServer.Server.Tests.Editors;

/// <summary>
/// The built server in a real Emacs (Debian's emacs-nox 28.2 with elpa-eglot 1.9 and elpa-markdown-mode; scripts/setup
/// installs them), in batch mode, configured with the Emacs block of docs/editors.md as it is written: that block is
/// Emacs's init file, `bibserver` on PATH is the built server, and the workspace is a copy of examples/ made a git
/// repository (eglot takes the version-control root as the server's root). tests/emacs/test.el opens
/// notes/alignment-survey.md, waits for Flymake's diagnostics, hovers a citation, types two citations and completes
/// them with completion-at-point, shuts the server down, and writes what Emacs saw to a JSON report checked here.
/// </summary>
public sealed class EmacsTests(EmacsRun emacs) : IClassFixture<EmacsRun>
{
    private readonly JsonElement _report = emacs.Report;
    private readonly ProgramRun _run = emacs.Run;

    private string Report => JsonSerializer.Serialize(_report, new JsonSerializerOptions { WriteIndented = true });

    [Fact]
    public void The_documented_configuration_starts_bibserver_for_the_note_at_the_repository_root_and_shuts_it_down()
    {
        Assert.True(_report.GetProperty("ok").GetBoolean(), $"The Emacs script stopped: {(_report.TryGetProperty("error", out var error) ? error : "")}\n{_run}");
        Assert.Equal(0, _run.ExitCode);
        Assert.Equal(["connected", "diagnostics", "hover", "completion", "stopped"], _report.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("markdown-mode", _report.GetProperty("mode").GetString());
        Assert.Equal("bibserver", _report.GetProperty("server").GetString());
        Assert.Equal(["bibserver", "lsp"], _report.GetProperty("command").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(emacs.Workspace + "/", _report.GetProperty("root").GetString());
        Assert.True(_report.GetProperty("shutdown_answered").GetBoolean(), $"The server did not answer shutdown:\n{Report}");
        // The server's own messages (window/showMessage) would show as "[eglot] Server reports ...".
        Assert.DoesNotContain(_report.GetProperty("messages").EnumerateArray(), m => m.GetString()!.Contains("Server reports"));
    }

    [Fact]
    public void Flymake_shows_the_broken_citation_as_an_error_on_its_key()
    {
        var shown = _report.GetProperty("diagnostics").EnumerateArray().Select(d =>
            $"{d.GetProperty("line")}:{d.GetProperty("column")}-{d.GetProperty("end_column")} {d.GetProperty("type").GetString()} {d.GetProperty("text").GetString()}");
        // Line 26 of the note: "A deliberately broken citation, to show the diagnostics: [@umarsignl]."
        Assert.Equal(["25:59-68 eglot-error bibserver [unknown-key]: Unknown citation key `umarsignl`: no library of this note has it. Closest: `umarsignal`."], shown);
    }

    [Fact]
    public void Hover_through_eldoc_shows_the_papers_reference_and_abstract()
    {
        var position = _report.GetProperty("hover_position");
        Assert.Equal("8:1", $"{position.GetProperty("line")}:{position.GetProperty("column")}");
        Assert.True(_report.GetProperty("hover").ValueKind == JsonValueKind.String, $"No hover:\n{Report}");
        var hover = _report.GetProperty("hover").GetString()!;
        // The reference as the default style (Chicago author-date) prints it comes first.
        Assert.StartsWith("Umar, Ali Hussaini, and Alessandro Laio. n.d. “Signal-to-Noise Ratio and Sample Size Govern Representational Alignment in Neural Networks.”", hover);
        Assert.Contains("Neural networks are known to develop latent representations", hover);
    }

    [Fact]
    public void Completion_at_point_after_part_of_an_authors_name_inserts_the_papers_key()
    {
        // Eglot filters the server's items on their filterText, so a paper found by author survives it.
        var completion = Completion(EmacsRun.AuthorTyped);
        Assert.Equal("Boursi", completion.GetProperty("probe").GetString());
        Assert.Equal(["townmildly"], completion.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("As shown by [@townmildly", completion.GetProperty("accepted").GetString());
    }

    [Fact]
    public void Completion_at_point_after_the_start_of_a_key_inserts_the_key()
    {
        var completion = Completion(EmacsRun.KeyTyped);
        Assert.Equal(["umarsignal"], completion.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("Also [@umarsignal", completion.GetProperty("accepted").GetString());
    }

    [Fact]
    public void The_README_gives_the_configuration_the_test_runs_word_for_word()
    {
        var readme = File.ReadAllText(Path.Combine(TestData.Root, "README.md"));
        // The README's block sits in a list item, indented by two spaces.
        var blocks = Regex.Matches(readme, "```elisp\n(.*?)```", RegexOptions.Singleline)
            .Select(m => Regex.Replace(m.Groups[1].Value, "^  ", "", RegexOptions.Multiline));
        Assert.Contains(EmacsRun.DocumentedConfiguration(), blocks);
    }

    private JsonElement Completion(string typed)
    {
        Assert.True(_report.TryGetProperty("completions", out var completions), $"No completions:\n{Report}");
        var completion = completions.EnumerateArray().FirstOrDefault(c => c.GetProperty("typed").GetString() == typed);
        Assert.True(completion.ValueKind == JsonValueKind.Object, $"No completion after \"{typed}\":\n{Report}");
        return completion;
    }
}

/// <summary>One run of Emacs for all the tests of <see cref="EmacsTests"/>: they check parts of its report.</summary>
public sealed class EmacsRun : IAsyncLifetime
{
    private const string Note = "notes/alignment-survey.md";
    public const string AuthorTyped = "As shown by [@Boursi";
    public const string KeyTyped = "Also [@umar";

    private readonly TempFolder _temp = new();

    public JsonElement Report { get; private set; }

    public string Workspace { get; private set; } = "";

    internal ProgramRun Run { get; private set; } = new(-1, "", "");

    /// <summary>The Emacs block of docs/editors.md that sets eglot up: the one the test runs, and users copy.</summary>
    public static string DocumentedConfiguration()
    {
        var docs = File.ReadAllText(Path.Combine(TestData.Root, "docs", "editors.md"));
        var blocks = Regex.Matches(docs, "```elisp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value);
        return Assert.Single(blocks, block => block.Contains("eglot-server-programs") && block.Contains("eglot-ensure"));
    }

    public async Task InitializeAsync()
    {
        var emacs = ExternalProgram.Find("emacs");
        Assert.True(emacs is not null,
            "emacs is not on PATH. The Emacs test needs Debian's emacs-nox, elpa-eglot and elpa-markdown-mode: run scripts/setup.");
        var git = ExternalProgram.Find("git");
        Assert.True(git is not null, "git is not on PATH; the Emacs test makes its workspace a git repository, as a notes folder would be.");
        Workspace = ExternalProgram.CopyExamples(_temp.Path);
        var init = await ExternalProgram.RunAsync(git!, ["init", "-q"], TimeSpan.FromSeconds(30), workingDirectory: Workspace);
        Assert.True(init.ExitCode == 0, $"git init failed.\n{init}");

        var config = Path.Combine(_temp.Path, "init.el");
        File.WriteAllText(config, DocumentedConfiguration());
        // `bibserver` as the docs assume it: a command on PATH, here the server built beside the tests.
        var bin = Directory.CreateDirectory(Path.Combine(_temp.Path, "bin")).FullName;
        var command = Path.Combine(bin, "bibserver");
        File.WriteAllText(command, $"#!/bin/sh\nexec {string.Join(' ', LspTestClient.ServerCommand.Select(a => $"'{a}'"))} \"$@\"\n");
        File.SetUnixFileMode(command, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = Path.Combine(_temp.Path, "emacs-report.json");
        Run = await ExternalProgram.RunAsync(emacs!,
            // -q: no user init file but the site's start-up (Debian's), as a user's Emacs with only init.el.
            ["--batch", "-q", "-l", config, "-l", Path.Combine(TestData.Root, "tests", "emacs", "test.el")],
            TimeSpan.FromSeconds(150),
            workingDirectory: Workspace,
            environment: new Dictionary<string, string>
            {
                // A home of its own, so that nothing of the machine's user (~/.emacs.d) takes part.
                ["HOME"] = Directory.CreateDirectory(Path.Combine(_temp.Path, "home")).FullName,
                ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["BIBSERVER_EMACS_NOTE"] = Path.Combine(Workspace, Note),
                ["BIBSERVER_EMACS_HOVER"] = "umarsignal",
                ["BIBSERVER_EMACS_HOVER_TITLE"] = "Signal-to-Noise Ratio and Sample Size Govern Representational Alignment in Neural Networks",
                ["BIBSERVER_EMACS_TYPE"] = JsonSerializer.Serialize(new[] { AuthorTyped, KeyTyped }),
                ["BIBSERVER_EMACS_RESULT"] = result,
            });
        Assert.True(File.Exists(result), $"Emacs wrote no report.\n{Run}");
        Report = JsonDocument.Parse(File.ReadAllText(result)).RootElement.Clone();
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
