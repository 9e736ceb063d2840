using System.Text.RegularExpressions;
using BibServer.Core.Libraries;
using BibServer.Documents;
using BibServer.Loading;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Host;

/// <summary>
/// A library of more than 16 MB is read a part at a time and kept on disk, its bytes never held whole
/// (Core/Libraries/Bibtex/BibtexPartsRead): the built server, on a real export repeated to that size, answers
/// from the file what a read of the whole gives. The hover's abstract and rendered reference are read from the
/// file when asked; the definition lands on the entry's line.
/// </summary>
public sealed class LibraryInPartsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-parts-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_large_library_is_read_in_parts_and_answers_from_the_file_as_a_whole_read()
    {
        // A real export (3 MB, no damage, no abstracts) five times over, each copy's keys made its own, and each
        // entry given a real abstract line from the other export (which has damage, so it would be read whole): 19 MB.
        var corpora = Path.Combine(TestData.Root, "tests", "testdata", "corpora");
        var export = File.ReadAllText(Path.Combine(corpora, "bbt-1436-materials.bib"));
        var abstracts = Regex.Matches(File.ReadAllText(Path.Combine(corpora, "bbt-1296-library.bib")), @"^  abstract = \{.*\},$", RegexOptions.Multiline)
            .Select(m => m.Value).ToArray();
        var entry = 0;
        var copies = Enumerable.Range(0, 5).Select(copy => Regex.Replace(
            Regex.Replace(export, @"^(@\w+\{)([^,\s]+),", m => $"{m.Groups[1].Value}{m.Groups[2].Value}-{copy},", RegexOptions.Multiline),
            @"^  title = \{.*\},$", m => m.Value + "\n" + abstracts[entry++ % abstracts.Length], RegexOptions.Multiline));
        var library = Path.Combine(_root, "library.bib");
        var text = string.Concat(copies);
        File.WriteAllText(library, text);
        Assert.True(new FileInfo(library).Length > 16 << 20);

        // The oracle: the core's read of the whole text. The cited paper is in the last copy and has an abstract.
        var whole = LibraryReader.Read(library, text);
        var paper = whole.Papers.Last(p => p.Abstract is { Length: > 100 } && p.Key.EndsWith("-4", StringComparison.Ordinal));
        var titleWord = paper.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries).MaxBy(w => w.Count(char.IsLetter))!.Trim('{', '}', '.', ',');
        File.WriteAllText(Path.Combine(_root, "bibserver.yaml"), "libraries:\n  - library.bib\n");
        var note = Path.Combine(_root, "note.md");
        var noteText = $"# Notes\n\nSee [@{paper.Key}].\n";
        File.WriteAllText(note, noteText);

        var start = LspTestClient.ServerProcess();
        start.Environment[LibraryCacheFiles.SwitchVariable] = "off";
        await using var client = await LspTestClient.StartProcessAsync(start);
        await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(_root),
            WorkspaceFolders = [new LSP.WorkspaceFolder(DocumentUris.FromPath(_root), "parts")],
            Capabilities = LspTestClient.FullCapabilities,
            Trace = LSP.TraceValue.Verbose,
        });
        var uri = DocumentUris.FromPath(note);
        await client.OpenAsync(uri, noteText);
        var diagnostics = await client.WaitForDiagnosticsAsync(uri, d => d.Version == 1);
        Assert.Empty(diagnostics.Diagnostics);
        await client.WaitForLogAsync(m => m.Message.Contains($"Read {library}: {whole.Papers.Length} papers in", StringComparison.Ordinal)
            && m.Message.Contains("in parts", StringComparison.Ordinal));

        await client.WaitForStylesAsync();
        var column = noteText.Split('\n')[2].IndexOf('@') + 2;
        var hover = (await client.HoverRenderedAsync(uri, 2, column))!.Contents.Value;
        // The rendered reference (its titles read from the file for citeproc) leads; the abstract, read from the file, follows.
        Assert.False(hover.StartsWith("**", StringComparison.Ordinal), hover);
        Assert.Contains(titleWord, hover, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(new string([.. paper.Abstract!.TakeWhile(c => char.IsLetterOrDigit(c) || c == ' ').Take(40)]), hover, StringComparison.Ordinal);

        var definition = await client.RequestJsonAsync("textDocument/definition", $$"""{ "textDocument": { "uri": "{{uri}}" }, "position": { "line": 2, "character": {{column}} } }""");
        var entryLine = text[..text.IndexOf($"{{{paper.Key},", StringComparison.Ordinal)].Count(c => c == '\n');
        var location = definition.ValueKind == System.Text.Json.JsonValueKind.Array ? definition[0] : definition;
        Assert.Equal(DocumentUris.FromPath(library), location.GetProperty("uri").GetString());
        Assert.Equal(entryLine, location.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32());
    }
}
