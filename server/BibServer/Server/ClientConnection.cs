using System.Text.Json;
using System.Threading.Channels;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>
/// The server's way to talk to the client. Notifications go through one queue and leave in the order they
/// were made (a "dropped" log line can never overtake the diagnostics it speaks of); their params are turned
/// into JSON when queued, so later changes to the objects cannot leak into them.
/// </summary>
internal sealed class ClientConnection
{
    private readonly JsonRpc _rpc;
    /// <summary>Notifications to send, in order; an entry with a completion source and no method marks a point in the queue.</summary>
    private readonly Channel<(string? Method, JsonElement Params, TaskCompletionSource? Sent)> _outbox =
        Channel.CreateUnbounded<(string?, JsonElement, TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public ClientConnection(JsonRpc rpc)
    {
        _rpc = rpc;
        _pump = Task.Run(PumpAsync);
    }

    public void Notify<T>(string method, T @params) => _outbox.Writer.TryWrite((method, LSP.LspJson.ToElement(@params), null));

    /// <summary>Completes when every notification queued before the call has been written to the client (or the connection is gone).</summary>
    public Task SentAsync()
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_outbox.Writer.TryWrite((null, default, sent))) sent.TrySetResult();
        return sent.Task;
    }

    /// <summary>Sends a request to the client and returns its result, or throws what the client answered.</summary>
    public Task<TResult> RequestAsync<TResult>(string method, object? @params, CancellationToken cancellationToken = default) =>
        _rpc.InvokeWithParameterObjectAsync<TResult>(method, @params is null ? null : LSP.LspJson.ToElement(@params), cancellationToken);

    /// <summary>Stops the queue; what is already queued is still sent.</summary>
    public Task CompleteAsync()
    {
        _outbox.Writer.TryComplete();
        return _pump;
    }

    private async Task PumpAsync()
    {
        await foreach (var (method, @params, sent) in _outbox.Reader.ReadAllAsync())
        {
            if (method is null)
            {
                sent?.TrySetResult();
                continue;
            }
            try
            {
                await _rpc.NotifyWithParameterObjectAsync(method, @params);
            }
            catch (Exception e) when (e is ConnectionLostException or ObjectDisposedException or IOException or OperationCanceledException)
            {
                // The client is gone; there is no one left to tell, and nothing left to wait for.
                _outbox.Writer.TryComplete();
                while (_outbox.Reader.TryRead(out var rest)) rest.Sent?.TrySetResult();
                return;
            }
        }
    }
}
