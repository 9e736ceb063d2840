using System.Collections.Immutable;
using System.Text;
using BibServer.Core.Features;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Features;

/// <summary>
/// Navigation features at a cursor, one test per fixture: definition, references, rename, quick fixes,
/// symbols and code lens. Ranges are rendered <c>path:line:col-line:col</c> (one-based) with the text they
/// cover; a rename renders every edited file as it reads after the edits. A fixture may start with
/// <c>// name: value</c> lines before its first file (a rename's new name, a symbol query).
/// </summary>
public class NavigationFixtureTests
{
    public static IEnumerable<object[]> DefinitionFixtures => FixtureFiles.In("definition");
    public static IEnumerable<object[]> ReferencesFixtures => FixtureFiles.In("references");
    public static IEnumerable<object[]> RenameFixtures => FixtureFiles.In("rename");
    public static IEnumerable<object[]> CodeActionFixtures => FixtureFiles.In("codeactions");
    public static IEnumerable<object[]> SymbolFixtures => FixtureFiles.In("symbols");
    public static IEnumerable<object[]> CodeLensFixtures => FixtureFiles.In("codelens");

    [Theory]
    [MemberData(nameof(DefinitionFixtures))]
    public void Definition_at_cursor(string fixture)
    {
        var f = FixtureFiles.Load("definition", fixture);
        var found = Definition.Find(f.Snapshot, f.CursorPath, f.Cursor);
        FixtureFiles.Check("definition", fixture, found.IsEmpty ? "(no definition)" : Spans(f, found));
    }

    [Theory]
    [MemberData(nameof(ReferencesFixtures))]
    public void References_at_cursor(string fixture)
    {
        var f = FixtureFiles.Load("references", fixture);
        var with = References.Find(f.Snapshot, f.CursorPath, f.Cursor, includeDeclaration: true);
        var without = References.Find(f.Snapshot, f.CursorPath, f.Cursor, includeDeclaration: false);
        var sb = new StringBuilder();
        sb.Append("with declaration:\n").Append(with.IsEmpty ? "(none)\n" : Spans(f, with));
        sb.Append("without declaration:\n").Append(without.IsEmpty ? "(none)\n" : Spans(f, without));
        FixtureFiles.Check("references", fixture, sb.ToString());
    }

    [Theory]
    [MemberData(nameof(RenameFixtures))]
    public void Rename_at_cursor(string fixture)
    {
        var f = FixtureFiles.Load("rename", fixture);
        var newName = Directive("rename", fixture, "new name") ?? throw new InvalidOperationException($"{fixture} needs a `// new name: ...` line");
        var sb = new StringBuilder();
        var prepared = Rename.Prepare(f.Snapshot, f.CursorPath, f.Cursor);
        sb.Append(prepared.IsRefused
            ? $"prepare: refused: {prepared.Refusal}\n"
            : $"prepare: {f.Range(f.CursorPath, prepared.Value!.Span)} placeholder {prepared.Value.Key}\n");
        var edits = Rename.Edits(f.Snapshot, f.CursorPath, f.Cursor, newName);
        if (edits.IsRefused) sb.Append($"rename to {newName}: refused: {edits.Refusal}\n");
        else
        {
            sb.Append($"rename to {newName}: {edits.Value.Length} edits\n");
            sb.Append(Edited(f, edits.Value));
        }
        FixtureFiles.Check("rename", fixture, sb.ToString());
    }

    [Theory]
    [MemberData(nameof(CodeActionFixtures))]
    public void Quick_fixes_at_cursor(string fixture)
    {
        var f = FixtureFiles.Load("codeactions", fixture);
        // The workspace's root, where new literature notes go.
        var snapshot = f.Snapshot.WithLiteratureNotes(new Core.Annotations.LiteratureNoteSettings([Fixture.Root]));
        var fixes = CodeActions.Find(snapshot, f.CursorPath, [new TextSpan(f.Cursor, 0)]);
        var sb = new StringBuilder();
        foreach (var fix in fixes)
        {
            var diagnostic = fix.Fixes is { } d ? $", fixes {f.Range(f.CursorPath, d.Span)} {d.Code}" : "";
            sb.Append($"== {fix.Title}{(fix.IsPreferred ? " (preferred)" : "")}{diagnostic}\n");
            foreach (var edit in fix.Edits)
                sb.Append(edit.CreatesFile ? $"{edit.Path} (new file) <- {Quote(edit.NewText)}\n" : $"{edit.Path}:{f.Range(edit.Path, edit.Span)} <- {Quote(edit.NewText)}\n");
        }
        FixtureFiles.Check("codeactions", fixture, sb.Length == 0 ? "(no quick fixes)" : sb.ToString());
    }

    [Theory]
    [MemberData(nameof(SymbolFixtures))]
    public void Symbols_of_the_cursor_file_and_the_workspace(string fixture)
    {
        var f = FixtureFiles.Load("symbols", fixture);
        var sb = new StringBuilder();
        sb.Append($"document symbols of {f.CursorPath}:\n");
        void Write(OutlineSymbol s, int depth)
        {
            sb.Append(new string(' ', depth * 2))
                .Append($"{s.Role} {s.Name} {f.Range(f.CursorPath, s.Span)} selection {f.Range(f.CursorPath, s.SelectionSpan)}")
                .Append(s.Detail is null ? "" : $" | {s.Detail}")
                .Append('\n');
            foreach (var child in s.Children) Write(child, depth + 1);
        }
        foreach (var s in Symbols.Document(f.Snapshot, f.CursorPath)) Write(s, 1);
        if (Directive("symbols", fixture, "query") is { } query)
        {
            sb.Append($"workspace symbols for \"{(query == "(empty)" ? "" : query)}\":\n");
            foreach (var s in Symbols.Workspace(f.Snapshot, query == "(empty)" ? "" : query, limit: 10))
                sb.Append($"  {s.Name} | {s.ContainerName} | {s.Location.Path}:{f.Range(s.Location.Path, s.Location.FocusSpan)}\n");
        }
        FixtureFiles.Check("symbols", fixture, sb.ToString());
    }

    [Theory]
    [MemberData(nameof(CodeLensFixtures))]
    public void Code_lens_of_the_cursor_file(string fixture)
    {
        var f = FixtureFiles.Load("codelens", fixture);
        var sb = new StringBuilder();
        foreach (var lens in CodeLens.Find(f.Snapshot, f.CursorPath))
            sb.Append($"{f.Range(f.CursorPath, lens.Span)} {lens.Key}: {lens.Title}\n");
        FixtureFiles.Check("codelens", fixture, sb.Length == 0 ? "(no code lens)" : sb.ToString());
    }

    /// <summary>A <c>// name: value</c> line before the fixture's first file.</summary>
    private static string? Directive(string folder, string fixture, string name)
    {
        foreach (var line in File.ReadLines(TestData.Path("features", folder, fixture)))
        {
            if (line.StartsWith("//- ", StringComparison.Ordinal)) break;
            if (line.StartsWith($"// {name}:", StringComparison.Ordinal)) return line[($"// {name}:".Length)..].Trim();
        }
        return null;
    }

    private static string Spans(Fixture f, IEnumerable<FileSpan> spans)
    {
        var sb = new StringBuilder();
        foreach (var s in spans)
            sb.Append($"{s.Path}:{f.Range(s.Path, s.Span)} {Quote(TextOf(f, s.Path).Substring(s.Span.Start, s.Span.Length))}\n");
        return sb.ToString();
    }

    private static string TextOf(Fixture f, string path) =>
        f.Snapshot.Note(path)?.Text ?? f.Snapshot.Library(path)?.Text ?? f.OtherFiles.GetValueOrDefault(path) ?? throw new InvalidOperationException(path);

    /// <summary>Every file the edits touch, as it reads after them, under a <c>//- path</c> header.</summary>
    private static string Edited(Fixture f, ImmutableArray<FileEdit> edits)
    {
        var sb = new StringBuilder();
        foreach (var group in edits.GroupBy(e => e.Path))
        {
            sb.Append($"//- {group.Key}\n");
            sb.Append(TextEdits.Apply(TextOf(f, group.Key), group.Select(e => (e.Span, e.NewText))).TrimEnd('\n')).Append('\n');
        }
        return sb.ToString();
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\"", "\\\"") + "\"";
}
