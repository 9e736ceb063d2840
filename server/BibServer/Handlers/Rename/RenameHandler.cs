using BibServer.Documents;
using BibServer.Conversion;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// textDocument/rename: one WorkspaceEdit for the key's entries and every citation of it in every note, or an
/// error (RequestFailed) whose message says why the new name cannot be used.
/// </summary>
internal static class RenameHandler
{
    public static void Register(LspRouter router) =>
        router.Request<LSP.RenameParams, LSP.WorkspaceEdit?>(LSP.Methods.TextDocumentRename, Handle);

    internal static LSP.WorkspaceEdit? Handle(RequestContext context, LSP.RenameParams request, CancellationToken cancellationToken)
    {
        if (context.Document(request.TextDocument) is not { } document) return null;
        var offset = FromProto.Offset(document, request.Position);
        var workspace = context.Snapshot.Workspace;
        var edits = Features.Rename.Edits(workspace, document.CorePath, offset, request.NewName);
        if (edits.IsRefused) throw LspErrors.RequestFailed(edits.Refusal!);
        return ToProto.WorkspaceEdit(workspace, edits.Value!);
    }
}
