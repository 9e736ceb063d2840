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
            return File.Exists(path) ? ReadText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a file as File.ReadAllText does (UTF-8 unless a byte order mark says otherwise, bad bytes made
    /// U+FFFD) with half its peak memory. ReadAllText gathers the text in a StringBuilder and then copies it,
    /// so a 150 MB library briefly holds two 300 MB copies, the first in small chunks that live long enough
    /// to reach the oldest generation; here the bytes are decoded straight into the one string kept.
    /// </summary>
    public static string ReadText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> utf8Bom = [0xEF, 0xBB, 0xBF];
        if (bytes.AsSpan().StartsWith(utf8Bom)) return System.Text.Encoding.UTF8.GetString(bytes.AsSpan(utf8Bom.Length));
        // A UTF-16 or UTF-32 byte order mark: rare for libraries, so the reader that knows them all decodes it.
        if (bytes is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0, 0, 0xFE, 0xFF, ..]) return File.ReadAllText(path);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The libraries and, when asked, the notes of a workspace.</summary>
    public static WorkspaceSnapshot Load(WorkspaceFiles files, Func<string, string?> read, IEnumerable<string>? notes = null, ILogger? logger = null)
    {
        var known = files.DiscoveredDocuments.ToDictionary(d => d.Path, StringComparer.Ordinal);
        var libraries = ReadLibraries(LibraryState.Empty, files.Libraries.Where(p => !known.ContainsKey(p)), read, files.DiscoveredDocuments, logger, files.Libraries);
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
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            if (read(path) is { } text) texts.Add((path, text));
            else missing.Add(path);
        }
        if (texts.Count == 0 && missing.Count == 0 && workspaceLibraries is null && alreadyRead is null) return state;
        // Reading keeps about 1.2 bytes per character (papers, decoded titles and names); the merge and the
        // index about as much again, while the collector is held off: three bytes a character leave room.
        var characters = texts.Sum(t => (long)t.Text.Length);
        return AllocationBurst.Run(3 * characters, () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var docs = new List<LibraryDocument>(alreadyRead ?? []);
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
            // first broken citation, which would otherwise wait for it.
            if (workspaceLibraries is not null) Core.Features.Search.PaperIndex.Of(merged.Workspace);
            logger?.LogDebug("Merged and indexed {Papers} papers in {Milliseconds} ms (collector {Held}).", merged.Workspace.Papers.Length, clock.ElapsedMilliseconds,
                System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion ? "held off" : "running");
            return merged;
        });
    }

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
