using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Annotations;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;

namespace BibServer.Core.Workspace;

/// <summary>
/// An immutable view of everything BibServer knows: the libraries and the notes (open ones and those on
/// disk), and how the paths notes name are resolved. A change makes a new snapshot and the host swaps it in;
/// a request reads the snapshot it began with. Features are functions of a snapshot.
/// </summary>
public sealed class WorkspaceSnapshot
{
    // A note's scope is a function of the note and the library state: memoised per note instance so that
    // several features asked about one version of a note share it.
    private readonly ConditionalWeakTable<NoteDocument, NoteScope> _scopes = new();

    private WorkspaceSnapshot(LibraryState libraries, ImmutableDictionary<string, NoteDocument> notes, PathContext paths, NoteFacts facts, Memos? earlier)
    {
        Libraries = libraries;
        Notes = notes;
        Paths = paths;
        _facts = facts;
        Earlier = earlier;
    }

    public static WorkspaceSnapshot Empty { get; } =
        new(LibraryState.Empty, ImmutableDictionary<string, NoteDocument>.Empty.WithComparers(StringComparer.Ordinal), PathContext.None, NoteFacts.Empty, null);

    // What the annotations need besides the notes' text: where literature notes live, and when each note on
    // disk was last written (the most recent passages come first). Kept apart so a keystroke shares it.
    private sealed record NoteFacts(LiteratureNoteSettings LiteratureNotes, ImmutableDictionary<string, DateTime> Times)
    {
        public static NoteFacts Empty { get; } = new(LiteratureNoteSettings.Default, ImmutableDictionary<string, DateTime>.Empty.WithComparers(StringComparer.Ordinal));
    }

    private readonly NoteFacts _facts;

    /// <summary>Where the workspace keeps its literature notes (bibserver.yaml's <c>literature-notes:</c>).</summary>
    public LiteratureNoteSettings LiteratureNotes => _facts.LiteratureNotes;

    /// <summary>When each note read from disk was last written, as the server read it (UTC).</summary>
    public ImmutableDictionary<string, DateTime> NoteTimes => _facts.Times;

    public WorkspaceSnapshot WithLiteratureNotes(LiteratureNoteSettings settings) =>
        ReferenceEquals(settings, _facts.LiteratureNotes) ? this : Next(Libraries, Notes, Paths, _facts with { LiteratureNotes = settings });

    /// <summary>The snapshot with these notes' write times (plain values: the server asks the disk, the core only orders by them).</summary>
    public WorkspaceSnapshot WithNoteTimes(IEnumerable<KeyValuePair<string, DateTime>> times)
    {
        var updated = _facts.Times.SetItems(times);
        return ReferenceEquals(updated, _facts.Times) ? this : Next(Libraries, Notes, Paths, _facts with { Times = updated });
    }

    public LibraryState Libraries { get; }

    /// <summary>Every note known, by absolute path.</summary>
    public ImmutableDictionary<string, NoteDocument> Notes { get; }

    /// <summary>How the paths a note names are resolved: handed in by the server.</summary>
    public PathContext Paths { get; }

    /// <summary>What features compute from the whole snapshot (the counts of every key's citations), kept with it.</summary>
    public Memos Memos { get; } = new();

    /// <summary>
    /// The memos of the snapshot this one was made from (or of the last one before it that had any), for work
    /// that is cheaper to adjust than to redo: the citation counts after a keystroke in one note of 2,000.
    /// Only one such link is kept, so old snapshots are not held alive in a chain.
    /// </summary>
    public Memos? Earlier { get; }

    public NoteDocument? Note(string path) => Notes.GetValueOrDefault(path);

    public LibraryDocument? Library(string path) => Libraries.Document(path);

    public WorkspaceSnapshot WithNote(NoteDocument note) => Next(Libraries, Notes.SetItem(note.Path, note), Paths, _facts);

    public WorkspaceSnapshot WithNotes(IEnumerable<NoteDocument> notes) =>
        Next(Libraries, Notes.SetItems(notes.Select(n => KeyValuePair.Create(n.Path, n))), Paths, _facts);

    public WorkspaceSnapshot WithoutNote(string path) =>
        Notes.ContainsKey(path) ? Next(Libraries, Notes.Remove(path), Paths, _facts.Times.ContainsKey(path) ? _facts with { Times = _facts.Times.Remove(path) } : _facts) : this;

    public WorkspaceSnapshot WithLibraries(LibraryState libraries) =>
        ReferenceEquals(libraries, Libraries) ? this : Next(libraries, Notes, Paths, _facts);

    public WorkspaceSnapshot WithPaths(PathContext paths) => paths == Paths ? this : Next(Libraries, Notes, paths, _facts);

    private WorkspaceSnapshot Next(LibraryState libraries, ImmutableDictionary<string, NoteDocument> notes, PathContext paths, NoteFacts facts) =>
        new(libraries, notes, paths, facts, Memos.IsEmpty ? Earlier : Memos);

    /// <summary>The papers a note sees.</summary>
    public NoteScope ScopeOf(NoteDocument note) => _scopes.GetValue(note, n => NoteScope.Create(n, this));

    /// <summary>A path as a note names it, resolved against the note's folder as pandoc does. String work only, no IO.</summary>
    public string ResolvePath(string notePath, string value) => Paths.Resolve(notePath, value);

    /// <summary>The library files a note names in its <c>bibliography:</c>, resolved, each once, in the order named.</summary>
    public ImmutableArray<string> BibliographyOf(NoteDocument note) =>
        note.FrontMatter is null
            ? ImmutableArray<string>.Empty
            : note.FrontMatter.Bibliography.Select(b => ResolvePath(note.Path, b.Value)).Distinct(StringComparer.Ordinal).ToImmutableArray();

    /// <summary>
    /// The library files these notes name that the snapshot has neither read nor found missing: what the
    /// server reads when a note names a library for the first time. On a keystroke this finds nothing.
    /// </summary>
    public ImmutableArray<string> UnreadLibraries(IEnumerable<NoteDocument> notes) =>
        [.. notes.SelectMany(note => BibliographyOf(note)).Distinct(StringComparer.Ordinal).Where(p => !Libraries.IsKnown(p))];
}

/// <summary>
/// What the core needs to resolve a path a note names (<c>bibliography: refs.bib</c>, <c>~/refs.bib</c>), handed
/// in by the server: the core reads no environment variable and no current directory. Resolution is string
/// work only; the file may not exist.
/// </summary>
/// <param name="Home">The user's home folder, for <c>~/</c>; null leaves such a path as written.</param>
/// <param name="Untitled">
/// The folder a note without one (an unsaved buffer, known by its URI) resolves relative paths against: the
/// workspace's first folder. Null leaves them as written, which names no file.
/// </param>
public sealed record PathContext(string? Home, string? Untitled)
{
    /// <summary>No home folder and no folder for unsaved notes: relative paths resolve against the note's folder only.</summary>
    public static PathContext None { get; } = new(null, null);

    /// <summary>A path as a note names it, resolved against the note's folder as pandoc does.</summary>
    public string Resolve(string notePath, string value)
    {
        if (value.StartsWith("~/", StringComparison.Ordinal))
        {
            if (Home is null) return value;
            value = Path.Combine(Home, value[2..]);
        }
        if (Path.IsPathRooted(value)) return Normalize(value);
        var folder = Path.IsPathRooted(notePath) ? Path.GetDirectoryName(notePath) : Untitled;
        return folder is null ? value : Normalize(Path.Combine(folder, value));
    }

    /// <summary>
    /// A rooted path with <c>.</c>, <c>..</c> and doubled separators taken out, as Path.GetFullPath would give it
    /// for a rooted path, without asking the system (GetFullPath reads the current directory for others).
    /// </summary>
    public static string Normalize(string path)
    {
        var root = Path.GetPathRoot(path) ?? "";
        var parts = new List<string>();
        foreach (var part in path[root.Length..].Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        var trailing = path.Length > root.Length && path[^1] is '/' || path.EndsWith(Path.DirectorySeparatorChar) ? Path.DirectorySeparatorChar.ToString() : "";
        var joined = string.Join(Path.DirectorySeparatorChar, parts);
        return root.Replace('/', Path.DirectorySeparatorChar) + joined + (joined.Length > 0 ? trailing : "");
    }
}
