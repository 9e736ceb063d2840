using System.Text.Json;
using BibServer.Conversion;
using BibServer.Server;
using Features = BibServer.Core.Features;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// What the note's citation style adds beyond hover: inlay hints with each key's in-text form (off unless the
/// inlayHints setting turns them on), the note's bibliography as pandoc would print it (a command the client's
/// "Preview bibliography" calls), and go to implementation, which opens the paper's page in the browser.
/// </summary>
internal static class StyleHandlers
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with
        {
            InlayHintProvider = true,
            ImplementationProvider = true,
            ExecuteCommandProvider = new LSP.ExecuteCommandOptions(
                [.. capabilities.ExecuteCommandProvider?.Commands ?? [], LSP.StyleMethods.PreviewBibliography]),
        });
        router.AsyncRequest<LSP.InlayHintParams, LSP.InlayHint[]>(LSP.StyleMethods.TextDocumentInlayHint, InlayHintsAsync);
        router.AsyncRequest<LSP.DefinitionParams, LSP.Location[]>(LSP.StyleMethods.TextDocumentImplementation, ImplementationAsync);
        router.AsyncRequest<LSP.ExecuteCommandParams, string?>(LSP.Methods.WorkspaceExecuteCommand, ExecuteAsync);
    }

    internal static async Task<LSP.InlayHint[]> InlayHintsAsync(RequestContext context, LSP.InlayHintParams request, CancellationToken cancellationToken)
    {
        if (!context.Snapshot.Settings.InlayHints || context.Document(request.TextDocument) is not { } document) return [];
        // Inlay hints (off unless turned on) render what they show, a screenful of short in-text forms: the one
        // request that does so on its path rather than within StyleService.RenderWait (the render-ahead yields to it).
        if (await context.Host.Styles.ForDocumentAsync(context.Snapshot, document, cancellationToken) is not { } style) return [];
        var range = FromProto.Span(document, request.Range);
        return Features.InlayHints.Find(context.Snapshot.Workspace, document.CorePath, range, style)
            .Select(h => new LSP.InlayHint(ToProto.Position(document.Lines, h.Offset), h.Label, PaddingLeft: true))
            .ToArray();
    }

    /// <summary>
    /// The paper's page (its DOI, else arXiv, else URL) opened outside the editor with window/showDocument, as
    /// a peer server does; no location is returned, so the editor does not also jump somewhere.
    /// </summary>
    internal static async Task<LSP.Location[]> ImplementationAsync(RequestContext context, LSP.DefinitionParams request, CancellationToken cancellationToken)
    {
        if (context.Document(request.TextDocument) is not { } document) return [];
        var offset = FromProto.Offset(document, request.Position);
        if (Features.KeyAt.Find(context.Snapshot.Workspace, document.CorePath, offset) is not { Paper: { } paper }) return [];
        if (Features.PaperLinks.Page(paper) is not { } page) return [];
        if (context.ClientCapabilities.Window?.ShowDocument?.Support != true) return [];
        try
        {
            await context.Host.Client.RequestAsync<LSP.ShowDocumentResult?>(LSP.StyleMethods.WindowShowDocument,
                new LSP.ShowDocumentParams(page, External: true, TakeFocus: true), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A client that fails to open the page has said so to its user; the request still answers.
            context.Logger.LogDebug("window/showDocument for {Page} failed: {Message}", page, e.Message);
        }
        return [];
    }

    /// <summary>bibserver.server.previewBibliography with the note's URI: the Markdown of its bibliography.</summary>
    internal static async Task<string?> ExecuteAsync(RequestContext context, LSP.ExecuteCommandParams request, CancellationToken cancellationToken)
    {
        if (request.Command == ZoteroRemarksHandler.ServerCommand) return ZoteroRemarksHandler.Execute(context, request, cancellationToken);
        if (request.Command != LSP.StyleMethods.PreviewBibliography) return null;
        if (request.Arguments is not [{ ValueKind: JsonValueKind.String } uri, ..]) return null;
        if (context.Document(new LSP.TextDocumentIdentifier(uri.GetString()!)) is not { } document) return null;
        if (await context.Host.Styles.ForDocumentAsync(context.Snapshot, document, cancellationToken) is not { } style) return null;
        return Features.BibliographyPreview.Markdown(context.Snapshot.Workspace, document.CorePath, style);
    }
}
