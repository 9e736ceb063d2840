using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using BibServer.Core.Notes;
using BibServer.Core.Styles;
using BibServer.Core.Text;
using BibServer.Core.Workspace;
using Microsoft.Extensions.Logging;

namespace BibServer.Server;

/// <summary>What a note renders with, and what is wrong with the style it names.</summary>
/// <param name="Style">The style to render with: the note's, the workspace's, else Chicago author-date.</param>
/// <param name="Lang">The note's <c>lang:</c>, if any.</param>
/// <param name="Problem">The diagnostic at the note's <c>csl:</c> value when its style cannot be used.</param>
internal sealed record StyleChoice(CslStyle Style, string? Lang, Problem? Problem);

/// <summary>
/// The IO side of citation styles: finds and reads the style a note names (pandoc's <c>csl:</c>, else
/// bibserver.yaml's, else the shipped Chicago author-date), the shipped styles and locales, and citeproc-js;
/// loads the engine once, in the background, the first time a note's diagnostics have been sent (never
/// before: start-up stays as fast as without it), then renders the note's references ahead in idle time
/// (<see cref="RenderAhead"/>). Files are read again only when their size or time stamp changes.
/// </summary>
internal sealed class StyleService(ILogger logger, RequestActivity? requests = null, string? assetsDirectory = null, ScriptRuntime runtime = ScriptRuntime.Best)
{
    /// <summary>How long a command that is all rendering (the bibliography's preview) waits at most for the engine still loading.</summary>
    public static readonly TimeSpan LoadWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a hover or a completion item's documentation waits at most for what it shows to be rendered
    /// (once the engine has loaded), before it answers with what is rendered already and the paper's fields for
    /// the rest. A first render takes 2-10 ms on a quiet machine: within this the writer sees the reference as
    /// the survey will print it on the first hover too, and the wait stays far below an editor's own hover
    /// delay (VS Code's is 300 ms).
    /// </summary>
    public static readonly TimeSpan RenderWait = TimeSpan.FromMilliseconds(15);

    private readonly string _assets = assetsDirectory ?? Path.Combine(AppContext.BaseDirectory, "csl");
    private readonly ConcurrentDictionary<string, (DateTime Time, long Length, CslStyle? Style, string? Error)> _files = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Task<ReferenceRenderer?>? _loading;
    private CslStyle? _default;
    private readonly ConcurrentDictionary<string, (DateTime Time, long Length, string? Csl)> _configs = new(StringComparer.Ordinal);

    /// <summary>The renders of open notes' references ahead of their hovers, in idle time.</summary>
    public RenderAhead Ahead { get; } = new(requests ?? new RequestActivity(), logger);

    /// <summary>Paths as pandoc reads them, "~/" being the user's home folder.</summary>
    private static readonly PathContext Paths = new(Environment.GetEnvironmentVariable("HOME"), null);

    /// <summary>The folder of the shipped styles (name.csl), where a bare <c>csl: apa</c> is also looked up.</summary>
    public string StylesDirectory => Path.Combine(_assets, "styles");

    /// <summary>Whether citeproc-js and the styles were shipped with the server (the build copies them from npm packages).</summary>
    public bool IsAvailable => File.Exists(Path.Combine(_assets, "citeproc.js")) && DefaultStyle is not null;

    /// <summary>The renderer if it has loaded, without waiting.</summary>
    public ReferenceRenderer? Ready => _loading is { IsCompletedSuccessfully: true } t ? t.Result : null;

    public CslStyle? DefaultStyle => _default ??= Read(Path.Combine(StylesDirectory, CslStyle.DefaultName + ".csl")).Style;

    /// <summary>How many renders the engine's load ends with (its warm-up): the first renders run its paths cold.</summary>
    public const int WarmUpRenders = 24;

    /// <summary>
    /// Starts loading the engine if nothing has; the task completes with null when it cannot load. The load ends
    /// with a warm-up: the first <see cref="WarmUpRenders"/> renders the note that asked for the engine needs
    /// (<paramref name="warmUp"/>), else made-up papers, so that a request that waited for the load finds the
    /// engine warm, and the note's first citations rendered.
    /// </summary>
    public Task<ReferenceRenderer?> Load(Func<ReferenceRenderer, IEnumerable<Action>>? warmUp = null)
    {
        lock (_gate)
        {
            return _loading ??= Task.Run(() => LoadEngine(warmUp));
        }
    }

    /// <summary>
    /// The renderer for a request: started if need be and awaited, bounded by <see cref="LoadWait"/>. Null when
    /// the server was built without the styles or the engine failed to load.
    /// </summary>
    public async Task<ReferenceRenderer?> RendererAsync(CancellationToken cancellationToken)
    {
        if (!IsAvailable) return null;
        var loading = Load();
        try
        {
            return await loading.WaitAsync(LoadWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The citation engine is still loading after {Seconds} s; answering without it.", LoadWait.TotalSeconds);
            return null;
        }
    }

    private ReferenceRenderer? LoadEngine(Func<ReferenceRenderer, IEnumerable<Action>>? warmUp)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var script = File.ReadAllText(Path.Combine(_assets, "citeproc.js"));
            var locales = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(_assets, "locales"), "locales-*.xml"))
                locales[Path.GetFileNameWithoutExtension(file)["locales-".Length..]] = File.ReadAllText(file);
            var engine = CslEngine.Load(script, locales, runtime);
            logger.LogDebug("Loaded citeproc-js in {Runtime} in {Milliseconds} ms.", engine.Runtime, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            // V8 has its copy of the ICU data: the image it was read from is not read again (Loading/ImagePages).
            if (engine.Runtime == ScriptRuntime.V8 && Loading.ImagePages.Release("ClearScript.V8.ICUData", "Microsoft.ClearScript.V8.ICUData.icudtl.dat") is var (start, end))
                logger.LogDebug("Handed back the pages of the ICU data's image ({Megabytes} MB mapped at {Start:x}-{End:x}).", (end - start) >> 20, start, end);
            var renderer = new ReferenceRenderer(engine);
            // Once the note's references are rendered, the engine's heap is collected: what rendering left
            // behind goes back to the system instead of staying in V8's reserve.
            Ahead.Idle = () =>
            {
                var collecting = Stopwatch.GetTimestamp();
                engine.Collect();
                Loading.NativeHeap.Trim();
                logger.LogDebug("Collected the citation engine's heap in {Milliseconds} ms: {Heap} in use.", (int)Stopwatch.GetElapsedTime(collecting).TotalMilliseconds, engine.HeapSummary);
            };
            var warming = Stopwatch.GetTimestamp();
            var rendered = 0;
            if (warmUp is not null)
            {
                foreach (var render in warmUp(renderer).Take(WarmUpRenders))
                {
                    render();
                    rendered++;
                }
            }
            if (rendered < WarmUpRenders / 2 && DefaultStyle is { } style) engine.WarmUp(style, rounds: (WarmUpRenders / 2 - rendered + 1) / 2);
            Loading.NativeHeap.Trim();
            logger.LogDebug("Warmed citeproc-js up in {Milliseconds} ms ({Count} of the note's renders); its heap: {Heap}.", (int)Stopwatch.GetElapsedTime(warming).TotalMilliseconds, rendered, engine.HeapSummary);
            return renderer;
        }
        catch (Exception e)
        {
            logger.LogError("The citation engine could not be loaded ({Message}); references are shown without a style.", e.Message);
            return null;
        }
    }

    /// <summary>
    /// The style a note renders with. Its <c>csl:</c> is looked up as pandoc does (relative to the note's
    /// folder, then the workspace's roots, then pandoc's user data folder), then among the shipped styles by
    /// name; a style that cannot be found, read or parsed is a problem at the value, and the default is used.
    /// Without one, a Quarto project's (a folder's <c>_metadata.yml</c> over the project's files) is looked up
    /// the same way from the folder of the file naming it, whose problem is reported there
    /// (<see cref="QuartoProblems"/>); then bibserver.yaml's.
    /// </summary>
    public StyleChoice? For(WorkspaceSnapshot workspace, NoteDocument note, ImmutableArray<string> roots)
    {
        if (DefaultStyle is not { } fallback) return null;
        var lang = note.FrontMatter?.Lang?.Value;
        if (note.FrontMatter?.Csl is { } csl)
        {
            var (style, error) = Resolve(csl.Value, Path.GetDirectoryName(note.Path), roots);
            if (style is not null) return new StyleChoice(style, lang, null);
            return new StyleChoice(fallback, lang, new Problem(Severity.Warning,
                $"The citation style `{csl.Value}` {error}; references are shown in Chicago author-date instead.", csl.Span, "csl-style"));
        }
        if (workspace.Libraries.QuartoProjectOf(note.Path)?.StyleOf(note) is { } quarto)
            return new StyleChoice(Resolve(quarto.Value, quarto.Folder, []).Style ?? fallback, lang, null);
        return new StyleChoice(WorkspaceStyleOrDefault(roots, fallback), lang, null);
    }

    /// <summary>bibserver.yaml's style (of the first root that names one), else the default.</summary>
    private CslStyle WorkspaceStyleOrDefault(ImmutableArray<string> roots, CslStyle fallback)
    {
        foreach (var root in roots)
        {
            if (WorkspaceStyle(root) is not { } named) continue;
            var (style, error) = Resolve(named, root, []);
            if (style is not null) return style;
            logger.LogWarning("The citation style `{Style}` of {Config} {Error}; using Chicago author-date.", named, Path.Combine(root, WorkspaceConfig.FileName), error);
            break;
        }
        return fallback;
    }

    /// <summary>
    /// The style some notes render with together (an annotated bibliography of them): theirs when they all
    /// render with the same style and locale, else the workspace's (bibserver.yaml's, else Chicago author-date)
    /// in en-US. Null without an engine.
    /// </summary>
    public NoteStyle? ForNotes(ReferenceRenderer? renderer, WorkspaceSnapshot workspace, IEnumerable<string> notePaths, ImmutableArray<string> roots)
    {
        if (renderer is null || DefaultStyle is not { } fallback) return null;
        var styles = notePaths.Select(workspace.Note).OfType<NoteDocument>()
            .Select(note => NoteStyleFor(renderer, workspace, note, roots)).OfType<NoteStyle>()
            .DistinctBy(s => (s.Style, s.Locale)).Take(2).ToList();
        if (styles.Count == 1) return styles[0];
        var style = WorkspaceStyleOrDefault(roots, fallback);
        if (renderer.Engine.Check(style, CslEngine.DefaultLocale) is not null) style = fallback;
        return new NoteStyle(renderer, style, CslEngine.DefaultLocale);
    }

    /// <summary>
    /// The problems of the styles the workspace's Quarto projects name, each at its value in the file that names
    /// it: the same as a note's <c>csl:</c> (<see cref="For"/>, <see cref="ProblemOf"/>).
    /// </summary>
    public IEnumerable<(QuartoStyle Style, Problem Problem)> QuartoProblems(WorkspaceSnapshot workspace)
    {
        if (DefaultStyle is null) yield break;
        foreach (var named in workspace.Libraries.QuartoProjects.SelectMany(p => p.NamedStyles).Distinct())
        {
            var (style, error) = Resolve(named.Value, named.Folder, []);
            if (style is null)
                yield return (named, new Problem(Severity.Warning,
                    $"The citation style `{named.Value}` {error}; references are shown in Chicago author-date instead.", named.Span, "csl-style"));
            else if (Ready is { } renderer && renderer.Engine.Check(style, CslEngine.DefaultLocale) is { } complaint)
                yield return (named, new Problem(Severity.Warning,
                    $"The citation style `{named.Value}` cannot be used ({complaint}); references are shown in Chicago author-date instead.", named.Span, "csl-style"));
        }
    }

    /// <summary>
    /// The problem with the style bibserver.yaml names (<c>csl:</c>) at its value, or null when it names none or
    /// one that can be used: what <see cref="For"/> falls back from, for <c>bibserver check</c> to report.
    /// </summary>
    public Problem? WorkspaceStyleProblem(string root, WorkspaceConfig config)
    {
        if (config.Csl is not { } named || DefaultStyle is null) return null;
        var (style, error) = Resolve(named, root, []);
        if (style is not null && Ready is { } renderer && renderer.Engine.Check(style, CslEngine.DefaultLocale) is { } complaint)
            error = $"cannot be used ({complaint})";
        else if (style is not null) return null;
        return new Problem(Severity.Warning,
            $"The citation style `{named}` {error}; references are shown in Chicago author-date instead.", config.CslSpan ?? new TextSpan(0, 0), "csl-style");
    }

    private string? WorkspaceStyle(string root)
    {
        var path = Path.Combine(root, WorkspaceConfig.FileName);
        try
        {
            // Asked by every hover: read again only when the file changed.
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            if (_configs.TryGetValue(path, out var known) && known.Time == info.LastWriteTimeUtc && known.Length == info.Length) return known.Csl;
            var csl = WorkspaceConfig.Parse(File.ReadAllText(path)).Csl;
            _configs[path] = (info.LastWriteTimeUtc, info.Length, csl);
            return csl;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private (CslStyle? Style, string? Error) Resolve(string value, string? folder, ImmutableArray<string> roots)
    {
        if (value.Contains("://", StringComparison.Ordinal))
            return (null, "is a URL, which BibServer does not fetch (download the style and name the file)");
        var names = Path.HasExtension(value) ? [value] : new[] { value, value + ".csl" };
        var candidates = new List<string>();
        foreach (var name in names)
        {
            if (folder is not null) candidates.Add(Paths.Resolve(Path.Combine(folder, "x"), name));
            foreach (var root in roots) candidates.Add(Paths.Resolve(Path.Combine(root, "x"), name));
            var home = Environment.GetEnvironmentVariable("HOME");
            if (home is not null && !Path.IsPathRooted(name)) candidates.Add(Path.Combine(home, ".local", "share", "pandoc", "csl", name));
        }
        foreach (var path in candidates.Distinct(StringComparer.Ordinal))
        {
            if (File.Exists(path)) return Read(path);
        }
        var shipped = Path.Combine(StylesDirectory, Path.GetFileNameWithoutExtension(value) + ".csl");
        if (!value.Contains('/') && File.Exists(shipped)) return Read(shipped);
        return (null, "cannot be read: no such file");
    }

    /// <summary>A style file, parsed once per version of the file.</summary>
    private (CslStyle? Style, string? Error) Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return (null, "cannot be read: no such file");
            if (_files.TryGetValue(path, out var known) && known.Time == info.LastWriteTimeUtc && known.Length == info.Length)
                return (known.Style, known.Error);
            var name = path.StartsWith(StylesDirectory, StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(path) : path;
            var (style, error) = CslStyle.Parse(name, File.ReadAllText(path));
            _files[path] = (info.LastWriteTimeUtc, info.Length, style, error);
            return (style, error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read: {e.Message}");
        }
    }

    /// <summary>The shipped styles by name, for the command line and the benchmarks.</summary>
    public CslStyle? Shipped(string name) => Read(Path.Combine(StylesDirectory, name + ".csl")).Style;

    /// <summary>
    /// A note renders with its style: the renderer, the style and the locale, or null without an engine.
    /// A style citeproc-js rejects (well-formed XML, but not a style it can build) falls back to the default.
    /// </summary>
    public NoteStyle? NoteStyleFor(ReferenceRenderer? renderer, WorkspaceSnapshot workspace, NoteDocument note, ImmutableArray<string> roots)
    {
        if (renderer is null || For(workspace, note, roots) is not { } choice) return null;
        var locale = renderer.Engine.LocaleFor(choice.Lang);
        var style = choice.Style;
        if (renderer.Engine.Check(style, locale) is not null && DefaultStyle is { } fallback) style = fallback;
        return new NoteStyle(renderer, style, locale);
    }

    /// <summary>The problem with a note's style: <see cref="For"/>'s, or citeproc-js's complaint once the engine is loaded.</summary>
    public Problem? ProblemOf(WorkspaceSnapshot workspace, NoteDocument note, ImmutableArray<string> roots)
    {
        if (For(workspace, note, roots) is not { } choice) return null;
        if (choice.Problem is not null) return choice.Problem;
        if (note.FrontMatter?.Csl is { } csl && Ready is { } renderer
            && renderer.Engine.Check(choice.Style, renderer.Engine.LocaleFor(choice.Lang)) is { } complaint)
            return new Problem(Severity.Warning,
                $"The citation style `{csl.Value}` cannot be used ({complaint}); references are shown in Chicago author-date instead.", csl.Span, "csl-style");
        return null;
    }

    /// <summary>A note's diagnostics, with the problem of the style it names added.</summary>
    public DiagnosticsProvider? WithStyleProblems(DiagnosticsProvider? provider)
    {
        if (provider is null) return null;
        return (snapshot, document, cancellationToken) =>
        {
            var problems = provider(snapshot, document, cancellationToken);
            if (problems.IsEmpty && snapshot.LibrarySource.Length == 0) return problems;
            if (snapshot.Workspace.Note(document.CorePath) is not { FrontMatter.Csl: not null } note) return problems;
            return ProblemOf(snapshot.Workspace, note, snapshot.Roots) is { } problem ? problems.Add(new Core.Features.FileDiagnostic(problem, "csl-style")) : problems;
        };
    }

    /// <summary>
    /// The style a request on a document renders with, the engine awaited (bounded): the note's style, or the
    /// default for a library file. Null without an engine.
    /// </summary>
    public async Task<NoteStyle?> ForDocumentAsync(ServerSnapshot snapshot, Documents.OpenDocument document, CancellationToken cancellationToken)
    {
        if (await RendererAsync(cancellationToken) is not { } renderer) return null;
        if (snapshot.Workspace.Note(document.CorePath) is { } note) return NoteStyleFor(renderer, snapshot.Workspace, note, snapshot.Roots);
        return DefaultStyle is { } style ? new NoteStyle(renderer, style, CslEngine.DefaultLocale) : null;
    }

    /// <summary>
    /// What a request that shows rendered text answers (a hover, a completion item's documentation), waiting at
    /// most <see cref="RenderWait"/> for its own renders: computed
    /// with the note's style, rendering what it lacks, if that is done in time; else with what is rendered
    /// already (the rest shown as the paper's fields), while the renders it started finish in the background
    /// (memoised: the next request shows them). The engine's load in progress is awaited within the same bound
    /// (then the request's renders follow the load); the render-ahead never is.
    /// </summary>
    public async Task<T> WithinRenderWaitAsync<T>(ServerSnapshot snapshot, Documents.OpenDocument document, Func<NoteStyle?, T> answer,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // The engine's load is work the note's first diagnostics started: awaited, bounded. A request before any
        // (on a document whose diagnostics are not out yet) starts it once the workspace is read, as the first
        // diagnostics would.
        if (!IsAvailable) return answer(null);
        if (_loading is not { } loading)
        {
            if (!snapshot.WorkspaceLoaded) return answer(null);
            loading = snapshot.Workspace.Note(document.CorePath) is { } opened ? Load(WarmUpOn(snapshot.Workspace, opened, snapshot.Roots)) : Load();
        }
        if (!loading.IsCompleted)
        {
            // The engine's load (300-500 ms on a quiet machine) is not made the request's: it is waited for within
            // the same bound as a render, then the request answers with the paper's fields, and what it would have
            // shown is rendered once the engine is there (memoised: the next request shows it).
            try
            {
                await loading.WaitAsync(RenderWait, cancellationToken);
            }
            catch (TimeoutException)
            {
                var gaveUp = Stopwatch.GetTimestamp();
                _ = loading.ContinueWith(async t =>
                {
                    if (t.Result is { } loaded && StyleOf(loaded, snapshot, document) is { } later)
                    {
                        await Ahead.RenderAsync(() => answer(later));
                        logger.LogDebug("Rendered {Milliseconds} ms after its request answered with the fields (the engine was loading); the next request shows it.",
                            (int)Stopwatch.GetElapsedTime(gaveUp).TotalMilliseconds);
                    }
                }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap().ContinueWith(t =>
                {
                    if (t.IsFaulted) logger.LogDebug("A render after the engine's load failed: {Message}", t.Exception!.GetBaseException().Message);
                }, TaskScheduler.Default);
                return answer(null);
            }
        }
        if (loading.Result is not { } renderer || StyleOf(renderer, snapshot, document) is not { } style) return answer(null);
        // From the memo when everything it shows is rendered (the usual case: a look-up, no thread hop).
        var missed = new System.Runtime.CompilerServices.StrongBox<bool>();
        var memoised = answer(style with { RendersMissing = false, Missed = missed });
        if (!missed.Value) return memoised;
        // The render runs on the render-ahead's worker, first in its line: one render in flight however many
        // requests want one.
        var full = Ahead.RenderAsync(() => answer(style));
        var left = RenderWait - Stopwatch.GetElapsedTime(started);
        if (left > TimeSpan.Zero)
        {
            try
            {
                return await full.WaitAsync(left, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Dropped (the server stops): what is rendered.
            }
        }
        var answered = Stopwatch.GetTimestamp();
        _ = full.ContinueWith(t =>
        {
            if (t.IsFaulted) logger.LogDebug("A render after its request answered failed: {Message}", t.Exception!.GetBaseException().Message);
            // Said in the log so that a client (a test) can tell when the next request finds it rendered.
            else if (t.IsCompletedSuccessfully)
                logger.LogDebug("Rendered {Milliseconds} ms after its request answered with the fields; the next request shows it.",
                    (int)Stopwatch.GetElapsedTime(answered).TotalMilliseconds);
        }, TaskScheduler.Default);
        return answer(style.RenderedOnly);
    }



    /// <summary>The style a request on a document renders with: the note's, or the default for a library file.</summary>
    private NoteStyle? StyleOf(ReferenceRenderer renderer, ServerSnapshot snapshot, Documents.OpenDocument document) =>
        snapshot.Workspace.Note(document.CorePath) is { } note
            ? NoteStyleFor(renderer, snapshot.Workspace, note, snapshot.Roots)
            : DefaultStyle is { } fallback ? new NoteStyle(renderer, fallback, CslEngine.DefaultLocale) : null;

    /// <summary>After an open document's diagnostics have been sent: see the overload for a note.</summary>
    public Task PrepareAsync(ServerSnapshot snapshot, Documents.OpenDocument document) =>
        snapshot.Workspace.Note(document.CorePath) is { } note
            ? PrepareAsync(snapshot.Workspace, note, snapshot.Roots)
            : IsAvailable ? Load() : Task.CompletedTask;

    /// <summary>
    /// After a note's diagnostics have been sent: the engine is loaded if it is not, then the papers the note
    /// cites and its citations' in-text forms are queued to be rendered in its style in idle time
    /// (<see cref="RenderAhead"/>), so that hovers find them rendered.
    /// </summary>
    public async Task PrepareAsync(WorkspaceSnapshot workspace, NoteDocument note, ImmutableArray<string> roots)
    {
        if (!IsAvailable) return;
        if (await Load(WarmUpOn(workspace, note, roots)) is not { } renderer) return;
        if (NoteStyleFor(renderer, workspace, note, roots) is not { } noteStyle) return;
        Ahead.Note(noteStyle, note, workspace.ScopeOf(note));
    }

    public void Stop() => Ahead.Stop();

    /// <summary>The engine's warm-up on a note: its first renders (<see cref="RenderAhead.Renders"/>), in its style.</summary>
    private Func<ReferenceRenderer, IEnumerable<Action>> WarmUpOn(WorkspaceSnapshot workspace, NoteDocument note, ImmutableArray<string> roots) =>
        renderer => NoteStyleFor(renderer, workspace, note, roots) is { } style ? RenderAhead.Renders(style, note, workspace.ScopeOf(note)) : [];

    /// <summary>
    /// Inlay hints turned on or off: the editor is asked to request them again (workspace/inlayHint/refresh);
    /// a client without that request answers with an error, which changes nothing.
    /// </summary>
    public static async Task RefreshInlayHintsAsync(ServerHost host)
    {
        try
        {
            await host.Client.RequestAsync<object?>("workspace/inlayHint/refresh", null);
        }
        catch (Exception e)
        {
            host.Logger.LogDebug("workspace/inlayHint/refresh failed: {Message}", e.Message);
        }
    }

}
