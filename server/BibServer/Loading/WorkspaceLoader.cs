using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Workspace;
using Microsoft.Extensions.Logging;

namespace BibServer.Loading;

/// <summary>
/// Turns files on disk into a workspace snapshot: the one place, with the server's file events, where
/// libraries are read (through <see cref="FileReading"/>). The document path (a keystroke in a note) never
/// comes here, except to read a library that a note has just named for the first time.
/// </summary>
internal static class WorkspaceLoader
{
    /// <summary>
    /// The libraries of every root, in root order, and every note on disk (find-references and code lens
    /// count citations in notes that are not open). Returns the snapshot and where its libraries came from.
    /// </summary>
    public static (WorkspaceSnapshot Workspace, string Source) Load(ImmutableArray<string> roots, ImmutableArray<string> settingsLibraries, Action<string, int?>? report = null, ILogger? logger = null)
    {
        var (libraries, source, notes) = LoadLibraries(roots, settingsLibraries, WorkspaceRoots.PathContext(roots), report, logger);
        return (ReadNotes(libraries, notes, logger), source);
    }

    /// <summary>
    /// The libraries of every root, in root order, and the paths of the notes on disk, not yet read: the
    /// language server publishes diagnostics with the libraries and reads the notes after.
    /// </summary>
    /// <param name="ahead">The libraries read ahead for a list of files, if they still are what the files hold.</param>
    public static (WorkspaceSnapshot Workspace, string Source, ImmutableArray<string> Notes) LoadLibraries(
        ImmutableArray<string> roots, ImmutableArray<string> settingsLibraries, PathContext paths, Action<string, int?>? report = null, ILogger? logger = null,
        Func<ImmutableArray<string>, LibraryState?>? ahead = null, ZoteroScopes? editorZotero = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var found = roots.Select(root => WorkspaceFiles.Find(root, settingsLibraries)).ToList();
        var libraries = found.SelectMany(f => f.Libraries).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var merged = new WorkspaceFiles(
            roots.FirstOrDefault() ?? "",
            found.Count == 0 ? LibrarySource.Settings : found[0].Source,
            libraries,
            found.SelectMany(f => f.Notes).Distinct(StringComparer.Ordinal).ToImmutableArray(),
            found.SelectMany(f => f.DiscoveredDocuments).ToImmutableArray(),
            found.FirstOrDefault()?.Config ?? WorkspaceConfig.Empty)
        {
            // Every root's bibserver.yaml narrows its own database; the editor's setting narrows its one.
            Zotero = found.Aggregate(ZoteroScopes.Empty, (scopes, f) => scopes.Then(f.Zotero)).Then(editorZotero),
        };
        logger?.LogDebug("Found {Libraries} libraries and {Notes} notes in {Milliseconds} ms.", libraries.Length, merged.Notes.Length, clock.ElapsedMilliseconds);
        report?.Invoke($"Reading {libraries.Length} libraries", 20);
        return (Load(merged, paths, logger: logger, ahead: ahead), merged.Source.ToString(), merged.Notes);
    }

    /// <summary>The libraries and, when asked, the notes of one root's files.</summary>
    /// <param name="ahead">The libraries read ahead for a list of files, if they still are what the files hold.</param>
    public static WorkspaceSnapshot Load(WorkspaceFiles files, PathContext paths, IEnumerable<string>? notes = null, ILogger? logger = null,
        Func<ImmutableArray<string>, LibraryState?>? ahead = null)
    {
        var known = files.DiscoveredDocuments.ToDictionary(d => d.Path, StringComparer.Ordinal);
        var libraries = files.DiscoveredDocuments.IsEmpty && ahead?.Invoke(files.Libraries) is { } readAhead
            ? readAhead
            : ReadLibraries(LibraryState.Empty, files.Libraries.Where(p => !known.ContainsKey(p)), files.DiscoveredDocuments, logger, files.Libraries, files.Zotero);
        var quarto = QuartoFiles.Find(files.Root, files.Notes, FileReading.ReadFile, files.Source == LibrarySource.Discovered, paths);
        libraries = libraries.With(manuscripts: ManubotFiles.Find(files.Notes, FileReading.ReadFile), quartoProjects: quarto);
        // The bibliographies Quarto projects name (in _quarto.yml, a profile or a _metadata.yml) are read with
        // the workspace, as a note's own bibliography: would be on opening the note.
        var named = quarto.SelectMany(p => p.NamedBibliographies).Where(p => !libraries.IsKnown(p)).ToList();
        if (named.Count > 0) libraries = ReadLibraries(libraries, named);
        var snapshot = WorkspaceSnapshot.Empty.WithPaths(paths).WithLibraries(libraries)
            .WithLiteratureNotes(new Core.Annotations.LiteratureNoteSettings([files.Root], files.Config.LiteratureNotes));
        return notes is null ? snapshot : ReadNotes(snapshot, notes, logger);
    }

    /// <summary>These notes parsed from disk into the snapshot, with the libraries they name that it has not read.</summary>
    public static WorkspaceSnapshot ReadNotes(WorkspaceSnapshot snapshot, IEnumerable<string> paths, ILogger? logger = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var parsed = ParseNotes(paths);
        logger?.LogDebug("Parsed {Notes} notes in {Milliseconds} ms.", parsed.Length, clock.ElapsedMilliseconds);
        return EnsureBibliographies(snapshot.WithNotes(parsed).WithNoteTimes(FileReading.WriteTimes(parsed.Select(n => n.Path))), parsed);
    }

    /// <summary>Notes on disk, read and parsed; a note that cannot be read is left out.</summary>
    public static ImmutableArray<NoteDocument> ParseNotes(IEnumerable<string> paths) =>
        [.. paths.Select(p => FileReading.ReadFile(p) is { } text ? NoteParser.Parse(p, text) : null).OfType<NoteDocument>()];

    /// <summary>
    /// Reads these library files into the state (those that do not exist become known missing); with
    /// <paramref name="workspaceLibraries"/>, they also become the workspace's libraries, merged once.
    /// </summary>
    public static LibraryState ReadLibraries(LibraryState state, IEnumerable<string> paths,
        IEnumerable<LibraryDocument>? alreadyRead = null, ILogger? logger = null, ImmutableArray<string>? workspaceLibraries = null, ZoteroScopes? zotero = null)
    {
        var contents = new List<(string Path, FileContent Content, byte[]? Key)>();
        var missing = new List<string>();
        var unreadable = new List<LibraryDocument>();
        var cachedFirst = new List<(string Path, long Length)>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            // A library with a cache file is read from it in the burst below if the cache is good (LibraryCacheFiles).
            if (LibraryCacheFiles.CacheLength(path) is { } length) cachedFirst.Add((path, length));
            else if (Read(path) is { } content) contents.Add(content);
        }
        (string Path, FileContent Content, byte[]? Key)? Read(string path)
        {
            // The key is taken before the read: a write during it makes the key stale, and the cache is not written.
            if (LibraryCacheFiles.KeyBeforeReading(path) is var key && FileReading.ReadLibrary(path, zotero) is { } content) return (path, content, key);
            if (Unreadable(path) is { } refused) unreadable.Add(refused);
            else missing.Add(path);
            return null;
        }
        if (contents.Count == 0 && cachedFirst.Count == 0 && missing.Count == 0 && unreadable.Count == 0 && workspaceLibraries is null && alreadyRead is null) return state;
        // Reading keeps about 1.2 bytes per character (papers, decoded titles and names); the merge and the
        // index about as much again, while the collector is held off: three bytes and a half a character leave
        // room for what the language server does until it lets the collector go (the first diagnostics). A cache
        // file is about as large as its library's text and keeps about as much (its bytes are part of it).
        var characters = contents.Sum(t => t.Content.Size) + cachedFirst.Sum(c => c.Length);
        return AllocationBurst.Run(7 * characters / 2, () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var docs = new List<LibraryDocument>(alreadyRead ?? []);
            foreach (var (path, _) in cachedFirst)
            {
                if (LibraryCacheFiles.TryRead(path, logger) is { } hit) docs.Add(hit);
                else if (Read(path) is { } content) contents.Add(content);
            }
            docs.AddRange(unreadable);
            foreach (var (path, content, key) in contents)
            {
                clock.Restart();
                var doc = LibraryReader.Read(path, content);
                LibraryCacheFiles.Remember(doc, key);
                docs.Add(doc);
                logger?.LogDebug("Read {Path}: {Papers} papers in {Milliseconds} ms{How}.", path, doc.Papers.Length, clock.ElapsedMilliseconds,
                    doc.ReadInParts ? ", in parts (its abstracts are read from the file when asked)" : "");
            }
            clock.Restart();
            var merged = state.With(documents: docs, missing: missing, workspaceLibraries: workspaceLibraries);
            // The search index is not built here: a note's first diagnostics need only the keys (the language
            // server builds the index right after publishing them, and publishes them again with the closest keys
            // of broken citations); whatever asks for it first builds it, and whatever asks meanwhile waits for it.
            logger?.LogDebug("Merged {Papers} papers in {Milliseconds} ms (collector {Held}).", merged.Workspace.Papers.Length, clock.ElapsedMilliseconds,
                System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion ? "held off" : "running");
            return merged;
        });
    }

    /// <summary>
    /// A library file that exists but is not read (not a regular file, too large, not readable), as a library
    /// with no papers and one problem saying why, so that it is reported on that file and nothing else is lost.
    /// </summary>
    public static LibraryDocument? Unreadable(string path) =>
        FileGuard.WhyNotReadable(path, tryOpening: true) is { } why
            ? new LibraryDocument(path, LibraryFormats.Of(path), "", [],
                [new Core.Text.Problem(Core.Text.Severity.Warning, $"This library is not read: {why}.", new Core.Text.TextSpan(0, 0), UnreadableCode)])
            : null;

    /// <summary>The problem code of a library file that is not read.</summary>
    public const string UnreadableCode = Core.Features.DiagnosticCodes.Unreadable;

    /// <summary>Reads the libraries these notes name in <c>bibliography:</c> that the snapshot has not read yet.</summary>
    public static WorkspaceSnapshot EnsureBibliographies(WorkspaceSnapshot snapshot, IEnumerable<NoteDocument> notes)
    {
        var wanted = snapshot.UnreadLibraries(notes);
        return wanted.IsEmpty ? snapshot : snapshot.WithLibraries(ReadLibraries(snapshot.Libraries, wanted));
    }
}
