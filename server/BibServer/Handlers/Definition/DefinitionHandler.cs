using BibServer.Documents;
using BibServer.Conversion;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>textDocument/definition: from a citation to the paper's entries; from an entry to every entry of its key.</summary>
internal static class DefinitionHandler
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with { DefinitionProvider = true });
        router.Request<LSP.DefinitionParams, LSP.Location[]>(LSP.Methods.TextDocumentDefinition, Handle);
    }

    internal static LSP.Location[] Handle(RequestContext context, LSP.DefinitionParams request, CancellationToken cancellationToken)
    {
        if (context.Document(request.TextDocument) is not { } document) return [];
        var offset = FromProto.Offset(document, request.Position);
        var workspace = context.Snapshot.Workspace;
        return ToProto.Locations(workspace, Features.Definition.Find(workspace, document.CorePath, offset));
    }
}
