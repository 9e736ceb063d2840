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
            ? Features.Diagnostics.ForNote(workspace, note)
            : Features.Diagnostics.ForLibrary(workspace, path);
    }
}
