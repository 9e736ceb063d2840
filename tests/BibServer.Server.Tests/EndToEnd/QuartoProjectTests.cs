using BibServer.Documents;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// A Quarto book as its authors set it up (tests/testdata/quarto): <c>book/_quarto.yml</c> names
/// <c>../refs/book.bib</c>, outside the book's folder, and makes the <c>print</c> profile the default, whose
/// <c>_quarto-print.yml</c> adds <c>../refs/print.bib</c>; <c>book/appendix/_metadata.yml</c> names
/// <c>appendix.bib</c>; <c>book/other.bib</c> is named by nothing. The expected resolution is written from
/// Quarto's documented rules: "Project Basics" (https://quarto.org/docs/projects/quarto-projects.html: the
/// project's metadata, then a folder's _metadata.yml, then the document's own) and "Project Profiles"
/// (https://quarto.org/docs/projects/profiles.html: the active profile's config merged over _quarto.yml,
/// QUARTO_PROFILE choosing it), with Quarto's merge of lists (joined) and of other values (replaced): the
/// preface sees book.bib and print.bib, the introduction does not see other.bib, and the appendix sees
/// only appendix.bib, its folder's scalar having replaced the project's list. Before, no project file was
/// read: from the book's folder every citation was flagged, from above it every key resolved from any file.
/// </summary>
public sealed class QuartoProjectTests
{
    private static readonly string[] Expected =
    [
        // The project's style is a file the fixture leaves out (QuartoStyleTests copies one in): reported where named.
        "_quarto.yml:15:6: warning: The citation style `../refs/chicago-author-date.csl` cannot be read: no such file; references are shown in Chicago author-date instead.",
        "appendix/notes.qmd:3:101: error: Unknown citation key `knuth1984`: no library of this note has it.",
        "chapters/intro.qmd:3:67: error: Unknown citation key `turing1950`: no library of this note has it.",
    ];

    [Fact]
    public async Task From_the_book_s_folder_the_project_s_bibliography_outside_it_is_read()
    {
        var result = await Harness.BibServerProcess.RunAsync(TestData.Path("quarto", "book"), "check", ".");

        Assert.Equal(Expected, result.StdoutLines);
        Assert.Equal("checked 3 notes, 6 citations: 2 errors, 1 warnings", result.StderrLines[^1]);
    }

    [Fact]
    public async Task From_above_the_book_discovery_adds_no_library_the_project_does_not_name()
    {
        var result = await Harness.BibServerProcess.RunAsync(TestData.Path("quarto"), "check", ".");

        Assert.Equal(Expected.Select(l => "book/" + l), result.StdoutLines);
        Assert.Equal("checked 3 notes, 6 citations: 2 errors, 1 warnings", result.StderrLines[^1]);
    }

    [Fact]
    public async Task QUARTO_PROFILE_chooses_the_profile()
    {
        var result = await Harness.BibServerProcess.RunAsync("env",
            ["QUARTO_PROFILE=web", .. Harness.LspTestClient.ServerCommand, "check", "index.qmd"], TestData.Path("quarto", "book"));

        Assert.Equal([Expected[0], "index.qmd:3:62: error: Unknown citation key `robbins1951`: no library of this note has it."], result.StdoutLines);
    }

    /// <summary>The language server reads the project's files too, and again when one of them changes on disk.</summary>
    [Fact]
    public async Task The_language_server_follows_the_project_and_a_change_of_its_file()
    {
        var root = Directory.CreateTempSubdirectory("bibserver-quarto-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(TestData.Path("quarto"), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(root, Path.GetRelativePath(TestData.Path("quarto"), file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            var book = Path.Combine(root, "book");
            await using var client = await Harness.LspTestClient.StartProcessAsync();
            await client.InitializeAsync(new LSP.InitializeParams
            {
                RootUri = DocumentUris.FromPath(book),
                Capabilities = Harness.LspTestClient.FullCapabilities,
            });
            var intro = Path.Combine(book, "chapters", "intro.qmd");
            var uri = DocumentUris.FromPath(intro);
            await client.OpenAsync(uri, File.ReadAllText(intro));
            var first = await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count > 0);
            Assert.Equal(["Unknown citation key `turing1950`: no library of this note has it."], first.Diagnostics.Select(d => d.Message));

            // The project now names the other file as well.
            var project = Path.Combine(book, "_quarto.yml");
            File.WriteAllText(project, File.ReadAllText(project).Replace("  - ../refs/book.bib\n", "  - ../refs/book.bib\n  - other.bib\n"));
            var mark = client.Mark();
            await client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWatchedFiles, new LSP.DidChangeWatchedFilesParams(
                [new LSP.FileEvent(DocumentUris.FromPath(project), LSP.FileChangeType.Changed)]));
            await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count == 0, after: mark);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
