using System.Text;
using BibServer.Core.Notes;
using Xunit.Abstractions;

namespace BibServer.Core.Tests.Notes;

/// <summary>
/// Pandoc is the oracle: every note here is given to <c>pandoc -f markdown -t json</c> and the citations
/// NoteParser finds must be exactly the <c>Cite</c> items pandoc finds, same keys, same order, same modes.
/// Written and last run against pandoc 2.17.1.1 (the version run is printed in the test output).
/// </summary>
public sealed class PandocOracleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1UL, 800)]
    [InlineData(2UL, 800)]
    [InlineData(3UL, 800)]
    [InlineData(20250101UL, 800)]
    [InlineData(112UL, 800)]
    [InlineData(122UL, 800)]
    [InlineData(127UL, 800)]
    [InlineData(151UL, 800)]
    public void GeneratedNotesCiteWhatPandocCites(ulong seed, int count)
    {
        Pandoc.EnsureInstalled();
        var snippets = new NoteCorpusGenerator(seed).Snippets(count);
        var note = NoteCorpusGenerator.Join(snippets, out var starts);
        var expected = Pandoc.CitesByMarker(Pandoc.ToJson(note), NoteCorpusGenerator.MarkerNumber);
        var document = NoteParser.Parse("generated.md", note);
        NoteAssertions.SpansAreConsistent(document);

        var actual = new Dictionary<int, List<PandocCite>>();
        foreach (var citation in document.Citations)
        {
            var snippet = Array.FindLastIndex(starts, start => start <= citation.KeySpan.Start);
            if (!actual.TryGetValue(snippet, out var list)) actual[snippet] = list = [];
            list.Add(AsPandoc(citation));
        }

        var mismatches = new StringBuilder();
        var mismatchCount = 0;
        var total = 0;
        for (var i = -1; i < snippets.Count; i++)
        {
            var want = expected.GetValueOrDefault(i) ?? [];
            var got = actual.GetValueOrDefault(i) ?? [];
            total += want.Count;
            if (want.SequenceEqual(got)) continue;
            if (++mismatchCount > 12) continue;
            mismatches.Append($"\n--- snippet {i}:\n{(i >= 0 ? snippets[i] : "(before the first snippet)")}\n")
                .Append($"pandoc: {Show(want)}\nours:   {Show(got)}\n");
        }
        output.WriteLine($"oracle: {Pandoc.Version}; seed {seed}: {snippets.Count} snippets, {total} citations by pandoc, {document.Citations.Length} by NoteParser");
        if (mismatchCount > 0)
        {
            // The whole note, to rerun pandoc on by hand.
            var saved = Path.Combine(Path.GetTempPath(), $"bibserver-oracle-seed{seed}.md");
            File.WriteAllText(saved, note);
            Assert.Fail($"{mismatchCount} of {snippets.Count} generated snippets differ from pandoc ({Pandoc.Version}); the note is saved as {saved}:{mismatches}");
        }
    }

    public static TheoryData<string> FixtureNotes()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestData.Path("notes"), "*.md", SearchOption.AllDirectories).Order())
        {
            data.Add(Path.GetRelativePath(TestData.Path("notes"), file));
        }
        // The examples' notes are what users read first: they must cite what pandoc cites too.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestData.Root, "examples", "notes"), "*.md").Order())
        {
            data.Add(Path.GetRelativePath(TestData.Root, file).Replace('\\', '/'));
        }
        return data;
    }

    /// <summary>Fixture notes are named from tests/testdata/notes (as oracle-exceptions.txt names them), the examples' from the repository's root.</summary>
    private static string PathOf(string file) =>
        file.StartsWith("examples/", StringComparison.Ordinal) ? Path.Combine(TestData.Root, file) : TestData.Path("notes", file);

    /// <summary>
    /// Fixture notes, whole. Those listed in tests/testdata/notes/oracle-exceptions.txt show a deliberate
    /// difference and are checked the other way: they must still differ (or pandoc must still fail).
    /// </summary>
    [Theory]
    [MemberData(nameof(FixtureNotes))]
    public void FixtureNotesCiteWhatPandocCites(string file)
    {
        Pandoc.EnsureInstalled();
        var text = File.ReadAllText(PathOf(file));
        var document = NoteParser.Parse(file, text);
        NoteAssertions.SpansAreConsistent(document);
        var exception = OracleExceptions().GetValueOrDefault(file.Replace('\\', '/'));
        if (exception.Kind == "pandoc-fails")
        {
            Assert.False(Pandoc.TryToJson(text, out _), $"{file} is listed as a note pandoc refuses, but pandoc now reads it.");
            return;
        }
        var want = Pandoc.Cites(Pandoc.ToJson(text));
        var got = document.Citations.Select(AsPandoc).ToList();
        output.WriteLine($"oracle: {Pandoc.Version}; {file}: {want.Count} citations by pandoc, {got.Count} by NoteParser");
        if (exception.Kind == "differs")
        {
            Assert.False(want.SequenceEqual(got), $"{file} is listed as differing from pandoc ({exception.Why}), but now agrees; remove it from the list.");
            return;
        }
        Assert.True(want.SequenceEqual(got), $"{file} differs from pandoc ({Pandoc.Version}):\npandoc: {Show(want)}\nours:   {Show(got)}");
    }

    private static Dictionary<string, (string Kind, string Why)> OracleExceptions()
    {
        var exceptions = new Dictionary<string, (string, string)>();
        foreach (var line in File.ReadLines(TestData.Path("notes", "oracle-exceptions.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('|', 3, StringSplitOptions.TrimEntries);
            Assert.True(parts.Length == 3 && parts[1] is "differs" or "pandoc-fails", $"oracle-exceptions.txt: bad line \"{line}\"");
            Assert.True(File.Exists(TestData.Path("notes", parts[0])), $"oracle-exceptions.txt names {parts[0]}, which does not exist");
            exceptions[parts[0]] = (parts[1], parts[2]);
        }
        return exceptions;
    }

    private static PandocCite AsPandoc(Citation citation) => new(citation.Key, citation.Mode switch
    {
        CitationMode.Parenthetical => "NormalCitation",
        CitationMode.SuppressAuthor => "SuppressAuthor",
        _ => "AuthorInText",
    });

    private static string Show(List<PandocCite> cites) =>
        cites.Count == 0 ? "(none)" : string.Join(" ", cites.Select(c => $"{c.Key}/{c.Mode}"));
}
