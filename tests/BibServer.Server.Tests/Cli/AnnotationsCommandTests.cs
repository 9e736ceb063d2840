using System.Text.RegularExpressions;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Server.Tests.Harness;

namespace BibServer.Server.Tests.Cli;

/// <summary>
/// <c>bibserver check --unused</c> and <c>bibserver export --annotated</c> on the examples, as a user runs them:
/// the built dll as a process. The expectations are computed: from the citations the note parser finds, the
/// merge of the five seed lists, what <c>bibserver check</c> calls broken, and pandoc reading the result.
/// </summary>
public sealed partial class AnnotationsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bibserver-annotated-").FullName;

    private static string Examples => Path.Combine(TestData.Root, "examples");

    private static IEnumerable<NoteDocument> ExampleNotes() =>
        Directory.GetFiles(Path.Combine(Examples, "notes"), "*.md").Order(StringComparer.Ordinal).Select(p => NoteParser.Parse(p, File.ReadAllText(p)));

    private static HashSet<string> CitedKeys() =>
        ExampleNotes().SelectMany(n => n.Citations).Where(c => !c.IsCrossReference).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public async Task Check_unused_reports_exactly_the_seed_papers_no_example_note_cites_at_their_entries()
    {
        var seeds = Directory.GetFiles(Path.Combine(Examples, "papers"), "*.txt").Order(StringComparer.Ordinal)
            .Select(p => LibraryReader.Read(p, File.ReadAllText(p))).ToList();
        var merged = LibrarySet.Build(seeds);
        var cited = CitedKeys();
        var expected = merged.Papers.Where(p => !cited.Contains(p.Key)).Select(p =>
        {
            var doc = seeds.Single(d => d.Path == p.Location.Path);
            var pos = doc.Lines.GetPosition(p.Location.FocusSpan.Start);
            return $"{Path.GetRelativePath(Examples, p.Location.Path)}:{pos.Line + 1}:{pos.Column + 1}: {p.Key}";
        }).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < merged.Papers.Length, "some seed papers are cited by the examples");

        var plain = await BibServerProcess.RunAsync(Examples, "check", ".");
        var result = await BibServerProcess.RunAsync(Examples, "check", "--unused", ".");

        var info = result.StdoutLines.Where(l => l.Contains(": info: ")).Select(l => InfoLine().Match(l)).ToList();
        Assert.All(info, m => Assert.True(m.Success));
        Assert.Equal(expected, info.Select(m => $"{m.Groups["place"].Value}: {m.Groups["key"].Value}").Order(StringComparer.Ordinal));
        // The errors are the same, and so is the exit status: information changes neither.
        Assert.Equal(plain.StdoutLines, result.StdoutLines.Where(l => !l.Contains(": info: ")));
        Assert.Equal(plain.Code, result.Code);
    }

    [Fact]
    public async Task Export_annotated_renders_in_pandoc_without_warnings_every_cited_paper_once_with_passages_from_the_notes()
    {
        var export = await BibServerProcess.RunAsync(Examples, "export", "--annotated", "notes");
        Assert.True(export.Code == 0, export.Stderr);
        var file = Path.Combine(_dir, "annotated.md");
        File.WriteAllText(file, export.Stdout);

        foreach (var args in new[] { new[] { "-s", "-t", "html" }, ["-s", "--citeproc", "-t", "html"] })
        {
            var pandoc = await BibServerProcess.RunAsync("/usr/bin/pandoc", [.. args, "-o", Path.Combine(_dir, "out.html"), file], _dir);
            Assert.True(pandoc.Code == 0, pandoc.Stderr);
            Assert.True(pandoc.Stderr.Trim().Length == 0, $"pandoc {string.Join(' ', args)} warned: {pandoc.Stderr}");
        }

        // Every paper the notes cite that a library defines: the cited keys less the ones `check` calls broken.
        var check = await BibServerProcess.RunAsync(Examples, "check", "notes");
        var broken = check.StdoutLines.Select(l => BrokenKey().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(broken);
        var papers = CitedKeys().Where(k => !broken.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var listed = ReferenceLine().Matches(export.Stdout).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(papers, listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed.Count, listed.Distinct().Count());

        // Each quoted passage is text of the notes (white space folded, the export's escapes undone).
        var notes = Fold(string.Join("\n", ExampleNotes().Select(n => n.Text)));
        var passages = Regex.Matches(export.Stdout, @"^> (?!\u2014)(.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(passages.Count >= papers.Count, $"{passages.Count} passages for {papers.Count} papers");
        Assert.All(passages, p => Assert.Contains(Fold(p.Replace("\\@", "@")), notes));
    }

    [Fact]
    public async Task The_literature_notes_glob_of_bibserver_yaml_names_the_paper_a_note_is_about()
    {
        File.Copy(Path.Combine(Examples, "papers", "000_15c1982a7ee950de.txt"), Path.Combine(_dir, "seed.txt"));
        File.WriteAllText(Path.Combine(_dir, "bibserver.yaml"), "libraries: [seed.txt]\nliterature-notes: lit/*.paper.md\n");
        Directory.CreateDirectory(Path.Combine(_dir, "lit"));
        File.WriteAllText(Path.Combine(_dir, "lit", "umarsignal.paper.md"), "# Umar and Laio\n\nAlignment is smallest near the interpolation threshold.\n");
        File.WriteAllText(Path.Combine(_dir, "survey.md"), "# Survey\n\nThe data decide [@umarsignal]. Also [@townmildly].\n");

        var export = await BibServerProcess.RunAsync(_dir, "export", "--annotated", "survey.md");

        Assert.True(export.Code == 0, export.Stderr);
        var umar = export.Stdout[export.Stdout.IndexOf("`@umarsignal`", StringComparison.Ordinal)..];
        // The literature note comes first, whole, with its source; then the survey's sentence.
        Assert.StartsWith("`@umarsignal`\n\n> # Umar and Laio\n>\n> Alignment is smallest near the interpolation threshold.\n>\n> \u2014 *lit/umarsignal.paper.md*, literature note", umar);
        Assert.Contains("> The data decide [@umarsignal].", umar);
        // The survey's paper, up to the next paper's reference line, has no literature note.
        var town = export.Stdout[(export.Stdout.IndexOf("`@townmildly`", StringComparison.Ordinal) + "`@townmildly`".Length)..];
        var next = ReferenceLine().Match(town) is { Success: true } m ? m.Index : town.Length;
        Assert.DoesNotContain("literature note", town[..next]);
    }

    /// <summary>
    /// Each paper's line is its reference in the note's citation style, as pandoc prints the same paper with the
    /// same style file (BibServer's own CSL-JSON export of the library, read by <c>pandoc --citeproc</c>), then its
    /// key: with <c>csl: apa</c> in the note APA, without it Chicago author-date.
    /// </summary>
    [Theory]
    [InlineData("apa")]
    [InlineData(null)]
    public async Task Export_annotated_writes_each_reference_in_the_notes_citation_style_as_pandoc_prints_it(string? csl)
    {
        File.Copy(Path.Combine(Examples, "papers", "000_15c1982a7ee950de.txt"), Path.Combine(_dir, "seed.txt"));
        File.WriteAllText(Path.Combine(_dir, "bibserver.yaml"), "libraries: [seed.txt]\n");
        var frontMatter = csl is null ? "" : $"---\ncsl: {csl}\n---\n";
        File.WriteAllText(Path.Combine(_dir, "survey.md"), frontMatter + "# Survey\n\nThe data decide [@umarsignal]. Also [@townmildly].\n");

        var export = await BibServerProcess.RunAsync(_dir, "export", "--annotated", "survey.md");
        Assert.True(export.Code == 0, export.Stderr);

        var library = await BibServerProcess.RunAsync(_dir, "export", "seed.txt");
        Assert.True(library.Code == 0, library.Stderr);
        // pandoc prints a date's raw text where citeproc-js prints its parts (docs/citation-styles.md): the parts are compared.
        File.WriteAllText(Path.Combine(_dir, "refs.json"), Regex.Replace(library.Stdout, @",\s*""raw"": ""[^""]*""", ""));
        var style = Path.Combine(LspTestClient.ServerFolder, "csl", "styles", (csl ?? "chicago-author-date") + ".csl");
        File.WriteAllText(Path.Combine(_dir, "pandoc.md"), $"---\nbibliography: refs.json\ncsl: {style}\nnocite: '@umarsignal, @townmildly'\n---\n");
        var pandoc = await BibServerProcess.RunAsync("/usr/bin/pandoc", ["--citeproc", "-t", "plain", "--wrap=none", "pandoc.md"], _dir);
        Assert.True(pandoc.Code == 0, pandoc.Stderr);
        var expected = pandoc.Stdout.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Fold).ToList();
        Assert.Equal(2, expected.Count);

        var lines = ReferenceLine().Matches(export.Stdout).Select(m => m.Value).ToList();
        Assert.Equal(2, lines.Count);
        foreach (var line in lines)
        {
            var key = line[(line.LastIndexOf("`@", StringComparison.Ordinal) + 2)..^1];
            // The export escapes Markdown's characters; the text it reads as is pandoc's.
            var text = Regex.Replace(line[..line.LastIndexOf(" `@", StringComparison.Ordinal)], @"\\(.)", "$1");
            Assert.Contains(Fold(text), expected);
            Assert.Contains(key, new[] { "umarsignal", "townmildly" });
        }
    }

    private static string Fold(string text) => Regex.Replace(text, @"\s+", " ");

    [GeneratedRegex(@"^(?<place>[^:]+:\d+:\d+): info: `(?<key>[^`]+)` is not cited by any note")]
    private static partial Regex InfoLine();

    [GeneratedRegex(@"Unknown citation key `([^`]+)`")]
    private static partial Regex BrokenKey();

    [GeneratedRegex(@"^(?!>).*`@([^`]+)`$", RegexOptions.Multiline)]
    private static partial Regex ReferenceLine();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
