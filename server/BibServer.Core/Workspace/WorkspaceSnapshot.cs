using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Annotations;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;

namespace BibServer.Core.Workspace;

/// <summary>
/// An immutable view of everything BibServer knows: the libraries and the notes (open ones and those on
/// disk). A change makes a new snapshot and the host swaps it in; a request reads the snapshot it began
/// with. Features are functions of a snapshot.
/// </summary>
public sealed class WorkspaceSnapshot
{
    // A note's scope is a function of the note and the library state: memoised per note instance so that
    // several features asked about one version of a note share it.
    private readonly ConditionalWeakTable<NoteDocument, NoteScope> _scopes = new();

    private WorkspaceSnapshot(LibraryState libraries, ImmutableDictionary<string, NoteDocument> notes, NoteFacts? facts = null)
    {
        Libraries = libraries;
        Notes = notes;
        _facts = facts ?? NoteFacts.Empty;
    }

    public static WorkspaceSnapshot Empty { get; } =
        new(LibraryState.Empty, ImmutableDictionary<string, NoteDocument>.Empty.WithComparers(StringComparer.Ordinal));

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

    public WorkspaceSnapshot WithLiteratureNotes(LiteratureNoteSettings settings) => new(Libraries, Notes, _facts with { LiteratureNotes = settings });

    public WorkspaceSnapshot WithNoteTimes(IEnumerable<KeyValuePair<string, DateTime>> times) => new(Libraries, Notes, _facts with { Times = _facts.Times.SetItems(times) });

    public LibraryState Libraries { get; }

    /// <summary>Every note known, by absolute path.</summary>
    public ImmutableDictionary<string, NoteDocument> Notes { get; }

    public NoteDocument? Note(string path) => Notes.GetValueOrDefault(path);

    public LibraryDocument? Library(string path) => Libraries.Document(path);

    public WorkspaceSnapshot WithNote(NoteDocument note) => new(Libraries, Notes.SetItem(note.Path, note), _facts);

    public WorkspaceSnapshot WithNotes(IEnumerable<NoteDocument> notes) =>
        new(Libraries, Notes.SetItems(notes.Select(n => KeyValuePair.Create(n.Path, n))), _facts);

    public WorkspaceSnapshot WithoutNote(string path) => Notes.ContainsKey(path) ? new(Libraries, Notes.Remove(path), _facts with { Times = _facts.Times.Remove(path) }) : this;

    public WorkspaceSnapshot WithLibraries(LibraryState libraries) =>
        ReferenceEquals(libraries, Libraries) ? this : new(libraries, Notes, _facts);

    /// <summary>The papers a note sees.</summary>
    public NoteScope ScopeOf(NoteDocument note) => _scopes.GetValue(note, n => NoteScope.Create(n, Libraries));

    /// <summary>The library files a note names in its <c>bibliography:</c>, as absolute paths.</summary>
    public static ImmutableArray<string> BibliographyPaths(NoteDocument note) =>
        note.FrontMatter is null
            ? ImmutableArray<string>.Empty
            : note.FrontMatter.Bibliography.Select(b => ResolvePath(note.Path, b.Value)).Distinct(StringComparer.Ordinal).ToImmutableArray();

    /// <summary>A path as a note names it, resolved against the note's folder as pandoc does. String work only, no IO.</summary>
    public static string ResolvePath(string notePath, string value)
    {
        var dir = Path.GetDirectoryName(notePath) ?? "/";
        if (value.StartsWith("~/", StringComparison.Ordinal))
            value = Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/", value[2..]);
        return Path.GetFullPath(Path.IsPathRooted(value) ? value : Path.Combine(dir, value));
    }
}
