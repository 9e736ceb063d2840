namespace BibServer.Server;

/// <summary>
/// How many requests the server is answering now. Background work that only makes later answers faster (the
/// render-ahead of references, <see cref="RenderAhead"/>) runs when this is zero, so that it never takes a core
/// from a request on a two-core machine.
/// </summary>
internal sealed class RequestActivity
{
    private readonly Lock _gate = new();
    private int _inFlight;
    private TaskCompletionSource _idle = Completed();

    /// <summary>Whether no request is being answered.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate) return _inFlight == 0;
        }
    }

    /// <summary>A request begins; disposing the result ends it.</summary>
    public Scope Enter()
    {
        lock (_gate)
        {
            if (_inFlight++ == 0) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return new Scope(this);
    }

    /// <summary>Completes when no request is being answered (at once if none is).</summary>
    public Task WhenIdle()
    {
        lock (_gate) return _idle.Task;
    }

    private void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_inFlight == 0) idle = _idle;
        }
        idle?.TrySetResult();
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    public readonly struct Scope(RequestActivity activity) : IDisposable
    {
        public void Dispose() => activity.Exit();
    }
}
