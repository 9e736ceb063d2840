using System.Collections.Immutable;
using System.Text.Json;
using BibServer.Conversion;
using BibServer.Core.Text;
using BibServer.Server;
using BibServer.Documents;
using StreamJsonRpc;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// Pull diagnostics, for clients that announce them (textDocument.diagnostic): textDocument/diagnostic answers
/// for one document, open or not; workspace/diagnostic for every note and library of the workspace, so that a
/// client can list the broken citations of notes that are not open. Such a client gets nothing pushed (see
/// <see cref="DiagnosticsPublisher.Pulled"/>); a change that may touch every document sends it
/// workspace/diagnostic/refresh. Each report's result id is a hash of what it holds, so a client that sends it
/// back is told "unchanged" when nothing changed.
/// </summary>
internal static class PullDiagnosticsHandler
{
    /// <summary>How long a pull waits for the workspace's first load before it asks the client to pull again.</summary>
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a note whose own libraries are being read waits for them (as the push path does).</summary>
    private static readonly TimeSpan LibraryReadTimeout = TimeSpan.FromSeconds(2);

    public static void Register(LspRouter router)
    {
        var host = router.Host;
        // Decided at initialize, before the capabilities are announced (DiagnosticsPublisher.Configure).
        router.Announce((capabilities, _) => host.Diagnostics.Pulled
            ? capabilities with { DiagnosticProvider = new LSP.DiagnosticOptions(InterFileDependencies: true, WorkspaceDiagnostics: true) }
            : capabilities);
        router.AsyncRequest<LSP.DocumentDiagnosticParams, LSP.DocumentDiagnosticReport>(LSP.Methods.TextDocumentDiagnostic, HandleDocumentAsync);
        router.AsyncRequest<LSP.WorkspaceDiagnosticParams, LSP.WorkspaceDiagnosticReport>(LSP.Methods.WorkspaceDiagnostic, HandleWorkspaceAsync);
    }

    internal static async Task<LSP.DocumentDiagnosticReport> HandleDocumentAsync(RequestContext context, LSP.DocumentDiagnosticParams request, CancellationToken cancellationToken)
    {
        var uri = request.TextDocument.Uri;
        var snapshot = await LoadedAsync(context, cancellationToken);
        // A note that names a library being read is answered once the read is applied (or after a while anyway),
        // so that its bibliography does not show as missing for a moment.
        if (snapshot.Documents.Get(uri) is { } opened && DiagnosticsPublisher.NamesUnreadLibraries(snapshot, opened))
        {
            snapshot = await context.Host.State.WaitUntilAsync(
                s => s.Documents.Get(uri) is not { } d || !DiagnosticsPublisher.NamesUnreadLibraries(s, d), LibraryReadTimeout, cancellationToken)
                ?? context.Host.State.Current;
        }
        // A client that can be asked to pull again is answered without waiting for the search index of a library
        // just read; it is asked again once the index is built, and then gets the closest keys of broken citations.
        var refreshes = context.Host.Diagnostics.RefreshSupported;
        var complete = snapshot.Documents.Get(uri) is not { } open || Server.DocumentDiagnostics.ClosestKeysReady(snapshot, open);
        var items = DocumentItems(context.Host, snapshot, uri, cancellationToken, waitForIndex: !refreshes);
        var resultId = ResultId(items);
        if (snapshot.Documents.Get(uri) is { } document) context.Host.Diagnostics.AfterPull(snapshot, document, refreshWhenIndexed: refreshes && !complete);
        return request.PreviousResultId == resultId
            ? new LSP.DocumentDiagnosticReport(LSP.DocumentDiagnosticReportKind.Unchanged, resultId)
            : new LSP.DocumentDiagnosticReport(LSP.DocumentDiagnosticReportKind.Full, resultId) { Items = items };
    }

    internal static async Task<LSP.WorkspaceDiagnosticReport> HandleWorkspaceAsync(RequestContext context, LSP.WorkspaceDiagnosticParams request, CancellationToken cancellationToken)
    {
        var snapshot = await LoadedAsync(context, cancellationToken);
        // The notes on disk are read just after the libraries; a pull in between would report none of them.
        // A load that failed reads none (Server/WorkspaceLoads.cs marks it "Failed"), so there is nothing to wait for then.
        if (!snapshot.DiskNotesRead && snapshot.LibrarySource != "Failed")
        {
            snapshot = await context.Host.State.WaitUntilAsync(s => s.DiskNotesRead || s.LibrarySource == "Failed", LoadTimeout, cancellationToken)
                ?? throw StillReading();
        }
        var previous = request.PreviousResultIds
            .GroupBy(p => p.Uri, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var reports = new List<LSP.WorkspaceDocumentDiagnosticReport>();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        void Report(string uri, int? version, LSP.Diagnostic[] items)
        {
            if (!reported.Add(uri)) return;
            var resultId = ResultId(items);
            reports.Add(previous.GetValueOrDefault(uri) == resultId
                ? new LSP.WorkspaceDocumentDiagnosticReport(LSP.DocumentDiagnosticReportKind.Unchanged, uri, resultId) { Version = version }
                : new LSP.WorkspaceDocumentDiagnosticReport(LSP.DocumentDiagnosticReportKind.Full, uri, resultId) { Version = version, Items = items });
        }

        // Open documents first, from their buffers, as a document pull would answer for them.
        var open = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in snapshot.Documents.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            open.Add(document.CorePath);
            Report(document.Uri, document.Version, DocumentItems(context.Host, snapshot, document.Uri, cancellationToken));
        }
        var workspace = snapshot.Workspace;
        foreach (var (path, note) in workspace.Notes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (open.Contains(path)) continue;
            Report(DocumentUris.UriOf(path), null, ToProto(note.Lines, NoteItems(context.Host, snapshot, note)));
        }
        foreach (var (path, library) in workspace.Libraries.Documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (open.Contains(path)) continue;
            var uri = DocumentUris.UriOf(path);
            var items = ToProto(library.Lines, Features.Diagnostics.ForLibrary(workspace, path));
            // A library without problems is reported only to clear what the client showed for it.
            if (items.Length > 0 || previous.ContainsKey(uri)) Report(uri, null, items);
        }
        // The citation styles a Quarto project or bibserver.yaml names that cannot be used, at their line.
        foreach (var file in WorkspaceFileProblems.Of(context.Host, snapshot))
        {
            if (open.Contains(file.Path)) continue;
            Report(DocumentUris.UriOf(file.Path), null, ToProto(file.Lines, file.Diagnostics));
        }
        // A file the client knows of that the workspace no longer has (deleted, or no longer a library): cleared.
        foreach (var uri in previous.Keys.Where(u => !reported.Contains(u)).ToList()) Report(uri, null, []);
        return new LSP.WorkspaceDiagnosticReport(reports);
    }

    /// <summary>
    /// The snapshot to answer from: the request's own once the workspace has been read, else the first one that
    /// has it. Before the first load every citation would look broken; should the load take too long, the client
    /// is told to ask again (ServerCancelled with retriggerRequest), as the specification provides.
    /// </summary>
    private static async Task<ServerSnapshot> LoadedAsync(RequestContext context, CancellationToken cancellationToken)
    {
        if (context.Snapshot.WorkspaceLoaded) return context.Snapshot;
        return await context.Host.State.WaitUntilAsync(s => s.WorkspaceLoaded, LoadTimeout, cancellationToken) ?? throw StillReading();
    }

    private static LocalRpcException StillReading() =>
        new($"The workspace is still being read after {LoadTimeout.TotalSeconds:0} s; ask again.")
        {
            ErrorCode = LSP.ErrorCodes.ServerCancelled,
            ErrorData = new LSP.DiagnosticServerCancellationData(RetriggerRequest: true),
        };

    /// <summary>A document's diagnostics: an open one's from its buffer (as pushed), else the workspace's file's.</summary>
    private static LSP.Diagnostic[] DocumentItems(ServerHost host, ServerSnapshot snapshot, string uri, CancellationToken cancellationToken, bool waitForIndex = true)
    {
        if (snapshot.Documents.Get(uri) is { } document)
        {
            // The pushed diagnostics' provider names closest keys only once the libraries' search index is built.
            if (waitForIndex) Server.DocumentDiagnostics.PrepareClosestKeys(snapshot, document);
            return [.. host.Diagnostics.HeldForPull(document, host.Diagnostics.Provider!(snapshot, document, cancellationToken))
                .Select(d => Conversion.ToProto.Diagnostic(document.Lines, d))];
        }
        if (DocumentUris.ToPath(uri) is not { } path) return [];
        var workspace = snapshot.Workspace;
        if (workspace.Note(path) is { } note) return ToProto(note.Lines, NoteItems(host, snapshot, note));
        if (workspace.Library(path) is { } library) return ToProto(library.Lines, Features.Diagnostics.ForLibrary(workspace, path));
        return WorkspaceFileProblems.Of(host, snapshot).FirstOrDefault(f => f.Path == path) is { Path: not null } file
            ? ToProto(file.Lines, file.Diagnostics)
            : [];
    }

    /// <summary>A note on disk's diagnostics: the core's, and the problem of the citation style it names.</summary>
    private static ImmutableArray<Features.FileDiagnostic> NoteItems(ServerHost host, ServerSnapshot snapshot, Core.Notes.NoteDocument note)
    {
        var found = Features.Diagnostics.ForNote(snapshot.Workspace, note);
        return note.FrontMatter?.Csl is not null && host.Styles.ProblemOf(snapshot.Workspace, note, snapshot.Roots) is { } style
            ? found.Add(new Features.FileDiagnostic(style, "csl-style"))
            : found;
    }

    private static LSP.Diagnostic[] ToProto(LineIndex lines, ImmutableArray<Features.FileDiagnostic> found) =>
        [.. found.Select(d => Conversion.ToProto.Diagnostic(lines, d))];

    /// <summary>What the report holds, hashed: equal ids mean equal diagnostics, so "unchanged" is always true.</summary>
    private static string ResultId(LSP.Diagnostic[] items) =>
        Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(JsonSerializer.SerializeToUtf8Bytes(items, LSP.LspJson.Options)));
}
