using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Notes;
using BibServer.Core.Papers;

namespace BibServer.Core.Workspace;

/// <summary>
/// The papers one note sees, in precedence order: the note's own <c>references:</c>, then the files of
/// its <c>bibliography:</c> in the order given, then the workspace's libraries. A key found in an earlier
/// layer hides the same key in a later one (pandoc itself sees only the first two; the workspace is ours).
/// </summary>
public sealed class NoteScope
{
    private NoteScope(LibraryDocument? references, LibrarySet referencesSet, LibrarySet bibliography, LibrarySet workspace, ImmutableArray<string> bibliographyPaths)
    {
        References = references;
        Layers = [referencesSet, bibliography, workspace];
        BibliographyPaths = bibliographyPaths;
    }

    /// <summary>The note's inline <c>references:</c>, read as CSL-YAML with spans in the note.</summary>
    public LibraryDocument? References { get; }

    /// <summary>The libraries in precedence order: references, bibliography, workspace.</summary>
    public ImmutableArray<LibrarySet> Layers { get; }

    public ImmutableArray<string> BibliographyPaths { get; }

    internal static NoteScope Create(NoteDocument note, WorkspaceSnapshot snapshot)
    {
        var references = NoteReferences.Of(note);
        var own = snapshot.BibliographyOf(note);
        var libraries = snapshot.Libraries;
        // In a Quarto project the project's and its folders' bibliography are merged with the note's (QuartoProject).
        var project = libraries.QuartoProjectOf(note.Path);
        var paths = project?.BibliographyOf(note, own) ?? own;
        var workspace = project is { IgnoresWorkspace: true } ? LibrarySet.Empty : libraries.Workspace;
        return new NoteScope(references?.Document, references?.Set ?? LibrarySet.Empty, libraries.SetOf(paths), workspace, paths);
    }

    public Paper? Find(string key)
    {
        foreach (var layer in Layers)
            if (layer.Find(key) is { } p) return p;
        return null;
    }

    /// <summary>Every paper the note sees, each key once, in precedence order.</summary>
    public IEnumerable<Paper> Papers
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var layer in Layers)
                foreach (var p in layer.Papers)
                    if (seen.Add(p.Key)) yield return p;
        }
    }

}

/// <summary>A note's front-matter <c>references:</c>, read as CSL-YAML (spans in the note) and merged on their own.</summary>
public sealed record NoteReferences(LibraryDocument Document, LibrarySet Set)
{
    private static readonly MemoKey<NoteReferences> Key = new("references");

    /// <summary>
    /// The note's references, or null when it has none. Read once per front matter and kept with it
    /// (<see cref="NoteDocument.FrontMatterMemos"/>): a keystroke below the front matter reuses them.
    /// </summary>
    public static NoteReferences? Of(NoteDocument note) =>
        note.FrontMatter is { HasReferences: true }
            ? note.FrontMatterMemos.Get(Key, note, static n =>
            {
                var document = CslYamlReader.Read(n.Path, n.FrontMatter!.Yaml, n.FrontMatter.YamlOffset);
                return new NoteReferences(document, LibrarySet.Build([document]));
            })
            : null;
}
