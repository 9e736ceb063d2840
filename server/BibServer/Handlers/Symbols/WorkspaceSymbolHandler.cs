using BibServer.Conversion;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>workspace/symbol: the workspace's papers, searched by key, title words, authors and year.</summary>
internal static class WorkspaceSymbolHandler
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with { WorkspaceSymbolProvider = true });
        router.Request<LSP.WorkspaceSymbolParams, LSP.SymbolInformation[]>(LSP.Methods.WorkspaceSymbol, Handle);
    }

    internal static LSP.SymbolInformation[] Handle(RequestContext context, LSP.WorkspaceSymbolParams request, CancellationToken cancellationToken)
    {
        var workspace = context.Snapshot.Workspace;
        return [.. Features.Symbols.Workspace(workspace, request.Query)
            .Select(s => ToProto.Location(workspace, new Features.FileSpan(s.Location.Path, s.Location.FocusSpan)) is { } location
                ? new LSP.SymbolInformation(s.Name, LSP.SymbolKind.Object, location, s.ContainerName)
                : null)
            .OfType<LSP.SymbolInformation>()];
    }
}
