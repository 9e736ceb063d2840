using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Papers;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>How the entries of a library file relate to the merged papers that notes cite.</summary>
internal static class LibraryEntries
{
    /// <summary>A merge's papers by the place of each of their entries, kept on the merge (<see cref="LibrarySet.Memos"/>).</summary>
    private static readonly MemoKey<Dictionary<(string Path, int Start), Paper>> ByLocation = new("papers by entry");

    /// <summary>The merge a library file's keys come from: the workspace's if it is one of its libraries, else the file alone.</summary>
    public static LibrarySet SetOf(WorkspaceSnapshot snapshot, string path)
    {
        var libraries = snapshot.Libraries;
        return libraries.WorkspaceLibraries.Contains(path) ? libraries.Workspace : libraries.SetOf([path]);
    }

    /// <summary>The entry whose key (or title line) the offset is on or right after.</summary>
    public static Paper? At(LibraryDocument document, int offset)
    {
        foreach (var p in document.Papers)
        {
            if (p.Location.FocusSpan.ContainsOrTouches(offset)) return p;
            if (p.Location.Span.Start > offset) break;
        }
        return null;
    }

    /// <summary>
    /// The merged paper an entry of a file is part of (with its final key: a paper-list entry's key is made
    /// only when libraries are merged), or the entry's own paper when it is not part of one (an entry that
    /// lost a key conflict).
    /// </summary>
    public static Paper PaperOf(LibrarySet set, Paper entry)
    {
        var map = set.Memos.Get(ByLocation, set, static s => Index(s));
        return map.TryGetValue((entry.Location.Path, entry.Location.Span.Start), out var merged) ? merged : entry;
    }

    private static Dictionary<(string Path, int Start), Paper> Index(LibrarySet set)
    {
        var map = new Dictionary<(string, int), Paper>(set.Papers.Length);
        foreach (var paper in set.Papers)
            foreach (var location in paper.AllLocations)
                map.TryAdd((location.Path, location.Span.Start), paper);
        return map;
    }

    /// <summary>The format of the file a location is in; a location in a note is in its front matter's CSL-YAML; null for a file not known.</summary>
    public static LibraryFormat? FormatOf(WorkspaceSnapshot snapshot, string path) =>
        snapshot.Library(path)?.Format ?? (snapshot.Note(path) is not null ? CslYamlFormat.Instance : null);

    /// <summary>The text a location's spans point into.</summary>
    public static string? TextOf(WorkspaceSnapshot snapshot, string path) =>
        snapshot.Library(path)?.Text ?? snapshot.Note(path)?.Text;

    /// <summary>"refs.bib:12": a file's name and the line of a span, for messages.</summary>
    public static string Where(WorkspaceSnapshot snapshot, string path, TextSpan span)
    {
        var lines = snapshot.Library(path)?.Lines ?? snapshot.Note(path)?.Lines;
        var name = Path.GetFileName(path);
        return lines is null ? name : $"{name}:{lines.GetPosition(span.Start).Line + 1}";
    }

    /// <summary>
    /// Every place a key is defined anywhere in the workspace, the workspace's winner first: the workspace's
    /// libraries, then other library files (those notes name in <c>bibliography:</c>) by path, then notes'
    /// <c>references:</c> by path. Keys are names shared by every note, so a rename renames them all.
    /// </summary>
    public static ImmutableArray<SourceLocation> Declarations(WorkspaceSnapshot snapshot, string key)
    {
        var libraries = snapshot.Libraries;
        var result = ImmutableArray.CreateBuilder<SourceLocation>();
        var seen = new HashSet<(string, int)>();
        void Add(ImmutableArray<SourceLocation> locations)
        {
            foreach (var l in locations)
                if (seen.Add((l.Path, l.Span.Start))) result.Add(l);
        }
        Add(libraries.Workspace.DefinitionsOf(key));
        foreach (var path in libraries.Documents.Keys.Order(StringComparer.Ordinal))
        {
            if (libraries.WorkspaceLibraries.Contains(path)) continue;
            Add(libraries.SetOf([path]).DefinitionsOf(key));
        }
        foreach (var note in snapshot.Notes.Values.Where(n => n.FrontMatter is { HasReferences: true }).OrderBy(n => n.Path, StringComparer.Ordinal))
            if (NoteReferences.Of(note) is { } references) Add(references.Set.DefinitionsOf(key));
        return result.ToImmutable();
    }
}
