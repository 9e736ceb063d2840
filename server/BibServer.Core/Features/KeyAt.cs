using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Papers;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

public enum KeySite
{
    /// <summary>A citation in a note: <c>@key</c>, <c>[@key]</c>, <c>@{key}</c>.</summary>
    Citation,

    /// <summary>A paper's entry in a library file or in a note's <c>references:</c>: its key, or a listing's title line.</summary>
    Entry,
}

/// <summary>
/// The citation key under a cursor, wherever the cursor is: on a citation in a note, or on a paper's entry
/// (the key of a BibTeX or CSL entry, the title line of a paper-list entry).
/// </summary>
/// <param name="Key">The key as notes cite it: for a paper-list entry, the key BibServer made for it.</param>
/// <param name="Span">The citation's key, or the entry's <see cref="SourceLocation.FocusSpan"/>.</param>
/// <param name="Paper">
/// The paper the key names: for a citation, the one the note sees (null for an unknown key); for an entry,
/// the merged paper it is part of, or the entry's own paper when it lost a key conflict.
/// </param>
/// <param name="Citation">The citation, for <see cref="KeySite.Citation"/>.</param>
/// <param name="Entry">Where the entry is, for <see cref="KeySite.Entry"/>.</param>
/// <param name="Set">The merged libraries the entry's file is part of, for <see cref="KeySite.Entry"/>.</param>
public sealed record KeyAtCursor(
    string Key,
    TextSpan Span,
    KeySite Site,
    Paper? Paper,
    Citation? Citation,
    SourceLocation? Entry,
    LibrarySet? Set)
{
    public bool IsCrossReference => Citation is { IsCrossReference: true };
}

/// <summary>
/// Finds the key under a cursor; every navigation feature starts here, so definition, references, rename
/// and hover agree on what "the key here" is.
/// </summary>
public static class KeyAt
{
    public static KeyAtCursor? Find(WorkspaceSnapshot snapshot, string path, int offset)
    {
        if (snapshot.Note(path) is { } note)
        {
            var scope = snapshot.ScopeOf(note);
            if (NoteQueries.CitationAt(note, offset) is { } c)
                return new KeyAtCursor(c.Key, c.KeySpan, KeySite.Citation, c.IsCrossReference ? null : scope.Find(c.Key), c, null, null);
            return scope.References is { } references ? AtEntry(references, scope.Layers[0], offset) : null;
        }
        return snapshot.Library(path) is { } library ? AtEntry(library, LibraryEntries.SetOf(snapshot, path), offset) : null;
    }

    private static KeyAtCursor? AtEntry(LibraryDocument document, LibrarySet set, int offset)
    {
        if (LibraryEntries.At(document, offset) is not { } entry) return null;
        var paper = LibraryEntries.PaperOf(set, entry);
        return new KeyAtCursor(paper.Key, entry.Location.FocusSpan, KeySite.Entry, paper, null, entry.Location, set);
    }
}

/// <summary>How the entries of a library file relate to the merged papers that notes cite.</summary>
internal static class LibraryEntries
{
    private static readonly ConditionalWeakTable<LibrarySet, Dictionary<(string Path, int Start), Paper>> ByLocation = new();

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
        var map = ByLocation.GetValue(set, Index);
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

    /// <summary>The format of the file a location is in; a location in a note is in its front matter's CSL-YAML.</summary>
    public static LibraryFormat FormatOf(WorkspaceSnapshot snapshot, string path) =>
        snapshot.Library(path)?.Format ?? (snapshot.Note(path) is not null ? LibraryFormat.CslYaml : LibraryFormat.Unknown);

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
            Add(ReferencesOf(note).DefinitionsOf(key));
        return result.ToImmutable();
    }

    private static readonly ConditionalWeakTable<NoteDocument, LibrarySet> References = new();

    /// <summary>
    /// A note's <c>references:</c>, merged on their own. A note's scope is memoised per snapshot, and a
    /// keystroke makes a new snapshot; this depends on the note alone, so it is kept beside the note and
    /// every other note's front matter is not read again after each keystroke.
    /// </summary>
    private static LibrarySet ReferencesOf(NoteDocument note) => References.GetValue(note, n =>
        n.FrontMatter is { HasReferences: true } fm
            ? LibrarySet.Build([Libraries.Csl.CslYamlReader.Read(n.Path, fm.Yaml, fm.YamlOffset)])
            : LibrarySet.Empty);
}
