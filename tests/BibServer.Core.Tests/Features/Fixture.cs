using System.Collections.Immutable;
using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Tests.Features;

/// <summary>
/// A workspace written as one text: files separated by <c>//- /path</c> headers, <c>$0</c> marking the
/// cursor. Files ending in .md or .qmd are notes; other files are libraries. Libraries under /ws/ are the
/// workspace's libraries, in the order written; others are read only because a note names them.
/// </summary>
public sealed record Fixture(WorkspaceSnapshot Snapshot, string CursorPath, int Cursor)
{
    /// <summary>Files that are neither notes nor libraries (a Manubot manuscript's citation-tags.tsv), by path.</summary>
    public IReadOnlyDictionary<string, string> OtherFiles { get; init; } = new Dictionary<string, string>();

    public const string Root = "/ws/";

    public static Fixture Parse(string text)
    {
        var files = new List<(string Path, string Text)>();
        string? cursorPath = null;
        var cursor = -1;
        string? path = null;
        var body = new StringBuilder();
        void Flush()
        {
            if (path is null) return;
            var content = body.ToString();
            var at = content.IndexOf("$0", StringComparison.Ordinal);
            if (at >= 0)
            {
                cursorPath = path;
                cursor = at;
                content = content.Remove(at, 2);
            }
            files.Add((path, content));
        }
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("//- ", StringComparison.Ordinal))
            {
                Flush();
                path = line[4..].Trim();
                body.Clear();
                continue;
            }
            body.Append(line).Append('\n');
        }
        Flush();

        var others = files.Where(f => f.Path.EndsWith(".tsv", StringComparison.Ordinal)).ToDictionary(f => f.Path, f => f.Text);
        var libraries = files.Where(f => !IsNote(f.Path) && !others.ContainsKey(f.Path)).Select(f => LibraryReader.Read(f.Path, f.Text)).ToList();
        var workspace = libraries.Where(l => l.Path.StartsWith(Root, StringComparison.Ordinal)).Select(l => l.Path).ToImmutableArray();
        var state = LibraryState.Empty.With(documents: libraries, workspaceLibraries: workspace);
        var notes = files.Where(f => IsNote(f.Path)).Select(f => NoteParser.Parse(f.Path, f.Text)).ToList();
        var missing = notes.SelectMany(n => WorkspaceSnapshot.Empty.BibliographyOf(n)).Where(p => state.Document(p) is null).ToList();
        state = state.With(missing: missing, manuscripts: [.. Manuscripts(files, others)]);
        var snapshot = WorkspaceSnapshot.Empty.WithLibraries(state).WithNotes(notes);
        return new Fixture(snapshot, cursorPath ?? notes.FirstOrDefault()?.Path ?? "", cursor) { OtherFiles = others };
    }

    /// <summary>
    /// A Manubot manuscript for every folder with a <c>content/citation-tags.tsv</c>, with the
    /// <c>output/references.json</c> beside it as Manubot's cache, as the server finds them.
    /// </summary>
    private static IEnumerable<BibServer.Core.Libraries.Manubot.Manuscript> Manuscripts(List<(string Path, string Text)> files, Dictionary<string, string> others)
    {
        foreach (var (path, text) in others)
        {
            if (!path.EndsWith("/content/citation-tags.tsv", StringComparison.Ordinal)) continue;
            var root = path[..^"/content/citation-tags.tsv".Length];
            var cache = files.FirstOrDefault(f => f.Path == root + "/output/references.json");
            yield return BibServer.Core.Libraries.Manubot.Manuscript.Read(root, path, text, cache.Path, cache.Text);
        }
    }

    private static bool IsNote(string path) => path.EndsWith(".md", StringComparison.Ordinal) || path.EndsWith(".qmd", StringComparison.Ordinal);

    public LineIndex LinesOf(string path) =>
        Snapshot.Note(path)?.Lines ?? Snapshot.Library(path)?.Lines
        ?? (OtherFiles.TryGetValue(path, out var text) ? new LineIndex(text) : throw new InvalidOperationException(path));

    /// <summary>A span as <c>line:col-line:col</c>, one-based, the way an editor shows it.</summary>
    public string Range(string path, TextSpan span)
    {
        var lines = LinesOf(path);
        return $"{lines.GetPosition(span.Start)}-{lines.GetPosition(span.End)}";
    }
}

/// <summary>Fixture files in a folder of tests/testdata/features, each with its expected answer beside it.</summary>
public static class FixtureFiles
{
    public static IEnumerable<object[]> In(string folder) =>
        Directory.GetFiles(TestData.Path("features", folder), "*.fixture")
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileName(f) });

    /// <summary>
    /// Compares an answer with the expected file beside the fixture. With UPDATE_EXPECT=1 the file is
    /// (re)written instead, to be read and checked by a person before it is committed.
    /// </summary>
    public static void Check(string folder, string fixture, string actual)
    {
        var expectedPath = Path.ChangeExtension(TestData.Path("features", folder, fixture), ".expected");
        actual = actual.Replace("\r\n", "\n").TrimEnd() + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_EXPECT") == "1")
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }
        Assert.True(File.Exists(expectedPath), $"missing {expectedPath}: run with UPDATE_EXPECT=1 and check it by hand");
        Assert.Equal(File.ReadAllText(expectedPath).Replace("\r\n", "\n").TrimEnd() + "\n", actual);
    }

    public static Fixture Load(string folder, string fixture) => Fixture.Parse(File.ReadAllText(TestData.Path("features", folder, fixture)));
}
