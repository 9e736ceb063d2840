using System.Diagnostics;
using System.Text.Json;
using BibServer.Documents;
using BibServer.Server.Logging;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>
/// The one way a change enters the session: <see cref="Apply"/> computes the next snapshot (pure, in
/// <see cref="Snapshots.Next"/>), swaps it in, and starts the work that follows from the change: diagnostics,
/// the log level, reading libraries a note names, reloading the workspace. Handlers only build changes.
/// </summary>
internal sealed class ChangeEffects(ServerHost host, ClientLoggerProvider clientLog)
{
    public ServerSnapshot Apply(Change change)
    {
        var arrived = Stopwatch.GetTimestamp();
        var (before, after) = host.State.Apply(change);
        var diagnostics = host.Diagnostics;
        // Read back rather than taken from "after": changes from two threads must leave the newest level.
        clientLog.Level.Level = host.State.Current.ClientLogLevel;
        // The size limit of every read (Loading/FileGuard), before a load the new settings may start.
        if (change is Change.Initialized or Change.SettingsChanged)
            Loading.FileGuard.MaxBytes = (after.Settings.MaxFileSizeMB ?? Loading.FileGuard.DefaultMaxMegabytes) << 20;
        switch (change)
        {
            case Change.DocumentOpened opened:
                diagnostics.Schedule(opened.Document.Uri, immediate: true);
                ReadNamedLibraries(after, opened.Document);
                // An opened library whose buffer differs from the disk changes what every open note sees.
                if (!ReferenceEquals(before.Workspace.Libraries, after.Workspace.Libraries)) AfterWorkspaceChange(before, after);
                break;
            case Change.DocumentEdited edited:
                diagnostics.Schedule(edited.Uri, changedAt: arrived);
                if (after.Documents.Get(edited.Uri) is { } document)
                {
                    ParseInBackground(after, document);
                    ReadNamedLibraries(after, document);
                    if (!ReferenceEquals(before.Workspace.Libraries, after.Workspace.Libraries))
                    {
                        // Typing in a library: every open note's citations are checked again, after the same delay.
                        LibrariesChanged(after);
                        diagnostics.ScheduleAll();
                    }
                }
                break;
            case Change.DocumentClosed closed:
                diagnostics.Clear(closed.Uri);
                // The buffer's unsaved text goes; what is on disk is the note or library again.
                if (DocumentUris.ToPath(closed.Uri) is { } closedPath) _ = host.FileChanges.Enqueue([(closedPath, Loading.FileChangeKind.Changed)]);
                break;
            case Change.SettingsChanged:
                if (!before.Settings.LibrariesEqual(after.Settings) && host.Phase == ServerPhase.Initialized) host.Pending.Track(host.Loads.LoadAsync());
                if (before.Settings.InlayHints != after.Settings.InlayHints) _ = StyleService.RefreshInlayHintsAsync(host);
                diagnostics.ScheduleAll();
                break;
            case Change.RootsChanged:
                host.FileChanges.RootsChanged(after.Roots);
                if (host.Phase == ServerPhase.Initialized) host.Pending.Track(host.Loads.LoadAsync());
                diagnostics.ScheduleAll();
                break;
            case Change.FilesChanged files:
                if (WorkspaceLoads.NeedsReload(files.Files)) host.Pending.Track(host.Loads.LoadAsync());
                AfterWorkspaceChange(before, after);
                break;
            case Change.LibrariesRead:
                AfterWorkspaceChange(before, after);
                break;
            case Change.NotesLoaded:
                if (!ReferenceEquals(before.Workspace.Libraries, after.Workspace.Libraries)) AfterWorkspaceChange(before, after);
                // The notes on disk hold the labels other notes' cross-references refer to (no such label); nothing
                // else in an open document's diagnostics depends on them, so a note without cross-references is not
                // checked again (at start-up that would cancel its first diagnostics, being computed).
                else if (diagnostics.Pulled) diagnostics.ScheduleAll(immediate: true);
                else
                    foreach (var open in after.Documents.All)
                        if (after.Workspace.Note(open.CorePath) is { } note && note.Citations.Any(c => c.IsCrossReference))
                            diagnostics.Schedule(open.Uri, immediate: true);
                break;
            case Change.WorkspaceLoaded:
                AfterWorkspaceChange(before, after);
                // The load read what the buffers named when it started; a bibliography typed since is read now.
                foreach (var open in after.Documents.All) ReadNamedLibraries(after, open);
                break;
        }
        return after;
    }

    /// <summary>
    /// The edited note is parsed in the background, during the diagnostics' delay: requests that need only its
    /// text (completion while typing) are answered without waiting for the parse. It starts half the delay after
    /// the edit: the completion an editor asks with a keystroke comes right after it, and on two cores a parse
    /// begun at once slowed it by a fifth (docs/benchmarks.md); the diagnostics, due at the end of the delay,
    /// still find it parsed.
    /// </summary>
    private void ParseInBackground(ServerSnapshot after, OpenDocument document)
    {
        var path = document.CorePath;
        if (after.Workspace.Note(path) is not { IsParsed: false } note) return;
        // Skipped when a newer keystroke has replaced this version meanwhile: it parses its own.
        _ = Task.Delay(host.Options.DiagnosticsDelay / 2).ContinueWith(_ =>
        {
            if (ReferenceEquals(host.State.Current.Workspace.Note(path), note)) note.EnsureParsed();
        }, TaskScheduler.Default);
    }

    /// <summary>
    /// Starts reading the libraries a note names in <c>bibliography:</c> that the workspace has not read yet.
    /// On a keystroke this is a lookup that finds nothing to do: a library is read once, when first named.
    /// </summary>
    private void ReadNamedLibraries(ServerSnapshot snapshot, OpenDocument document)
    {
        if (snapshot.Workspace.Note(document.CorePath) is not { } note) return;
        var wanted = snapshot.Workspace.UnreadLibraries([note]);
        if (!wanted.IsEmpty) host.Loads.ReadNamedLibraries(wanted);
    }

    private void AfterWorkspaceChange(ServerSnapshot before, ServerSnapshot after)
    {
        // The open notes' diagnostics first (they are computed on another thread): what the writer waits for
        // after start-up does not wait for the status and the libraries' own diagnostics (counting 100,000 papers).
        host.Diagnostics.ScheduleAll(immediate: true);
        if (!ReferenceEquals(before.Workspace.Libraries, after.Workspace.Libraries)) LibrariesChanged(after);
    }

    private void LibrariesChanged(ServerSnapshot after)
    {
        host.LibraryDiagnostics.Publish(host, after);
        host.FileChanges.WatchZotero(after);
        // The snapshot itself says whether its workspace has been read: a note's bibliography read just before
        // the first load is applied must not announce a finished index of 0 papers.
        SendStatus(after, indexing: !after.WorkspaceLoaded || host.Loads.Running);
    }

    /// <summary>Tells the client how many papers and problems there are (its status bar shows them).</summary>
    public void SendStatus(ServerSnapshot snapshot, bool indexing)
    {
        var stats = LibraryStatistics.Of(snapshot);
        host.Client.Notify("bibserver/status", new LSP.BibServerStatus(stats.Papers, stats.Problems, indexing, stats.Libraries.Length));
    }

    /// <summary>Asks the client for the settings (pull model), for clients that send didChangeConfiguration without them.</summary>
    public async Task PullSettingsAsync()
    {
        try
        {
            var items = await host.Client.RequestAsync<JsonElement?[]>(LSP.Methods.WorkspaceConfiguration,
                new LSP.ConfigurationParams([new LSP.ConfigurationItem(Section: "bibserver")]));
            ApplySettings(items is [var first, ..] ? first : null);
        }
        catch (Exception e)
        {
            host.Logger.LogWarning("Could not ask the client for settings: {Message}", e.Message);
        }
    }

    /// <summary>Settings the client sent (or was asked for): read, their problems logged, and applied.</summary>
    public void ApplySettings(JsonElement? json)
    {
        var (settings, problems) = ServerSettings.Parse(json);
        foreach (var problem in problems) host.Logger.LogWarning("{Problem}", problem);
        Apply(new Change.SettingsChanged(settings));
        host.Logger.LogDebug("Settings changed: {Count} libraries, log level {Level}.", settings.Libraries.Length, host.State.Current.ClientLogLevel);
    }
}
