using System.Text;
using BibServer.Core.Export;
using BibServer.Core.Features;
using BibServer.Core.Notes;
using BibServer.Core.Tests.Features;
using BibServer.Core.Tests.Notes;

namespace BibServer.Core.Tests.Styles;

/// <summary>
/// Hovers on citations rendered in the three styles the issue names, with real citeproc-js and the shipped
/// styles: each fixture's expected file holds the hover of each style. The in-text form is also checked
/// against pandoc's own rendering of the same citation with the same style (the oracle, not a hand answer).
/// </summary>
public sealed class StyledHoverFixtureTests
{
    public const string Folder = "hover-styles";

    public static IEnumerable<object[]> Fixtures => FixtureFiles.In(Folder);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Hover_in_each_style(string fixture)
    {
        var f = FixtureFiles.Load(Folder, fixture);
        var actual = new StringBuilder();
        foreach (var name in ShippedStyles.Three)
        {
            var hover = Hover.Find(f.Snapshot, f.CursorPath, f.Cursor, new HoverOptions(ShippedStyles.NoteStyle(name)));
            actual.Append("== ").Append(name).Append('\n');
            actual.Append(hover is null ? "(no hover)" : $"range: {f.Range(f.CursorPath, hover.Span)}\n{hover.Markdown}").Append("\n\n");
        }
        FixtureFiles.Check(Folder, fixture, actual.ToString());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void In_text_form_is_what_pandoc_prints(string fixture)
    {
        Pandoc.EnsureInstalled();
        var f = FixtureFiles.Load(Folder, fixture);
        var note = f.Snapshot.Note(f.CursorPath)!;
        var citation = NoteQueries.CitationAt(note, f.Cursor)!;
        var source = citation.Mode == CitationMode.AuthorInText || citation.GroupSpan is null
            ? note.Text[citation.Span.Start..citation.Span.End]
            : note.Text[citation.GroupSpan.Value.Start..citation.GroupSpan.Value.End];
        var scope = f.Snapshot.ScopeOf(note);
        var dir = Directory.CreateTempSubdirectory("bibserver-styles-");
        try
        {
            // pandoc reads the papers as BibServer has them, so that only the processors are compared.
            var papers = note.Citations.Select(c => scope.Find(c.Key)).OfType<Papers.Paper>().DistinctBy(p => p.Key);
            File.WriteAllText(Path.Combine(dir.FullName, "refs.json"), PandocInput.WithoutRawDates(CslJsonWriter.Write(papers)));
            foreach (var name in ShippedStyles.Three)
            {
                var markdown = $"---\nbibliography: refs.json\ncsl: {ShippedStyles.PathOf(name)}\nsuppress-bibliography: true\n---\n{source}\n";
                var (exit, stdout, stderr) = Pandoc.Run(["--citeproc", "-t", "plain", "--wrap=none"], markdown, dir.FullName);
                Assert.True(exit == 0, stderr);
                var expected = string.Join(' ', stdout.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
                var style = ShippedStyles.NoteStyle(name);
                var ours = StyledText.Of(style, note, scope, citation, scope.Find(citation.Key)!)!.InText;
                Assert.True(expected == ours, $"{name}: pandoc prints \"{expected}\", BibServer \"{ours}\"");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

/// <summary>What pandoc is handed beside what citeproc-js is.</summary>
public static partial class PandocInput
{
    /// <summary>
    /// The CSL-JSON export keeps a date's source text as "raw" beside its date-parts; pandoc's citeproc then
    /// prints the raw text ("Jun 12, 2023") where citeproc-js prints the parts. The comparison is of the
    /// processors on the same date, so the raw text is left out (docs/citation-styles.md).
    /// </summary>
    public static string WithoutRawDates(string json) => RawDate().Replace(json, "");

    [System.Text.RegularExpressions.GeneratedRegex(@",\s*""raw"":\s*""(?:[^""\\]|\\.)*""")]
    private static partial System.Text.RegularExpressions.Regex RawDate();
}
