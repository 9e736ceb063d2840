using BibServer.Server;

namespace BibServer.Handlers;

/// <summary>
/// The diagnostics the server pushes for open documents. The publisher (Server/DiagnosticsPublisher.cs) does
/// the timing, versioning and sending; this is only the computation, and it is the core's to fill in:
/// <code>
/// public static DiagnosticsProvider? Provider { get; } =
///     (snapshot, document, cancellationToken) => Diagnostics.Find(snapshot.Workspace, document.Path ?? document.Uri);
/// </code>
/// </summary>
internal static class DocumentDiagnostics
{
    public static DiagnosticsProvider? Provider { get; } = null;
}
