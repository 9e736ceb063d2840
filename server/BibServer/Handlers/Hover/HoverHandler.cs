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
        // The reference in the note's citation style, rendered within a bound (StyleService.RenderWait), else
        // the paper's fields now and the reference on the next hover.
        var workspace = context.Snapshot.Workspace;
        var hover = await context.Host.Styles.WithinRenderWaitAsync(context.Snapshot, document,
            style => Features.Hover.Find(workspace, document.CorePath, offset, new Features.HoverOptions(style)), cancellationToken);
        if (hover is null) return null;
        return new LSP.Hover(ToProto.Markdown(hover.Markdown), ToProto.Range(document.Lines, hover.Span));
    }
}
