using BibServer.Server;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>initialize, initialized, shutdown, exit and $/setTrace: the session's lifecycle, kept by <see cref="SessionLifecycle"/>.</summary>
internal static class LifecycleHandlers
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with { PositionEncoding = "utf-16" });
        router.LifecycleRequest<LSP.InitializeParams, LSP.InitializeResult>(LSP.Methods.Initialize,
            (context, request, _) => context.Host.Lifecycle.Initialize(request), LspRouter.RequestKind.Initialize);
        router.Notification<LSP.InitializedParams>(LSP.Methods.Initialized, (host, _) => host.Lifecycle.Initialized());
        router.LifecycleRequest<LSP.NoParams, object?>(LSP.Methods.Shutdown,
            (context, _, _) => { context.Host.Lifecycle.Shutdown(); return null; }, LspRouter.RequestKind.Shutdown);
        router.LifecycleNotification<LSP.NoParams>(LSP.Methods.Exit, (host, _) => host.Exit("the client sent exit"));
        router.Notification<LSP.SetTraceParams>(LSP.Methods.SetTrace, (host, request) => host.Apply(new Change.TraceChanged(request.Value)));
    }
}
