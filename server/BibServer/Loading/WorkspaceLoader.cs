using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Workspace;
using Microsoft.Extensions.Logging;

namespace BibServer.Loading;

/// <summary>
/// Turns files on disk into a workspace snapshot: the one place, with the server's file events, where
/// libraries are read. The document path (a keystroke in a note) never comes here, except to read a
/// library that a note has just named for the first time.
/// </summary>
internal static class WorkspaceLoader
{
    /// <summary>A file's text, or null when it does not exist or cannot be read.</summary>
    public static string? ReadFile(string path)
    {
        try
        {
            // A FIFO, a device or a file past the size limit is never opened (FileGuard says why).
            return File.Exists(path) && FileGuard.WhyNotReadable(path) is null ? ReadText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a file as File.ReadAllText does (UTF-8 unless a byte order mark says otherwise, bad bytes made
    /// U+FFFD) with a third of its peak memory. ReadAllText gathers the text in a StringBuilder and then copies
    /// it, so a 150 MB library briefly holds two 300 MB copies, the first in small chunks that live long enough
    /// to reach the oldest generation. Here a large file is read twice in chunks of a megabyte, once to count
    /// its characters and once to decode them straight into the one string kept: no copy of the file's bytes
    /// is made, which took a third off the read (docs/benchmarks.md).
    /// </summary>
    public static string ReadText(string path)
    {
        using (var file = File.OpenHandle(path))
        {
            var length = RandomAccess.GetLength(file);
            if (length >= ChunkedReadFrom && length < int.MaxValue && ReadChunked(file, length) is { } text) return text;
        }
        var bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> utf8Bom = [0xEF, 0xBB, 0xBF];
        if (bytes.AsSpan().StartsWith(utf8Bom)) return System.Text.Encoding.UTF8.GetString(bytes.AsSpan(utf8Bom.Length));
        // A UTF-16 or UTF-32 byte order mark: rare for libraries, so the reader that knows them all decodes it.
        if (IsWideBom(bytes)) return File.ReadAllText(path);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>From this size on a file is read in chunks (<see cref="ReadText"/>).</summary>
    internal const int ChunkedReadFrom = 4 << 20;

    private const int ReadChunk = 1 << 20;

    private static bool IsWideBom(ReadOnlySpan<byte> bytes) => bytes is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0, 0, 0xFE, 0xFF, ..];

    /// <summary>
    /// A UTF-8 file's text read in chunks, or null when it starts with a UTF-16 or UTF-32 byte order mark or
    /// changed between the two passes (the caller then reads it whole).
    /// </summary>
    private static string? ReadChunked(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length)
    {
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(ReadChunk);
        try
        {
            var head = RandomAccess.Read(file, chunk.AsSpan(0, 4), 0);
            if (IsWideBom(chunk.AsSpan(0, head))) return null;
            long start = head >= 3 && chunk.AsSpan(0, 3).SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;

            var decoder = System.Text.Encoding.UTF8.GetDecoder();
            long characters = 0;
            for (var offset = start; offset < length;)
            {
                var read = RandomAccess.Read(file, chunk.AsSpan(0, (int)Math.Min(ReadChunk, length - offset)), offset);
                if (read == 0) return null;
                offset += read;
                characters += decoder.GetCharCount(chunk.AsSpan(0, read), flush: offset >= length);
            }
            if (characters > int.MaxValue) return null;

            var complete = true;
            var text = string.Create((int)characters, 0, (destination, _) =>
            {
                var decoder = System.Text.Encoding.UTF8.GetDecoder();
                var written = 0;
                for (var offset = start; offset < length;)
                {
                    var read = RandomAccess.Read(file, chunk.AsSpan(0, (int)Math.Min(ReadChunk, length - offset)), offset);
                    offset += read;
                    try
                    {
                        decoder.Convert(chunk.AsSpan(0, read), destination[written..], flush: offset >= length, out int used, out int decoded, out bool _);
                        written += decoded;
                        // Bytes left over, or none read: the file is not what the first pass counted.
                        if (used < read || read == 0)
                        {
                            complete = false;
                            return;
                        }
                    }
                    catch (ArgumentException)
                    {
                        complete = false; // No room left at all: the file grew.
                        return;
                    }
                }
                complete = written == destination.Length;
            });
            return complete ? text : null;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>The libraries and, when asked, the notes of a workspace.</summary>
    /// <param name="ahead">The libraries read ahead for a list of files, if they still are what the files hold.</param>
    public static WorkspaceSnapshot Load(WorkspaceFiles files, Func<string, string?> read, IEnumerable<string>? notes = null, ILogger? logger = null,
        Func<ImmutableArray<string>, LibraryState?>? ahead = null)
    {
        var known = files.DiscoveredDocuments.ToDictionary(d => d.Path, StringComparer.Ordinal);
        var libraries = files.DiscoveredDocuments.IsEmpty && ahead?.Invoke(files.Libraries) is { } readAhead ? readAhead : ReadLibraries(LibraryState.Empty, files.Libraries.Where(p => !known.ContainsKey(p)), read, files.DiscoveredDocuments, logger, files.Libraries);
        var quarto = QuartoFiles.Find(files.Root, files.Notes, read, files.Source == LibrarySource.Discovered);
        libraries = libraries.With(manuscripts: ManubotFiles.Find(files.Notes, read), quartoProjects: quarto);
        // The bibliographies Quarto projects name (in _quarto.yml, a profile or a _metadata.yml) are read with
        // the workspace, as a note's own bibliography: would be on opening the note.
        var named = quarto.SelectMany(p => p.NamedBibliographies).Where(p => libraries.Document(p) is null && !libraries.Missing.Contains(p)).ToList();
        if (named.Count > 0) libraries = ReadLibraries(libraries, named, read);
        var snapshot = WorkspaceSnapshot.Empty.WithLibraries(libraries);
        return notes is null ? snapshot : ReadNotes(snapshot, notes, read, logger);
    }

    /// <summary>These notes parsed from disk into the snapshot, with the libraries they name that it has not read.</summary>
    public static WorkspaceSnapshot ReadNotes(WorkspaceSnapshot snapshot, IEnumerable<string> paths, Func<string, string?> read, ILogger? logger = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var parsed = paths.Select(p => read(p) is { } text ? NoteParser.Parse(p, text) : null).OfType<NoteDocument>().ToList();
        logger?.LogDebug("Parsed {Notes} notes in {Milliseconds} ms.", parsed.Count, clock.ElapsedMilliseconds);
        return EnsureBibliographies(snapshot.WithNotes(parsed), parsed, read);
    }

    /// <summary>
    /// Reads these library files into the state (those that do not exist become known missing); with
    /// <paramref name="workspaceLibraries"/>, they also become the workspace's libraries, merged once.
    /// </summary>
    public static LibraryState ReadLibraries(LibraryState state, IEnumerable<string> paths, Func<string, string?> read,
        IEnumerable<LibraryDocument>? alreadyRead = null, ILogger? logger = null, ImmutableArray<string>? workspaceLibraries = null)
    {
        var texts = new List<(string Path, string Text)>();
        var missing = new List<string>();
        var unreadable = new List<LibraryDocument>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            if (read(path) is { } text) texts.Add((path, text));
            else if (Unreadable(path) is { } refused) unreadable.Add(refused);
            else missing.Add(path);
        }
        if (texts.Count == 0 && missing.Count == 0 && unreadable.Count == 0 && workspaceLibraries is null && alreadyRead is null) return state;
        // Reading keeps about 1.2 bytes per character (papers, decoded titles and names); the merge and the
        // index about as much again, while the collector is held off: three bytes and a half a character leave
        // room for what the language server does until it lets the collector go (the first diagnostics).
        var characters = texts.Sum(t => (long)t.Text.Length);
        return AllocationBurst.Run(7 * characters / 2, () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var docs = new List<LibraryDocument>(alreadyRead ?? []);
            docs.AddRange(unreadable);
            foreach (var (path, text) in texts)
            {
                clock.Restart();
                var doc = LibraryReader.Read(path, text);
                docs.Add(doc);
                logger?.LogDebug("Read {Path}: {Papers} papers in {Milliseconds} ms.", path, doc.Papers.Length, clock.ElapsedMilliseconds);
            }
            clock.Restart();
            var merged = state.With(documents: docs, missing: missing, workspaceLibraries: workspaceLibraries);
            // The search index is built with the merge: completion needs it, and so do the closest keys of the
            // first broken citation, which would otherwise wait for it (and for the keys' character counts).
            if (workspaceLibraries is not null)
            {
                Core.Features.Search.PaperIndex.Of(merged.Workspace);
                Core.Features.Search.ClosestKeys.Prepare(merged.Workspace);
            }
            logger?.LogDebug("Merged and indexed {Papers} papers in {Milliseconds} ms (collector {Held}).", merged.Workspace.Papers.Length, clock.ElapsedMilliseconds,
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
            ? new LibraryDocument(path, LibraryReader.FormatOf(path), "", [],
                [new Core.Text.Problem(Core.Text.Severity.Warning, $"This library is not read: {why}.", new Core.Text.TextSpan(0, 0), UnreadableCode)])
            : null;

    /// <summary>The problem code of a library file that is not read.</summary>
    public const string UnreadableCode = Core.Features.DiagnosticCodes.Unreadable;

    /// <summary>Reads the libraries these notes name in <c>bibliography:</c> that the snapshot has not read yet.</summary>
    public static WorkspaceSnapshot EnsureBibliographies(WorkspaceSnapshot snapshot, IEnumerable<NoteDocument> notes, Func<string, string?> read)
    {
        var libs = snapshot.Libraries;
        var wanted = notes.SelectMany(n => WorkspaceSnapshot.BibliographyPaths(n))
            .Where(p => libs.Document(p) is null && !libs.Missing.Contains(p))
            .ToList();
        return wanted.Count == 0 ? snapshot : snapshot.WithLibraries(ReadLibraries(libs, wanted, read));
    }
}
