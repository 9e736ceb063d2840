using BibServer.Server;

namespace BibServer.Handlers;

/// <summary>
/// Every LSP method the server serves, one line per feature. A feature's file registers its methods and adds
/// its part of the capabilities, so adding a feature is a new handler file and a line here.
/// </summary>
internal static class HandlerRegistry
{
    public static void RegisterAll(LspRouter router)
    {
        LifecycleHandlers.Register(router);
        TextSyncHandlers.Register(router);
        WorkspaceHandlers.Register(router);
        HoverHandler.Register(router);
        CompletionHandler.Register(router);
        LibraryStatsHandler.Register(router);
        DefinitionHandler.Register(router);
        ReferencesHandler.Register(router);
        PrepareRenameHandler.Register(router);
        RenameHandler.Register(router);
        CodeActionHandler.Register(router);
        WorkspaceSymbolHandler.Register(router);
        DocumentSymbolHandler.Register(router);
        CodeLensHandler.Register(router);
        StyleHandlers.Register(router);
        AnnotationsHandler.Register(router);
        ZoteroRemarksHandler.Register(router);
        PullDiagnosticsHandler.Register(router);
    }
}
