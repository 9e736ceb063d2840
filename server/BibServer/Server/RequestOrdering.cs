using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace BibServer.Server;

/// <summary>
/// Every request is answered on a state that includes every notification the client sent before it. A
/// notification's own change is applied before the next message is read, but some start work that ends
/// later: the workspace's load after initialized, the reading of a library a just-opened note names, a batch
/// of file changes. A request that arrives while such work runs waits for it (and for what it starts in turn),
/// bounded by <see cref="LspServerOptions.RequestWait"/>; past the bound it answers with what is there,
/// marked incomplete, and says so in the log.
/// </summary>
internal static class RequestOrdering
{
    public static async Task<RequestContext> AfterAsync(ServerHost host, RequestContext arrived, Task pending, string method, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var bound = host.Options.RequestWait;
        var done = await Finished(pending, bound, cancellationToken);
        // The work may have started more (a file event that reloads the workspace): that is waited for too.
        if (done && host.Pending.Now() is { IsCompleted: false } more) done = await Finished(more, bound - clock.Elapsed, cancellationToken);
        if (!done)
            host.Logger.LogWarning("{Method} waited {Milliseconds} ms for the workspace's libraries and notes and is answered with what is read so far.",
                method, (int)clock.ElapsedMilliseconds);
        else host.Logger.LogTrace("{Method} waited {Milliseconds} ms for work begun before it.", method, (int)clock.ElapsedMilliseconds);
        return new RequestContext(host, Combine(arrived.Snapshot, host.State.Current)) { Incomplete = !done };
    }

    private static async Task<bool> Finished(Task work, TimeSpan bound, CancellationToken cancellationToken)
    {
        if (bound <= TimeSpan.Zero) return work.IsCompleted;
        try
        {
            await work.WaitAsync(bound, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Work that failed is done: it logged its failure, and the request answers from what there is.
        }
        return true;
    }

    /// <summary>
    /// The current state with the open documents as the request saw them: the workspace (libraries, notes on
    /// disk) as it is now, the buffers (and their notes) as they were, since the request's positions are in
    /// those versions and an edit sent after the request must not move them.
    /// </summary>
    internal static ServerSnapshot Combine(ServerSnapshot arrived, ServerSnapshot now)
    {
        if (ReferenceEquals(arrived.Documents, now.Documents)) return now;
        var notes = arrived.Documents.All
            .Select(d => arrived.Workspace.Note(d.CorePath))
            .OfType<Core.Notes.NoteDocument>();
        return arrived with { Workspace = now.Workspace.WithNotes(notes), WorkspaceLoaded = now.WorkspaceLoaded, LibrarySource = now.LibrarySource };
    }
}
