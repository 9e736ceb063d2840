namespace BibServer.Server;

/// <summary>
/// The work that notifications started and that requests must see: the workspace's load, the reading of
/// libraries a note just named, file changes being applied. A request takes what is pending when it arrives
/// (on the ordered dispatch thread, so after every notification before it) and waits for it, bounded, before
/// it answers; the document path starts none of this, so a keystroke's requests never wait.
/// </summary>
internal sealed class PendingWork
{
    private readonly Lock _gate = new();
    private readonly List<Task> _running = [];

    /// <summary>Adds work to wait for; returns it, so a caller can start and track in one expression.</summary>
    public Task Track(Task work)
    {
        if (work.IsCompleted) return work;
        lock (_gate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(work);
        }
        return work;
    }

    /// <summary>What is running now, as one task (completed when nothing is).</summary>
    public Task Now()
    {
        lock (_gate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            return _running.Count == 0 ? Task.CompletedTask : Task.WhenAll(_running.ToArray());
        }
    }
}
