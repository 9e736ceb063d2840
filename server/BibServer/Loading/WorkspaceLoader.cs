using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Workspace;

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
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The libraries and, when asked, the notes of a workspace.</summary>
    public static WorkspaceSnapshot Load(WorkspaceFiles files, Func<string, string?> read, IEnumerable<string>? notes = null)
    {
        var known = files.DiscoveredDocuments.ToDictionary(d => d.Path, StringComparer.Ordinal);
        var libraries = ReadLibraries(LibraryState.Empty, files.Libraries.Where(p => !known.ContainsKey(p)), read, files.DiscoveredDocuments)
            .With(workspaceLibraries: files.Libraries);
        var snapshot = WorkspaceSnapshot.Empty.WithLibraries(libraries);
        if (notes is null) return snapshot;
        var parsed = notes.Select(p => read(p) is { } text ? NoteParser.Parse(p, text) : null).OfType<NoteDocument>().ToList();
        return EnsureBibliographies(snapshot.WithNotes(parsed), parsed, read);
    }

    /// <summary>Reads these library files into the state (those that do not exist become known missing).</summary>
    public static LibraryState ReadLibraries(LibraryState state, IEnumerable<string> paths, Func<string, string?> read, IEnumerable<LibraryDocument>? alreadyRead = null)
    {
        var docs = new List<LibraryDocument>(alreadyRead ?? []);
        var missing = new List<string>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            if (read(path) is { } text) docs.Add(LibraryReader.Read(path, text));
            else missing.Add(path);
        }
        return docs.Count == 0 && missing.Count == 0 ? state : state.With(documents: docs, missing: missing);
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
