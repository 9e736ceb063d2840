using System.Text.Json;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>
/// Server-initiated work-done progress (a spinner with a title in the client's status bar). The token is made
/// with window/workDoneProgress/create only when the client says it supports that; otherwise, or when the
/// client refuses, every call here does nothing, so callers never have to check.
/// <code>
/// await using var progress = await host.BeginProgressAsync("Indexing libraries");
/// progress.Report("refs.bib", percentage: 40);
/// </code>
/// </summary>
internal sealed class WorkDoneProgress : IAsyncDisposable
{
    private readonly ClientConnection? _client;
    private readonly JsonElement _token;
    private int _ended;

    private WorkDoneProgress(ClientConnection? client, string token)
    {
        _client = client;
        _token = LSP.LspJson.ToElement(token);
    }

    /// <summary>A progress that reports nothing.</summary>
    public static WorkDoneProgress None { get; } = new(null, "") { _ended = 1 };

    public bool IsActive => _client is not null && Volatile.Read(ref _ended) == 0;

    public static async Task<WorkDoneProgress> BeginAsync(
        ClientConnection client,
        LSP.ClientCapabilities capabilities,
        string title,
        string? message,
        ILogger logger,
        CancellationToken cancellationToken = default)
    {
        if (capabilities.Window?.WorkDoneProgress != true) return None;
        var token = "bibserver/" + Guid.NewGuid().ToString("N");
        try
        {
            await client.RequestAsync<JsonElement?>(LSP.Methods.WindowWorkDoneProgressCreate, new LSP.WorkDoneProgressCreateParams(token), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug("The client refused a progress token ({Message}); continuing without progress.", e.Message);
            return None;
        }
        var progress = new WorkDoneProgress(client, token);
        progress.Send(new LSP.WorkDoneProgressBegin(title, Cancellable: false, Message: message, Percentage: 0));
        return progress;
    }

    public void Report(string? message = null, int? percentage = null)
    {
        if (IsActive) Send(new LSP.WorkDoneProgressReport(Message: message, Percentage: percentage is { } p ? Math.Clamp(p, 0, 100) : null));
    }

    public void End(string? message = null)
    {
        if (_client is not null && Interlocked.Exchange(ref _ended, 1) == 0) Send(new LSP.WorkDoneProgressEnd(message));
    }

    public ValueTask DisposeAsync()
    {
        End();
        return ValueTask.CompletedTask;
    }

    private void Send(LSP.WorkDoneProgressValue value) =>
        _client!.Notify(LSP.Methods.Progress, new LSP.ProgressParams(_token, LSP.LspJson.ToElement(value)));
}

/// <summary>
/// Reports for a progress that the client has not granted yet: the last one is kept and shown when the
/// progress is attached, later ones go straight through. Lets work start before the token's round trip.
/// </summary>
internal sealed class LateProgress
{
    private readonly Lock _gate = new();
    private WorkDoneProgress? _progress;
    private (string? Message, int? Percentage)? _last;

    public void Report(string? message, int? percentage)
    {
        lock (_gate)
        {
            if (_progress is null) _last = (message, percentage);
            else _progress.Report(message, percentage);
        }
    }

    public void Attach(WorkDoneProgress progress)
    {
        lock (_gate)
        {
            _progress = progress;
            if (_last is { } last) progress.Report(last.Message, last.Percentage);
        }
    }
}
