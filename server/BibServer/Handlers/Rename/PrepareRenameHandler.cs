using BibServer.Documents;
using BibServer.Conversion;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// textDocument/prepareRename: the key's range and text, or an error (RequestFailed) whose message says why
/// this key cannot be renamed (a key BibServer made for a scraped list, a cross-reference, no key here).
/// </summary>
internal static class PrepareRenameHandler
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with { RenameProvider = new LSP.RenameOptions(PrepareProvider: true) });
        router.Request<LSP.PrepareRenameParams, LSP.PrepareRenameResult?>(LSP.Methods.TextDocumentPrepareRename, Handle);
    }

    internal static LSP.PrepareRenameResult? Handle(RequestContext context, LSP.PrepareRenameParams request, CancellationToken cancellationToken)
    {
        if (context.Document(request.TextDocument) is not { } document) return null;
        var offset = FromProto.Offset(document, request.Position);
        var prepared = Features.Rename.Prepare(context.Snapshot.Workspace, document.CorePath, offset);
        if (prepared.IsRefused) throw LspErrors.RequestFailed(prepared.Refusal!);
        return new LSP.PrepareRenameResult(ToProto.Range(document.Lines, prepared.Value!.Span), prepared.Value.Key);
    }
}
