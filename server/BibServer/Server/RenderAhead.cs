using BibServer.Core.Features;
using BibServer.Core.Notes;
using BibServer.Core.Styles;
using BibServer.Core.Workspace;
using Microsoft.Extensions.Logging;

namespace BibServer.Server;

/// <summary>
/// Renders the references and in-text forms an open note's hovers will show, ahead of them, in idle time: one
/// render at a time (a few milliseconds each), and only while no request is being answered
/// (<see cref="RequestActivity"/>), so a request never waits for more than the one render in flight and never
/// shares the two cores with a queue of them. The note whose diagnostics were published last goes first; a
/// newer version of a note replaces the work queued for the older one. What is rendered is memoised on the
/// papers (<see cref="ReferenceRenderer"/>), so the next hover of a paper is a look-up.
/// </summary>
internal sealed class RenderAhead(RequestActivity requests, ILogger logger)
{
    /// <summary>
    /// Called on the worker when the queue has run empty after at least <see cref="IdleAfter"/> renders since the
    /// last call: nothing left to render, a good time to collect what rendering left behind (not after every
    /// keystroke's check that finds everything rendered).
    /// </summary>
    public Action? Idle { get; set; }

    public const int IdleAfter = 32;

    private int _sinceIdle;

    private sealed class Work(string path, IEnumerator<Action> renders)
    {
        public string Path => path;
        public IEnumerator<Action> Renders => renders;
        public int Done;
    }

    /// <summary>A render a request asked for (<see cref="RenderAsync"/>), run and answered on the worker.</summary>
    private abstract class Wanted
    {
        public abstract void Run();

        public abstract void Drop();
    }

    private sealed class Wanted<T>(Func<T> job) : Wanted
    {
        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run()
        {
            try
            {
                Done.TrySetResult(job());
            }
            catch (Exception e)
            {
                Done.TrySetException(e);
            }
        }

        public override void Drop() => Done.TrySetCanceled();
    }

    /// <summary>At most this many requests' renders wait for the worker; past it the oldest is dropped.</summary>
    public const int WantedAtMost = 8;

    private readonly Lock _gate = new();
    private readonly LinkedList<Wanted> _wanted = new();
    private readonly List<Work> _queue = [];
    private readonly Dictionary<string, TaskCompletionSource> _rendered = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _worker;
    private bool _stopped;

    /// <summary>
    /// Queues the renders of a note's citations (<see cref="Renders"/>); this note goes first, and replaces what
    /// was queued for an earlier version of it.
    /// </summary>
    public void Note(NoteStyle style, NoteDocument note, NoteScope scope)
    {
        var work = new Work(note.Path, Renders(style, note, scope).GetEnumerator());
        lock (_gate)
        {
            if (_stopped) return;
            _queue.RemoveAll(w => w.Path == note.Path);
            _queue.Insert(0, work);
            if (_rendered.TryGetValue(note.Path, out var done) && done.Task.IsCompleted) _rendered.Remove(note.Path);
            _worker ??= Task.Run(RunAsync);
            _wake.TrySetResult();
        }
    }

    /// <summary>
    /// Runs a request's rendering (<paramref name="job"/>: the request's whole answer, renders included) on the
    /// worker, before anything rendered ahead and whether or not requests are being answered: so that there is
    /// one render in flight, however many requests want one, and never a pile of threads waiting for the engine.
    /// The newest request goes first (it is the one still waiting); past <see cref="WantedAtMost"/> waiting, the
    /// oldest is dropped (its task cancelled: its request has answered without it long ago).
    /// </summary>
    public Task<T> RenderAsync<T>(Func<T> job)
    {
        var wanted = new Wanted<T>(job);
        lock (_gate)
        {
            if (_stopped)
            {
                wanted.Drop();
                return wanted.Done.Task;
            }
            _wanted.AddFirst(wanted);
            if (_wanted.Count > WantedAtMost)
            {
                _wanted.Last!.Value.Drop();
                _wanted.RemoveLast();
            }
            _worker ??= Task.Run(RunAsync);
            _wake.TrySetResult();
        }
        return wanted.Done.Task;
    }

    /// <summary>
    /// Completes once the work queued last for the note (by <see cref="Note"/>) has been rendered; if none has
    /// been queued yet, once the first is. For tests, which must not race the background.
    /// </summary>
    public Task RenderedAsync(string path)
    {
        lock (_gate)
        {
            if (!_rendered.TryGetValue(path, out var done))
                _rendered[path] = done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return done.Task;
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _queue.Clear();
            foreach (var wanted in _wanted) wanted.Drop();
            _wanted.Clear();
            _wake.TrySetResult();
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            Work? work;
            Action? render = null;
            Task? wait = null;
            Wanted? wanted = null;
            lock (_gate)
            {
                if (_stopped) return;
                if (_wanted.First is { } first)
                {
                    wanted = first.Value;
                    _wanted.RemoveFirst();
                }
                // Rendering ahead in idle time only: a request being answered has both cores to itself (but for
                // the one render in flight).
                else if (_queue.Count == 0 || !requests.IsIdle)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _queue.Count == 0 ? _wake.Task : Task.WhenAny(_wake.Task, requests.WhenIdle());
                }
                work = _queue.Count > 0 ? _queue[0] : null;
            }
            if (wanted is not null)
            {
                wanted.Run();
                continue;
            }
            if (wait is not null || work is null)
            {
                if (wait is not null) await wait;
                continue;
            }
            // Looking for the next render is memo look-ups; the render itself is the one engine call.
            var found = false;
            try
            {
                found = work.Renders.MoveNext();
                if (found) render = work.Renders.Current;
            }
            catch (Exception e)
            {
                logger.LogDebug("Rendering ahead for {Path} stopped: {Message}", work.Path, e.Message);
            }
            if (!found)
            {
                lock (_gate)
                {
                    if (_queue.Remove(work))
                    {
                        logger.LogDebug("Rendered ahead {Count} references and in-text forms of {Path}.", work.Done, work.Path);
                        if (_rendered.TryGetValue(work.Path, out var done)) done.TrySetResult();
                        else _rendered[work.Path] = Completed();
                    }
                    if (_queue.Count > 0 || _sinceIdle < IdleAfter) continue;
                    _sinceIdle = 0;
                }
                try
                {
                    Idle?.Invoke();
                }
                catch (Exception e)
                {
                    logger.LogDebug("After rendering ahead: {Message}", e.Message);
                }
                continue;
            }
            try
            {
                render!();
                work.Done++;
                Interlocked.Increment(ref _sinceIdle);
            }
            catch (Exception e)
            {
                logger.LogDebug("A render ahead for {Path} failed: {Message}", work.Path, e.Message);
            }
        }
    }

    /// <summary>
    /// The renders a note's hovers need that are not memoised yet, each one engine call, in the order the note
    /// cites: a citation's paper's reference, then the in-text form of its cluster.
    /// </summary>
    public static IEnumerable<Action> Renders(NoteStyle style, NoteDocument note, NoteScope scope)
    {
        style = style with { RendersMissing = true };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var citation in note.Citations)
        {
            if (citation.IsCrossReference || scope.Find(citation.Key) is not { } paper) continue;
            if (seen.Add(citation.Key) && !style.Renderer.IsRendered(paper, style.Style, style.Locale)) yield return () => style.Reference(paper);
            var cluster = StyledText.Cluster(note, scope, citation);
            if (!style.Renderer.TryInText(cluster, style.Style, style.Locale, out _)) yield return () => style.InText(cluster);
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
