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
/// before: start-up stays as fast as without it). Files are read again only when their size or time stamp
/// changes.
/// </summary>
internal sealed class StyleService(ILogger logger, string? assetsDirectory = null)
{
    /// <summary>How long a request waits at most for the engine still loading, before it answers without.</summary>
    public static readonly TimeSpan LoadWait = TimeSpan.FromSeconds(30);

    private readonly string _assets = assetsDirectory ?? Path.Combine(AppContext.BaseDirectory, "csl");
    private readonly ConcurrentDictionary<string, (DateTime Time, long Length, CslStyle? Style, string? Error)> _files = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Task<ReferenceRenderer?>? _loading;
    private CslStyle? _default;

    /// <summary>Paths as pandoc reads them, "~/" being the user's home folder.</summary>
    private static readonly PathContext Paths = new(Environment.GetEnvironmentVariable("HOME"), null);

    /// <summary>The folder of the shipped styles (name.csl), where a bare <c>csl: apa</c> is also looked up.</summary>
    public string StylesDirectory => Path.Combine(_assets, "styles");

    /// <summary>Whether citeproc-js and the styles were shipped with the server (the build copies them from npm packages).</summary>
    public bool IsAvailable => File.Exists(Path.Combine(_assets, "citeproc.js")) && DefaultStyle is not null;

    /// <summary>The renderer if it has loaded, without waiting.</summary>
    public ReferenceRenderer? Ready => _loading is { IsCompletedSuccessfully: true } t ? t.Result : null;

    public CslStyle? DefaultStyle => _default ??= Read(Path.Combine(StylesDirectory, CslStyle.DefaultName + ".csl")).Style;

    /// <summary>Starts loading the engine if nothing has; the task completes with null when it cannot load.</summary>
    public Task<ReferenceRenderer?> Load()
    {
        lock (_gate)
        {
            return _loading ??= Task.Run(LoadEngine);
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

    private ReferenceRenderer? LoadEngine()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var script = File.ReadAllText(Path.Combine(_assets, "citeproc.js"));
            var locales = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(_assets, "locales"), "locales-*.xml"))
                locales[Path.GetFileNameWithoutExtension(file)["locales-".Length..]] = File.ReadAllText(file);
            var engine = CslEngine.Load(script, locales);
            logger.LogDebug("Loaded citeproc-js in {Runtime} in {Milliseconds} ms.", engine.Runtime, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            // The first renders run the interpreter's paths cold (hundreds of milliseconds): a made-up paper
            // takes them, after the engine is handed out, so that a hover meanwhile waits for one render only.
            if (DefaultStyle is { } style)
                _ = Task.Run(() =>
                {
                    var warming = Stopwatch.GetTimestamp();
                    engine.WarmUp(style);
                    logger.LogDebug("Warmed citeproc-js up in {Milliseconds} ms.", (int)Stopwatch.GetElapsedTime(warming).TotalMilliseconds);
                });
            return new ReferenceRenderer(engine);
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
            return File.Exists(path) ? WorkspaceConfig.Parse(File.ReadAllText(path)).Csl : null;
        }
        catch (IOException)
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

    /// <summary>After an open document's diagnostics have been sent: see the overload for a note.</summary>
    public Task PrepareAsync(ServerSnapshot snapshot, Documents.OpenDocument document) =>
        snapshot.Workspace.Note(document.CorePath) is { } note
            ? PrepareAsync(snapshot.Workspace, note, snapshot.Roots)
            : Task.CompletedTask;

    /// <summary>
    /// After a note's diagnostics have been sent: the engine is loaded if it is not, then the papers the note
    /// cites are rendered in its style, so that hovers find them rendered. In the background, on one thread.
    /// </summary>
    public async Task PrepareAsync(WorkspaceSnapshot workspace, NoteDocument note, ImmutableArray<string> roots)
    {
        if (!IsAvailable) return;
        if (await Load() is not { } renderer) return;
        if (NoteStyleFor(renderer, workspace, note, roots) is not { } noteStyle) return;
        var scope = workspace.ScopeOf(note);
        // The references first (what every hover shows), then each citation's in-text form; a note citing
        // hundreds of papers gets its first ones ready, the rest are rendered when hovered.
        const int AtMost = 200;
        var citations = note.Citations.Where(c => !c.IsCrossReference).ToList();
        foreach (var paper in citations.Select(c => c.Key).Distinct(StringComparer.Ordinal).Select(scope.Find).OfType<Core.Papers.Paper>().Take(AtMost))
        {
            if (!renderer.IsRendered(paper, noteStyle.Style, noteStyle.Locale)) noteStyle.Reference(paper);
        }
        foreach (var citation in citations.Take(AtMost))
        {
            if (scope.Find(citation.Key) is { } paper) Core.Features.StyledText.Of(noteStyle, note, scope, citation, paper);
        }
    }

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
