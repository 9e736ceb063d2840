using System.Collections.Immutable;
using BibServer.Core.Workspace;
using BibServer.Documents;
using BibServer.Loading;

namespace BibServer.Server;

/// <summary>
/// Everything that can change the server's world, as data. Handlers turn notifications into changes and hand
/// them to <see cref="ServerState.Apply"/>; <see cref="Snapshots.Next"/> turns a snapshot and a change into
/// the next snapshot.
/// </summary>
internal abstract record Change
{
    private Change() { }

    /// <summary>The initialize request: the settings, roots and trace value the session starts with, and how paths resolve in those roots.</summary>
    public sealed record Initialized(ServerSettings Settings, ImmutableArray<string> Roots, string Trace, PathContext? Paths = null) : Change;

    public sealed record DocumentOpened(OpenDocument Document) : Change;

    /// <summary>A didChange: the edits are applied to the open document in <see cref="Snapshots.Next"/>.</summary>
    public sealed record DocumentEdited(string Uri, int Version, ImmutableArray<DocumentChange> Edits) : Change;

    public sealed record DocumentClosed(string Uri) : Change;

    public sealed record SettingsChanged(ServerSettings Settings) : Change;

    public sealed record TraceChanged(string Trace) : Change;

    public sealed record RootsChanged(ImmutableArray<string> Roots, PathContext? Paths = null) : Change;

    /// <summary>Files changed on disk; created and changed files come with their text, already read.</summary>
    public sealed record FilesChanged(ImmutableArray<FileChange> Files) : Change;

    /// <summary>Library files a note has just named, read for the first time (null text: missing).</summary>
    public sealed record LibrariesRead(ImmutableArray<FileChange> Files) : Change;

    /// <summary>The workspace read from disk: at start, and when its libraries' settings or files come and go.</summary>
    public sealed record WorkspaceLoaded(WorkspaceSnapshot Workspace, string Source) : Change;

    /// <summary>
    /// The notes on disk, read by a load after its libraries (first diagnostics need only the libraries), and
    /// the library files those notes name that the load had not read.
    /// </summary>
    /// <param name="Times">When each note was last written, for the order of a paper's annotations.</param>
    public sealed record NotesLoaded(ImmutableArray<Core.Notes.NoteDocument> Notes, ImmutableArray<FileChange> Libraries,
        ImmutableArray<KeyValuePair<string, DateTime>> Times = default) : Change;
}
