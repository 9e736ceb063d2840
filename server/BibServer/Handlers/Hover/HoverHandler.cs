using BibServer.Documents;
using BibServer.Conversion;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>textDocument/hover: from the protocol to an offset, the core's answer, back to the protocol.</summary>
internal static class HoverHandler
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with { HoverProvider = true });
        router.AsyncRequest<LSP.HoverParams, LSP.Hover?>(LSP.Methods.TextDocumentHover, Handle);
    }

    internal static async Task<LSP.Hover?> Handle(RequestContext context, LSP.HoverParams request, CancellationToken cancellationToken)
    {
        if (context.Document(request.TextDocument) is not { } document) return null;
        var offset = FromProto.Offset(document, request.Position);
        // The note's citation style, its engine awaited if it is still loading (bounded).
        var style = await context.Host.Styles.ForDocumentAsync(context.Snapshot, document, cancellationToken);
        var options = new Features.HoverOptions(style);
        if (Features.Hover.Find(context.Snapshot.Workspace, document.CorePath, offset, options) is not { } hover) return null;
        return new LSP.Hover(ToProto.Markdown(hover.Markdown), ToProto.Range(document.Lines, hover.Span));
    }
}
