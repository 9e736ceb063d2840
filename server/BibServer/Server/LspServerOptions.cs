using BibServer.Server.Logging;
using Microsoft.Extensions.Logging;

namespace BibServer.Server;

/// <summary>Knobs of a server instance; the defaults are what `bibserver lsp` runs with.</summary>
internal sealed record LspServerOptions
{
    /// <summary>The diagnostics of an open document; null publishes none.</summary>
    public DiagnosticsProvider? Diagnostics { get; init; } = DocumentDiagnostics.Provider;

    /// <summary>
    /// How long after the last edit of a document its diagnostics are computed (counted from the edit's
    /// arrival). It lets a burst of keystrokes (a held key, a paste in pieces) be checked once. Checking is
    /// cheap once the note is parsed (a few milliseconds for 2,000 citations against 100,000 papers), so the
    /// wait is kept short: 25 ms, which with the parse of a 5,000-line note keeps a keystroke's diagnostics
    /// within about 50 ms (docs/benchmarks.md).
    /// </summary>
    public TimeSpan DiagnosticsDelay { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// How long a request waits at most for the work notifications before it started (a load, a library being
    /// read, file changes); past it the request is answered with what is there (<see cref="RequestOrdering"/>).
    /// </summary>
    public TimeSpan RequestWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after the last keystroke a citation key being typed gets its unknown-key error
    /// (<see cref="TypingHold"/>): about the pause of a writer who stopped typing.
    /// </summary>
    public TimeSpan TypingPause { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long our own file watcher gathers events into one batch.</summary>
    public TimeSpan FileEventsDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a Zotero database must be quiet before it is read again: Zotero writes a change (or a sync, an
    /// import) as a burst of writes to the database and its log, which is read once when it settles.
    /// </summary>
    public TimeSpan ZoteroSettleDelay { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>How often the client's process (initialize's processId) is checked; zero turns the check off.</summary>
    public TimeSpan ParentProcessPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The level of the standard-error log, which is for people debugging the server itself.</summary>
    public LogLevel StderrLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Where the standard-error log goes; Console.Error when null.</summary>
    public TextWriter? Stderr { get; init; }

    /// <summary>
    /// The libraries read ahead from initialize as it was first read off the input, before the server was made
    /// (<c>Commands/InitializePeek</c>); used when initialize is handled, if it still names the same ones.
    /// </summary>
    public Func<Loading.LibraryPrefetch?>? ReadAhead { get; init; }

    /// <summary>
    /// Which JavaScript engine runs citeproc-js: V8 where it loads, else Jint. BIBSERVER_CITEPROC_ENGINE=jint picks
    /// Jint, as on the platforms shipped without V8, so that a test can run that path on linux-x64 too.
    /// </summary>
    public Core.Styles.ScriptRuntime CitationEngine { get; init; } = Core.Styles.ScriptRuntime.Best;

    /// <summary>The logger of that early reading, pointed at the server's log when there is one.</summary>
    public LateLogger? ReadAheadLog { get; init; }

    /// <summary>More handlers to register after the built-in ones (tests add slow or failing methods here).</summary>
    public Action<LspRouter>? ExtraHandlers { get; init; }
}
