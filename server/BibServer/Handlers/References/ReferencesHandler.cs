using BibServer.Documents;
using BibServer.Conversion;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>textDocument/references: every citation of the key in every note, open or not, and its entries when asked.</summary>
internal static class ReferencesHandler
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with { ReferencesProvider = true });
        router.Request<LSP.ReferenceParams, LSP.Location[]>(LSP.Methods.TextDocumentReferences, Handle);
    }

    internal static LSP.Location[] Handle(RequestContext context, LSP.ReferenceParams request, CancellationToken cancellationToken)
    {
        if (context.Document(request.TextDocument) is not { } document) return [];
        var offset = FromProto.Offset(document, request.Position);
        var workspace = context.Snapshot.Workspace;
        var found = Features.References.Find(workspace, document.CorePath, offset, request.Context.IncludeDeclaration);
        return ToProto.Locations(workspace, found);
    }
}
