using System.Collections.Immutable;
using BibServer.Core.Libraries;
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

    internal static NoteScope Create(NoteDocument note, LibraryState libraries)
    {
        LibraryDocument? references = null;
        var referencesSet = LibrarySet.Empty;
        if (note.FrontMatter is { HasReferences: true } fm)
        {
            (references, referencesSet) = libraries.ReferencesOf(note.Path, fm.Yaml, fm.YamlOffset);
        }
        // In a Quarto project the project's and its folders' bibliography come first (QuartoProject).
        var project = libraries.QuartoProjectOf(note.Path);
        var paths = project?.BibliographyOf(note) ?? WorkspaceSnapshot.BibliographyPaths(note);
        var workspace = project is { IgnoresWorkspace: true } ? LibrarySet.Empty : libraries.Workspace;
        return new NoteScope(references, referencesSet, libraries.SetOf(paths), workspace, paths);
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
