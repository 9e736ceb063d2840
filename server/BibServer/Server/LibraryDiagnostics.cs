using BibServer.Conversion;
using BibServer.Core.Features;
using BibServer.Documents;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>
/// Publishes the problems of library files that are not open in the editor (an open one goes through the
/// versioned document path instead), so a damaged entry shows in the library file and in the Problems list.
/// Clears what it published once a file's problems are gone.
/// </summary>
internal sealed class LibraryDiagnostics
{
    private readonly Lock _gate = new();
    private HashSet<string> _shown = new(StringComparer.Ordinal);

    public void Publish(ServerHost host, ServerSnapshot snapshot)
    {
        // A client that pulls gets library files' problems from workspace/diagnostic.
        if (host.Diagnostics.Pulled) return;
        var workspace = snapshot.Workspace;
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var messages = new List<LSP.PublishDiagnosticsParams>();
        foreach (var (path, library) in workspace.Libraries.Documents)
        {
            var uri = DocumentUris.FromPath(path);
            if (snapshot.Documents.Get(uri) is not null) continue;
            var diagnostics = Diagnostics.ForLibrary(workspace, path);
            if (diagnostics.IsEmpty) continue;
            shown.Add(uri);
            messages.Add(new LSP.PublishDiagnosticsParams(uri,
                diagnostics.Select(d => ToProto.Diagnostic(library.Lines, d)).ToArray()));
        }
        // bibserver.yaml's problems and the citation styles it or a Quarto project names that cannot be used.
        foreach (var file in WorkspaceFileProblems.Of(host, snapshot))
        {
            var uri = DocumentUris.FromPath(file.Path);
            if (snapshot.Documents.Get(uri) is not null || !shown.Add(uri)) continue;
            messages.Add(new LSP.PublishDiagnosticsParams(uri, [.. file.Diagnostics.Select(d => ToProto.Diagnostic(file.Lines, d))]));
        }
        lock (_gate)
        {
            foreach (var uri in _shown.Where(u => !shown.Contains(u)))
                host.Client.Notify(LSP.Methods.TextDocumentPublishDiagnostics, new LSP.PublishDiagnosticsParams(uri, []));
            foreach (var m in messages) host.Client.Notify(LSP.Methods.TextDocumentPublishDiagnostics, m);
            _shown = shown;
        }
    }
}
