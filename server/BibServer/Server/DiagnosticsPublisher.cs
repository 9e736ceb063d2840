using System.Collections.Immutable;
using System.Diagnostics;
using BibServer.Conversion;
using BibServer.Core.Features;
using BibServer.Documents;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>
/// Computes the problems of one open document against one snapshot. Runs off the request thread and may be
/// cancelled when a newer version of the document arrives.
/// </summary>
internal delegate ImmutableArray<FileDiagnostic> DiagnosticsProvider(ServerSnapshot snapshot, OpenDocument document, CancellationToken cancellationToken);

/// <summary>
/// Pushes diagnostics for open documents: right away when a document opens, and a short delay after the last
/// edit while the user types. Each publish carries the document version it was computed for, and a result
/// for a version that is no longer the current one is dropped, so the client never sees stale diagnostics.
/// </summary>
internal sealed class DiagnosticsPublisher(
    ServerState state,
    ClientConnection client,
    DiagnosticsProvider? provider,
    TimeSpan delay,
    ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CancellationTokenSource> _pending = [];

    /// <summary>What an open document's diagnostics are, pushed or pulled (the style's problem included).</summary>
    public DiagnosticsProvider? Provider => provider;

    /// <summary>When each document's latest edit arrived (a Stopwatch timestamp), for <see cref="TypingHold"/>.</summary>
    private readonly Dictionary<string, long> _editedAt = [];

    /// <summary>How long a key being typed keeps its unknown-key error back (<see cref="TypingHold"/>).</summary>
    public TimeSpan TypingPause { get; init; } = TimeSpan.FromSeconds(1);
    private bool _stopped;

    /// <summary>Work to start once a document's diagnostics have been sent (the citation styles' engine).</summary>
    public Func<ServerSnapshot, OpenDocument, Task>? Published { get; set; }

    /// <summary>Where a computation of diagnostics counts as work being answered (<see cref="RequestActivity"/>).</summary>
    public RequestActivity? Activity { get; init; }

    /// <summary>Whether an edit has been rehearsed (<see cref="RehearseEdit"/>): once per server.</summary>
    private int _rehearsed;

    /// <summary>A workspace/diagnostic/refresh is on its way to the client, and whether another one is due after it.</summary>
    private bool _refreshing, _refreshAgain;

    /// <summary>
    /// Whether the client pulls diagnostics (textDocument/diagnostic, Handlers/Diagnostics/PullDiagnosticsHandler.cs)
    /// instead of taking them pushed: then nothing is published, and a change that may touch every document asks
    /// the client to pull again (workspace/diagnostic/refresh). Set at initialize.
    /// </summary>
    public bool Pulled { get; private set; }

    /// <summary>Whether the client takes workspace/diagnostic/refresh (set at initialize, with <see cref="Pulled"/>).</summary>
    public bool RefreshSupported { get; private set; }

    /// <summary>At initialize: a client that announces pull diagnostics (textDocument.diagnostic) is served that way.</summary>
    public void Configure(LSP.ClientCapabilities client)
    {
        Pulled = client.TextDocument?.Diagnostic is not null && provider is not null;
        RefreshSupported = client.Workspace?.Diagnostics?.RefreshSupport == true;
    }

    /// <summary>
    /// Computes a document's diagnostics again: now (on open) or after the delay (on edit). The delay runs
    /// from <paramref name="changedAt"/> (a <see cref="Stopwatch"/> timestamp) when given: the moment the edit
    /// arrived, so that the time spent applying it (parsing the note) is part of the wait, not added to it.
    /// </summary>
    public void Schedule(string uri, bool immediate = false, long changedAt = 0) => Schedule(uri, immediate, changedAt, waitForLibraries: true, fallback: false);

    /// <summary>Computes a document's diagnostics again after a given wait: to publish what a typed key held back.</summary>
    private void ScheduleAfter(string uri, TimeSpan wait, CancellationTokenSource current) =>
        Schedule(uri, immediate: false, changedAt: 0, waitForLibraries: false, fallback: false, after: wait, unlessNewerThan: current);

    /// <summary>How long a note whose libraries are being read waits at most before it is checked anyway.</summary>
    private static readonly TimeSpan LibraryReadTimeout = TimeSpan.FromSeconds(2);

    private void Schedule(string uri, bool immediate, long changedAt, bool waitForLibraries, bool fallback, TimeSpan? after = null,
        CancellationTokenSource? unlessNewerThan = null)
    {
        if (provider is null) return;
        // A client that pulls asks for a document's diagnostics itself when it opens or changes it; the edit's
        // time is still kept, for the typing hold of its pulls (HeldForPull).
        if (Pulled)
        {
            if (changedAt != 0) lock (_gate) _editedAt[uri] = changedAt;
            return;
        }
        CancellationTokenSource cancellation;
        lock (_gate)
        {
            if (_stopped) return;
            // A computation scheduled since the one asking (a newer edit) decides for itself.
            if (unlessNewerThan is not null && _pending.TryGetValue(uri, out var newer) && newer != unlessNewerThan) return;
            if (changedAt != 0) _editedAt[uri] = changedAt;
            if (_pending.Remove(uri, out var previous)) previous.Cancel();
            cancellation = new CancellationTokenSource();
            _pending[uri] = cancellation;
        }
        var wait = after ?? (fallback ? LibraryReadTimeout : immediate ? TimeSpan.Zero : changedAt == 0 ? delay : delay - Stopwatch.GetElapsedTime(changedAt));
        _ = Task.Run(() => RunAsync(uri, wait, cancellation, waitForLibraries));
    }

    /// <summary>
    /// Computes every open document's diagnostics again, after a change that may touch them all: at once
    /// after a change on disk (no one is typing), after the delay for a change that may come in bursts.
    /// </summary>
    public void ScheduleAll(bool immediate = false)
    {
        if (Pulled)
        {
            Refresh();
            return;
        }
        foreach (var document in state.Current.Documents.All) Schedule(document.Uri, immediate);
    }

    /// <summary>
    /// Asks a pulling client to pull again. Changes in a burst (a load, then its notes) ask once more after the
    /// request in flight is answered, not once each.
    /// </summary>
    private void Refresh()
    {
        if (!RefreshSupported) return;
        lock (_gate)
        {
            if (_stopped) return;
            if (_refreshing)
            {
                _refreshAgain = true;
                return;
            }
            _refreshing = true;
        }
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    // Bounded: a client that never answers must not hold every later refresh back.
                    using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await client.RequestAsync<System.Text.Json.JsonElement?>(LSP.Methods.WorkspaceDiagnosticRefresh, null, limit.Token);
                }
                catch (Exception e)
                {
                    logger.LogDebug("The client did not take {Method}: {Message}", LSP.Methods.WorkspaceDiagnosticRefresh, e.Message);
                }
                lock (_gate)
                {
                    if (!_refreshAgain || _stopped)
                    {
                        _refreshing = false;
                        return;
                    }
                    _refreshAgain = false;
                }
            }
        });
    }

    /// <summary>
    /// A pulled answer for a document has been computed: the work that follows the first diagnostics of a push
    /// (<see cref="AfterPublishAsync"/>) follows it too.
    /// </summary>
    /// <param name="refreshWhenIndexed">The answer did not wait for the search index: the client is asked to pull again once it is built.</param>
    public void AfterPull(ServerSnapshot snapshot, OpenDocument document, bool refreshWhenIndexed = false) =>
        _ = AfterPublishAsync(snapshot, document, refreshWhenIndexed: refreshWhenIndexed);

    /// <summary>
    /// For a client that pulls: what to report for an open document now, with the key being typed held back as
    /// the push path holds it (<see cref="TypingHold"/>); once the writer pauses, the client is asked to pull
    /// again (workspace/diagnostic/refresh), and that pull, past the pause, reports the key's error.
    /// </summary>
    public ImmutableArray<FileDiagnostic> HeldForPull(OpenDocument document, ImmutableArray<FileDiagnostic> problems)
    {
        long editedAt;
        lock (_gate) editedAt = _editedAt.GetValueOrDefault(document.Uri);
        var (shown, again) = TypingHold.Apply(document, problems, editedAt, TypingPause);
        if (again is { } pause) _ = RefreshAfterAsync(pause);
        return shown;
    }

    /// <summary>The refresh due once the writer pauses: one at a time, each keystroke's pull replacing the one before.</summary>
    private CancellationTokenSource? _pullHold;

    private async Task RefreshAfterAsync(TimeSpan pause)
    {
        var mine = new CancellationTokenSource();
        lock (_gate)
        {
            _pullHold?.Cancel();
            _pullHold = mine;
        }
        try
        {
            await Task.Delay(pause, mine.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        lock (_gate)
        {
            if (_pullHold == mine) _pullHold = null;
        }
        if (!_stopped) Refresh();
    }

    /// <summary>Stops work on a closed document and clears what the client shows for it.</summary>
    public void Clear(string uri)
    {
        lock (_gate)
        {
            if (_pending.Remove(uri, out var previous)) previous.Cancel();
            _editedAt.Remove(uri);
            if (_stopped || provider is null || Pulled) return;
            client.Notify(LSP.Methods.TextDocumentPublishDiagnostics, new LSP.PublishDiagnosticsParams(uri, []));
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            foreach (var pending in _pending.Values) pending.Cancel();
            _pending.Clear();
        }
    }

    private async Task RunAsync(string uri, TimeSpan wait, CancellationTokenSource cancellation, bool waitForLibraries)
    {
        var token = cancellation.Token;
        try
        {
            if (wait > TimeSpan.Zero) await Task.Delay(wait, token);
            var snapshot = state.Current;
            if (snapshot.Documents.Get(uri) is not { } document) return;
            // Before the workspace is read every citation would look broken; the load schedules this document again.
            if (!snapshot.WorkspaceLoaded) return;
            // A note that names a library being read (it was just opened, or its bibliography line edited) is
            // checked when the read is applied, which schedules every open document: checked now, its
            // bibliography would flash as missing. Should no read come, it is checked anyway after a while.
            if (waitForLibraries && NamesUnreadLibraries(snapshot, document))
            {
                Schedule(uri, immediate: false, changedAt: 0, waitForLibraries: false, fallback: true);
                return;
            }
            var computing = System.Diagnostics.Stopwatch.GetTimestamp();
            // A keystroke's diagnostics are what the writer waits for: work that can wait (RenderAhead) waits.
            using var active = Activity?.Enter();
            // Asked before the provider runs: the index may be finished while it runs, and then it is not known
            // whether these diagnostics named the closest keys.
            var complete = DocumentDiagnostics.ClosestKeysReady(snapshot, document);
            var problems = provider!(snapshot, document, token);
            long editedAt;
            lock (_gate) editedAt = _editedAt.GetValueOrDefault(uri);
            var (shown, again) = TypingHold.Apply(document, problems, editedAt, TypingPause);
            if (!Publish(document, shown, cancellation, System.Diagnostics.Stopwatch.GetElapsedTime(computing))) return;
            // The key's error once the writer pauses; a newer edit cancels this and decides afresh.
            if (again is { } pause && !token.IsCancellationRequested) ScheduleAfter(uri, pause, cancellation);
            var unknownKeys = problems.Any(p => p.Code == Core.Features.DiagnosticCodes.UnknownKey);
            _ = AfterPublishAsync(snapshot, document, completeAgain: !complete && unknownKeys ? uri : null);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // A newer version (or a close) took over; it publishes instead.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Computing diagnostics for {Uri} failed.", uri);
        }
        finally
        {
            lock (_gate)
            {
                if (_pending.TryGetValue(uri, out var current) && current == cancellation) _pending.Remove(uri);
            }
            cancellation.Dispose();
        }
    }

    internal static bool NamesUnreadLibraries(ServerSnapshot snapshot, OpenDocument document)
    {
        if (snapshot.Workspace.Note(document.CorePath) is not { FrontMatter: not null } note) return false;
        return !snapshot.Workspace.UnreadLibraries([note]).IsEmpty;
    }

    /// <summary>
    /// With the answer the user waited for written to the client, the work that can wait: a large library just
    /// read is settled into the collector's oldest generation (a pause of a fifth of a second now, not inside a
    /// later request), then the note's completion is made ready (one-letter queries): once per library merge,
    /// never before the publish.
    /// </summary>
    /// <param name="completeAgain">
    /// A document whose diagnostics were published without the closest keys of its broken citations (the search
    /// index of a library just read was not built yet): the index is built now, and the document checked again;
    /// the settling and the rest wait for that publish.
    /// </param>
    private async Task AfterPublishAsync(ServerSnapshot snapshot, OpenDocument document, string? completeAgain = null, bool refreshWhenIndexed = false)
    {
        try
        {
            await client.SentAsync();
            if (!DocumentDiagnostics.ClosestKeysReady(snapshot, document))
            {
                var indexing = Stopwatch.GetTimestamp();
                await Task.Run(() => DocumentDiagnostics.PrepareClosestKeys(snapshot, document));
                logger.LogDebug("Built the search index of {Uri}'s libraries in {Milliseconds} ms.", document.Uri, (int)Stopwatch.GetElapsedTime(indexing).TotalMilliseconds);
            }
            if (completeAgain is not null)
            {
                Schedule(completeAgain, immediate: true);
                return;
            }
            if (refreshWhenIndexed) Refresh();
            var settling = Stopwatch.GetTimestamp();
            if (Loading.AllocationBurst.Settle())
            {
                Loading.NativeHeap.Trim();
                logger.LogDebug("Settled the libraries read into the collector's oldest generation in {Milliseconds} ms.", (int)Stopwatch.GetElapsedTime(settling).TotalMilliseconds);
            }
            if (snapshot.Workspace.Note(document.CorePath) is not null && Interlocked.Exchange(ref _rehearsed, 1) == 0) RehearseEdit(snapshot, document);
            await Core.Features.Completion.Prepare(snapshot.Workspace, document.CorePath);
            // The libraries just read from their files are cached for the next start, off the start's path.
            _ = Task.Run(() =>
            {
                try
                {
                    Loading.LibraryCacheFiles.WriteAll(snapshot.Workspace.Libraries.Documents.Values, logger);
                }
                catch (Exception e)
                {
                    // A cache not written costs the next start its speed, never this session anything.
                    logger.LogWarning("Writing the library cache failed: {Message}", e.Message);
                }
            });
            if (Published is { } published) await published(snapshot, document);
        }
        catch (Exception e)
        {
            logger.LogWarning("The work after publishing {Uri}'s diagnostics failed: {Message}", document.Uri, e.Message);
        }
    }

    /// <summary>
    /// Runs what the first keystroke in a note runs (the edit applied, the note read again, completion on the
    /// new text, its diagnostics) on a copy that is thrown away (a query with few matches: the code is what
    /// is wanted, not the answer), once after start-up: compiling that code took
    /// a fifth of a second, paid by the user's first completion while typing. Pure work on snapshots; nothing
    /// is published or kept (the copy keeps the document's version: no version the client may send is used).
    /// </summary>
    /// <remarks>Notes only: an edit of a library file would read and index the whole library again.</remarks>
    private void RehearseEdit(ServerSnapshot snapshot, OpenDocument document)
    {
        var started = Stopwatch.GetTimestamp();
        var end = document.Lines.GetPosition(document.Text.Length);
        var edited = Snapshots.Next(snapshot, new Change.DocumentEdited(document.Uri, document.Version, [DocumentChange.Replace(end, end, "\n[@qz")]));
        if (edited.Documents.Get(document.Uri) is not { } copy) return;
        Core.Features.Completion.Find(edited.Workspace, copy.CorePath, copy.Text.Length);
        provider?.Invoke(edited, copy, CancellationToken.None);
        logger.LogDebug("Rehearsed an edit of {Uri} in {Milliseconds} ms.", document.Uri, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Sends a document's diagnostics unless a newer computation or version took over; returns whether they were sent.</summary>
    private bool Publish(OpenDocument document, ImmutableArray<FileDiagnostic> problems, CancellationTokenSource cancellation, TimeSpan computed)
    {
        // The check and the send happen under one lock, so a result that passes the check is queued before any
        // later version's result can be.
        lock (_gate)
        {
            var current = state.Current.Documents.Get(document.Uri);
            if (cancellation.IsCancellationRequested)
            {
                logger.LogDebug("Dropped diagnostics for {Uri} version {Version}: a newer computation took over.", document.Uri, document.Version);
                return false;
            }
            if (_stopped || current is null || current.Version != document.Version)
            {
                logger.LogDebug("Dropped diagnostics for {Uri} version {Version}: the document is now at {Current}.",
                    document.Uri, document.Version, current?.Version.ToString() ?? "closed");
                return false;
            }
            var diagnostics = problems.Select(problem => ToProto.Diagnostic(document.Lines, problem)).ToArray();
            client.Notify(LSP.Methods.TextDocumentPublishDiagnostics, new LSP.PublishDiagnosticsParams(document.Uri, diagnostics, document.Version));
            logger.LogTrace("Published {Count} diagnostics for {Uri} version {Version}, computed in {Milliseconds} ms.",
                diagnostics.Length, document.Uri, document.Version, (int)computed.TotalMilliseconds);
            return true;
        }
    }
}
