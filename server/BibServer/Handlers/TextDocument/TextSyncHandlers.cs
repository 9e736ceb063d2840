using BibServer.Conversion;
using BibServer.Server;
using BibServer.Documents;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>didOpen, didChange (incremental or whole), didClose and didSave: the client's open documents.</summary>
internal static class TextSyncHandlers
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with
        {
            TextDocumentSync = new LSP.TextDocumentSyncOptions
            {
                OpenClose = true,
                Change = LSP.TextDocumentSyncKind.Incremental,
                Save = new LSP.SaveOptions(IncludeText: false),
            },
        });
        router.Notification<LSP.DidOpenTextDocumentParams>(LSP.Methods.TextDocumentDidOpen, DidOpen);
        router.Notification<LSP.DidChangeTextDocumentParams>(LSP.Methods.TextDocumentDidChange, DidChange);
        router.Notification<LSP.DidCloseTextDocumentParams>(LSP.Methods.TextDocumentDidClose, DidClose);
        router.Notification<LSP.DidSaveTextDocumentParams>(LSP.Methods.TextDocumentDidSave, DidSave);
    }

    private static void DidOpen(ServerHost host, LSP.DidOpenTextDocumentParams request)
    {
        var item = request.TextDocument;
        host.Apply(new Change.DocumentOpened(OpenDocument.Create(item.Uri, item.Version, item.Text, item.LanguageId)));
        host.Logger.LogDebug("Opened {Uri} version {Version} ({Length} characters).", item.Uri, item.Version, item.Text.Length);
    }

    private static void DidChange(ServerHost host, LSP.DidChangeTextDocumentParams request)
    {
        var (uri, version) = (request.TextDocument.Uri, request.TextDocument.Version);
        if (host.State.Current.Documents.Get(uri) is not { } document)
        {
            host.Logger.LogWarning("Ignored a change to {Uri}, which is not open.", uri);
            return;
        }
        if (version <= document.Version)
        {
            // Versions must grow; applying the change anyway keeps our text in step with the client's.
            host.Logger.LogWarning("A change to {Uri} goes from version {Old} to {New}, which is not newer.", uri, document.Version, version);
        }
        host.Apply(new Change.DocumentEdited(uri, version, [.. request.ContentChanges.Select(FromProto.Change)]));
        host.Logger.LogTrace("Changed {Uri} to version {Version}.", uri, version);
    }

    private static void DidClose(ServerHost host, LSP.DidCloseTextDocumentParams request)
    {
        host.Apply(new Change.DocumentClosed(request.TextDocument.Uri));
        host.Logger.LogDebug("Closed {Uri}.", request.TextDocument.Uri);
    }

    private static void DidSave(ServerHost host, LSP.DidSaveTextDocumentParams request) =>
        host.Logger.LogTrace("Saved {Uri}.", request.TextDocument.Uri);
}
