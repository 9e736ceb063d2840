using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using BibServer.Conversion;
using BibServer.Documents;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>What a request handler gets: the snapshot current when the request arrived, and the host.</summary>
internal sealed class RequestContext(ServerHost host, ServerSnapshot snapshot)
{
    /// <summary>Whether work the request waited for (a load, a library being read) was not done in time: the answer may lack some of it.</summary>
    public bool Incomplete { get; init; }

    public ServerHost Host => host;

    /// <summary>The snapshot to answer from. Later changes never show up in it.</summary>
    public ServerSnapshot Snapshot => snapshot;

    public ILogger Logger => host.Logger;

    public LSP.ClientCapabilities ClientCapabilities => host.ClientCapabilities;

    /// <summary>The open document, or null when the client asks about one it never opened (answer empty then).</summary>
    public OpenDocument? Document(LSP.TextDocumentIdentifier document) => snapshot.Documents.Get(document.Uri);
}

/// <summary>
/// The table of LSP methods the server serves. Each feature registers itself here (its methods, and what it
/// adds to the capabilities announced at initialize), so adding a feature touches one handler file and one
/// line in <c>HandlerRegistry.RegisterAll</c>, which <c>LspServer.Create</c> calls where the server is assembled. The router does what every handler would otherwise repeat: the lifecycle
/// rules of the specification, reading params (malformed ones are answered with InvalidParams), running
/// requests off the dispatch thread on the snapshot they arrived at, and turning failures into LSP errors
/// without stopping the server.
/// </summary>
internal sealed class LspRouter(ServerHost host)
{
    private readonly Dictionary<string, Endpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly List<Func<LSP.ServerCapabilities, LSP.ClientCapabilities, LSP.ServerCapabilities>> _announcements = [];

    public ServerHost Host => host;

    public IEnumerable<string> Methods => _endpoints.Keys;

    /// <summary>Adds to the capabilities the server announces, possibly depending on what the client can do.</summary>
    public void Announce(Func<LSP.ServerCapabilities, LSP.ClientCapabilities, LSP.ServerCapabilities> add) => _announcements.Add(add);

    /// <summary>A request whose handler computes its answer on a thread-pool thread from the request's snapshot.</summary>
    public void Request<TParams, TResult>(string method, Func<RequestContext, TParams, CancellationToken, TResult> handler) =>
        Add(new RequestEndpoint<TParams, TResult>(this, method, (context, request, cancellationToken) => Task.FromResult(handler(context, request, cancellationToken)), RequestKind.Feature));

    /// <summary>A request whose handler needs to await (for example a request of its own to the client).</summary>
    public void AsyncRequest<TParams, TResult>(string method, Func<RequestContext, TParams, CancellationToken, Task<TResult>> handler) =>
        Add(new RequestEndpoint<TParams, TResult>(this, method, handler, RequestKind.Feature));

    /// <summary>
    /// A notification. Its handler runs on the dispatch thread, in the order the client sent notifications,
    /// before the next message is read: keep it quick and hand slow work to a task.
    /// </summary>
    public void Notification<TParams>(string method, Action<ServerHost, TParams> handler) =>
        Add(new NotificationEndpoint<TParams>(this, method, handler, allowedAnyTime: false));

    /// <summary>The lifecycle requests (initialize, shutdown), which run inline and have rules of their own.</summary>
    internal void LifecycleRequest<TParams, TResult>(string method, Func<RequestContext, TParams, CancellationToken, TResult> handler, RequestKind kind) =>
        Add(new RequestEndpoint<TParams, TResult>(this, method, (context, request, cancellationToken) => Task.FromResult(handler(context, request, cancellationToken)), kind));

    /// <summary>A notification served in any state, like exit.</summary>
    internal void LifecycleNotification<TParams>(string method, Action<ServerHost, TParams> handler) =>
        Add(new NotificationEndpoint<TParams>(this, method, handler, allowedAnyTime: true));

    public LSP.ServerCapabilities Capabilities(LSP.ClientCapabilities client) =>
        _announcements.Aggregate(new LSP.ServerCapabilities(), (capabilities, add) => add(capabilities, client));

    public void AttachTo(JsonRpc rpc)
    {
        foreach (var (method, endpoint) in _endpoints)
        {
            rpc.AddLocalRpcMethod(endpoint.Entry, endpoint, new JsonRpcMethodAttribute(method) { UseSingleObjectParameterDeserialization = true });
        }
    }

    private void Add(Endpoint endpoint)
    {
        if (!_endpoints.TryAdd(endpoint.Method, endpoint)) throw new InvalidOperationException($"Two handlers for {endpoint.Method}.");
    }

    internal enum RequestKind
    {
        /// <summary>A feature's request: served between initialize and shutdown, off the dispatch thread.</summary>
        Feature,
        /// <summary>initialize: served once, before anything else, inline.</summary>
        Initialize,
        /// <summary>shutdown: served after initialize, inline.</summary>
        Shutdown,
    }

    private abstract class Endpoint(LspRouter router, string method)
    {
        public string Method => method;

        /// <summary>The method StreamJsonRpc calls.</summary>
        public abstract MethodInfo Entry { get; }

        protected LspRouter Router => router;

        protected ILogger Logger => router.Host.Logger;

        /// <summary>Reads params strictly; a missing params object reads as an empty one.</summary>
        protected static T Read<T>(JsonElement? @params, string method)
        {
            var json = @params is { ValueKind: not JsonValueKind.Null } given ? given : EmptyObject;
            try
            {
                return json.Deserialize<T>(LSP.LspJson.Options)
                    ?? throw LspErrors.InvalidParams($"The params of {method} are missing.");
            }
            catch (JsonException e)
            {
                throw LspErrors.InvalidParams($"The params of {method} are malformed: {e.Message}");
            }
        }

        private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
    }

    private sealed class RequestEndpoint<TParams, TResult>(
        LspRouter router,
        string method,
        Func<RequestContext, TParams, CancellationToken, Task<TResult>> handler,
        RequestKind kind) : Endpoint(router, method)
    {
        public override MethodInfo Entry => typeof(RequestEndpoint<TParams, TResult>).GetMethod(nameof(InvokeAsync))!;

        // StreamJsonRpc calls this; the parameter names and defaults matter to its binding, which lets a
        // request without params reach us as a null element.
        public async Task<object?> InvokeAsync(JsonElement? @params = null, CancellationToken cancellationToken = default)
        {
            var host = Router.Host;
            CheckLifecycle(host.Phase);

            // Everything up to the first await runs on the ordered dispatch thread: params are read and the
            // snapshot is taken before the next message (an edit, say) can change the state.
            var request = Read<TParams>(@params, Method);
            var context = new RequestContext(host, host.State.Current);
            // What notifications before this request started and have not finished (RequestOrdering).
            var pending = kind == RequestKind.Feature ? host.Pending.Now() : Task.CompletedTask;
            var clock = Stopwatch.StartNew();
            // While a request is answered, background work that can wait (RenderAhead) waits.
            using var active = host.Requests.Enter();
            try
            {
                TResult result;
                if (kind != RequestKind.Feature) result = await handler(context, request, cancellationToken);
                else if (pending.IsCompleted) result = await Task.Run(() => handler(context, request, cancellationToken), cancellationToken);
                else result = await Task.Run(async () => await handler(await RequestOrdering.AfterAsync(host, context, pending, Method, cancellationToken), request, cancellationToken), cancellationToken);
                Logger.LogTrace("Answered {Method} in {Milliseconds} ms.", Method, clock.ElapsedMilliseconds);
                return result;
            }
            catch (LocalRpcException e)
            {
                Logger.LogDebug("Answered {Method} with error {Code}: {Message}", Method, e.ErrorCode, e.Message);
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Logger.LogDebug("Cancelled {Method} after {Milliseconds} ms.", Method, clock.ElapsedMilliseconds);
                throw;
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Method} failed.", Method);
                throw LspErrors.InternalError($"{Method} failed: {e.Message}");
            }
        }

        private void CheckLifecycle(ServerPhase phase)
        {
            switch (kind, phase)
            {
                case (RequestKind.Initialize, ServerPhase.Created):
                    return;
                case (RequestKind.Initialize, _):
                    throw LspErrors.InvalidRequest("The server is already initialized; initialize may be sent only once.");
                case (_, ServerPhase.Created):
                    throw LspErrors.ServerNotInitialized($"The server is not initialized yet, so it cannot answer {Method}: send initialize first.");
                case (_, ServerPhase.ShutDown or ServerPhase.Exited):
                    throw LspErrors.InvalidRequest($"The server is shutting down, so it no longer answers {Method}.");
            }
        }
    }

    private sealed class NotificationEndpoint<TParams>(
        LspRouter router,
        string method,
        Action<ServerHost, TParams> handler,
        bool allowedAnyTime) : Endpoint(router, method)
    {
        public override MethodInfo Entry => typeof(NotificationEndpoint<TParams>).GetMethod(nameof(Invoke))!;

        public void Invoke(JsonElement? @params = null)
        {
            var host = Router.Host;
            if (!allowedAnyTime && host.Phase != ServerPhase.Initialized)
            {
                // The specification says to drop notifications before initialize and after shutdown.
                Logger.LogDebug("Dropped {Method}: the server is {Phase}.", Method, host.Phase);
                return;
            }
            try
            {
                handler(host, Read<TParams>(@params, Method));
            }
            catch (LocalRpcException e)
            {
                Logger.LogWarning("Ignored {Method}: {Message}", Method, e.Message);
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Method} failed.", Method);
            }
        }
    }
}
