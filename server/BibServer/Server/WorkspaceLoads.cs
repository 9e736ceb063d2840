using System.Collections.Immutable;
using System.Diagnostics;
using BibServer.Documents;
using BibServer.Loading;
using Microsoft.Extensions.Logging;

namespace BibServer.Server;

/// <summary>
/// Loading the workspace for the session: the libraries (bibserver.yaml, else the settings, else discovery)
/// and the notes on disk, with progress and status shown while it runs, and the libraries a note names for
/// the first time. The reading itself is <see cref="WorkspaceLoader"/>'s and <see cref="FileReading"/>'s (all
/// the server's disk IO is in Loading/); this class decides when, and applies what was read as changes.
/// </summary>
internal sealed class WorkspaceLoads(ServerHost host)
{
    private readonly Lock _gate = new();
    private int _loads;

    /// <summary>Loads under way: a library read meanwhile (a note's bibliography) is not the end of indexing.</summary>
    private int _running;

    /// <summary>The libraries read ahead from initialize on, for the first load if the settings it was begun with still hold.</summary>
    private LibraryPrefetch? _prefetch;

    public bool Running => Volatile.Read(ref _running) > 0;

    /// <summary>
    /// Starts reading the libraries that initialize names, for the first load; or takes the reading begun when
    /// the message was first read off standard input (LspCommand), if it came that way and names the same ones.
    /// </summary>
    public void StartReadingAhead(ServerSnapshot snapshot)
    {
        var options = host.Options;
        var prefetch = options.ReadAhead?.Invoke() is { } early && early.IsFor(snapshot.Roots, snapshot.Settings.Libraries, snapshot.Settings.Zotero)
            ? early
            : new LibraryPrefetch(snapshot.Roots, snapshot.Settings.Libraries, host.Logger, snapshot.Settings.Zotero);
        lock (_gate) _prefetch = prefetch;
        options.ReadAheadLog?.Target = host.Logger;
    }

    /// <summary>What the first load takes of the libraries read ahead; later loads, and a load for other roots or settings, read the disk.</summary>
    private Func<ImmutableArray<string>, Core.Workspace.LibraryState?>? ReadAhead(ServerSnapshot snapshot)
    {
        LibraryPrefetch? prefetch;
        lock (_gate) (prefetch, _prefetch) = (_prefetch, null);
        return prefetch is not null && prefetch.IsFor(snapshot.Roots, snapshot.Settings.Libraries, snapshot.Settings.Zotero) ? prefetch.Take : null;
    }

    /// <summary>
    /// Reads the workspace from disk: its libraries and its notes, with progress shown while it runs. Loads
    /// that overlap coalesce: only the newest is applied.
    /// </summary>
    public async Task LoadAsync()
    {
        var load = Interlocked.Increment(ref _loads);
        Interlocked.Increment(ref _running);
        var running = true;
        // Counted off before the result is applied, so that the status sent with it says indexing is over.
        void Ran()
        {
            if (running) Interlocked.Decrement(ref _running);
            running = false;
        }
        var logger = host.Logger;
        try
        {
            var snapshot = host.State.Current;
            // Before anything is read: a Zotero database written from now until it is watched is read again.
            host.FileChanges.ReadingLibraries();
            host.Effects.SendStatus(snapshot, indexing: true);
            // The reading starts at once; the client's answer to the progress token comes while it runs, and
            // a report made before it is shown when it comes.
            var begun = host.BeginProgressAsync("Indexing libraries", "Finding the workspace's libraries");
            var reports = new LateProgress();
            var ahead = ReadAhead(snapshot);
            var loading = Task.Run(() =>
            {
                var (loaded, from, notePaths) = WorkspaceLoader.LoadLibraries(snapshot.Roots, snapshot.Settings.Libraries, snapshot.Workspace.Paths, reports.Report, logger, ahead: ahead,
                    editorZotero: snapshot.Settings.Zotero);
                // The disk's notes name their libraries; so do open buffers, whose unsaved bibliography lines the
                // disk does not know. Without them a reload would drop those libraries until the next keystroke.
                return (WorkspaceLoader.EnsureBibliographies(loaded, OpenNotes(host.State.Current)), from, notePaths);
            });
            await using var progress = await begun;
            reports.Attach(progress);
            var (workspace, source, notes) = await loading;
            Ran();
            if (!IsNewest(load)) return;
            // A note opened while the libraries were read names libraries the load has not read: read them now
            // (small files, usually none), so that its first diagnostics do not call its bibliography missing.
            workspace = WorkspaceLoader.EnsureBibliographies(workspace, OpenNotes(host.State.Current));
            var after = host.Apply(new Change.WorkspaceLoaded(workspace, source));
            var libs = after.Workspace.Libraries;
            progress.End($"{libs.Workspace.Papers.Length} papers in {libs.WorkspaceLibraries.Length} libraries");
            logger.LogDebug("Read {Papers} papers in {Libraries} libraries ({Source}); reading the notes.",
                libs.Workspace.Papers.Length, libs.WorkspaceLibraries.Length, source);

            // The notes on disk (for references and code lens across the workspace) come second: the open
            // notes' diagnostics, which need only the libraries, are not kept waiting for them.
            var loaded = await Task.Run(() => ReadDiskNotes(after.Workspace, notes));
            if (!IsNewest(load)) return;
            after = host.Apply(loaded);
            libs = after.Workspace.Libraries;
            logger.LogInformation("Indexed {Papers} papers in {Libraries} libraries ({Source}) and {Notes} notes.",
                libs.Workspace.Papers.Length, libs.WorkspaceLibraries.Length, source, after.Workspace.Notes.Count);
        }
        catch (Exception e)
        {
            Ran();
            logger.LogError(e, "Reading the workspace failed.");
            // Diagnostics wait for the first load; after a failed one they show what the open buffers alone say.
            if (!host.State.Current.WorkspaceLoaded && host.Phase == ServerPhase.Initialized)
                host.Apply(new Change.WorkspaceLoaded(Core.Workspace.WorkspaceSnapshot.Empty, "Failed"));
            host.Effects.SendStatus(host.State.Current, indexing: false);
        }
        finally
        {
            Ran();
        }
    }

    private bool IsNewest(int load) => load == Volatile.Read(ref _loads) && host.Phase == ServerPhase.Initialized;

    /// <summary>Reads library files a note has just named, in the background, and applies them as one change.</summary>
    public void ReadNamedLibraries(ImmutableArray<string> paths) =>
        host.Pending.Track(Task.Run(() => host.Apply(new Change.LibrariesRead(FileReading.ReadNamedLibraries(paths)))));

    /// <summary>The open notes' parsed buffers, whose bibliography lines may be unsaved.</summary>
    private static IEnumerable<Core.Notes.NoteDocument> OpenNotes(ServerSnapshot snapshot) =>
        snapshot.Documents.All.Select(document => snapshot.Workspace.Note(document.CorePath)).OfType<Core.Notes.NoteDocument>();

    /// <summary>The notes on disk, parsed, and the library files they name that the workspace has not read.</summary>
    private Change.NotesLoaded ReadDiskNotes(Core.Workspace.WorkspaceSnapshot workspace, ImmutableArray<string> paths)
    {
        var clock = Stopwatch.StartNew();
        var notes = WorkspaceLoader.ParseNotes(paths);
        var libraries = FileReading.ReadNamedLibraries(workspace.UnreadLibraries(notes));
        host.Logger.LogDebug("Parsed {Notes} notes on disk in {Milliseconds} ms.", notes.Length, clock.ElapsedMilliseconds);
        return new Change.NotesLoaded(notes, libraries, FileReading.WriteTimes(notes.Select(n => n.Path)));
    }

    /// <summary>Whether a file event may change which files are the workspace's libraries, not only their text.</summary>
    public static bool NeedsReload(ImmutableArray<FileChange> files)
    {
        foreach (var f in files)
        {
            if (Path.GetFileName(f.Path) == Core.Workspace.WorkspaceConfig.FileName) return true;
            // A Quarto project's files say which bibliographies its notes use (Loading/QuartoFiles).
            var name = Path.GetFileName(f.Path);
            var quarto = name.StartsWith("_quarto", StringComparison.Ordinal) || name.StartsWith("_metadata.", StringComparison.Ordinal);
            if (quarto && (name.EndsWith(".yml", StringComparison.Ordinal) || name.EndsWith(".yaml", StringComparison.Ordinal))) return true;
            // So do a Manubot manuscript's tags and Manubot's cache of references (Loading/ManubotFiles).
            if (ManubotFiles.IsManuscriptFile(f.Path)) return true;
            if (f.Kind == FileChangeKind.Changed || WorkspaceChanges.IsNote(f.Path)) continue;
            // A library-like file came or went: a glob or discovery may now find more or fewer libraries.
            if (Core.Libraries.LibraryFormats.ByExtension(f.Path) is not null) return true;
        }
        return false;
    }
}
