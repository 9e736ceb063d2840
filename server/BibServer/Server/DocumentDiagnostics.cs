using System.Collections.Immutable;
using BibServer.Documents;
using Features = BibServer.Core.Features;

namespace BibServer.Server;

/// <summary>
/// The diagnostics the server pushes for an open document: a note's broken citations and missing libraries,
/// or a library file's own problems. The publisher (Server/DiagnosticsPublisher.cs) does the timing, the
/// versions and the sending.
/// </summary>
internal static class DocumentDiagnostics
{
    public static DiagnosticsProvider? Provider { get; } = Compute;

    private static ImmutableArray<Features.FileDiagnostic> Compute(ServerSnapshot snapshot, OpenDocument document, CancellationToken cancellationToken)
    {
        // Until the workspace's libraries have been read once, every key would look unknown: a note opened at
        // start-up would flash red all over. Loading the workspace schedules every document again.
        if (snapshot.LibrarySource.Length == 0) return [];
        var workspace = snapshot.Workspace;
        var path = document.CorePath;
        return workspace.Note(path) is { } note
            ? Features.Diagnostics.ForNote(workspace, note, FirstAnswer)
            : Features.Diagnostics.ForLibrary(workspace, path);
    }

    /// <summary>
    /// Pushed diagnostics do not wait for the search index of a library just read (half a second for 100,000
    /// papers): a broken key's closest keys are named once it is built, when the publisher publishes again
    /// (<see cref="ClosestKeysReady"/>). Requests (code actions, hover, pulled diagnostics) compute them in full.
    /// </summary>
    private static readonly Features.NoteDiagnosticsOptions FirstAnswer = new(ClosestKeysIfReady: true);

    /// <summary>Whether a document's diagnostics can name the closest keys of its broken citations without waiting (always, for a library file).</summary>
    public static bool ClosestKeysReady(ServerSnapshot snapshot, OpenDocument document) =>
        snapshot.Workspace.Note(document.CorePath) is not { } note || Features.Search.ClosestKeys.IsReady(snapshot.Workspace.ScopeOf(note));

    /// <summary>Builds what the closest keys of a document's broken citations need: the search index of every library its note sees.</summary>
    public static void PrepareClosestKeys(ServerSnapshot snapshot, OpenDocument document)
    {
        if (snapshot.Workspace.Note(document.CorePath) is { } note) Features.Search.ClosestKeys.Prepare(snapshot.Workspace.ScopeOf(note));
    }
}
