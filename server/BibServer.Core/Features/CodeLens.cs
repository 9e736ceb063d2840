using System.Collections.Immutable;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>A lens over a library entry: the key notes cite it by, and how often they do.</summary>
public sealed record EntryLens(string Key, TextSpan Span, KeyUse Use)
{
    /// <summary>"cited 3 times in 2 notes", or "not cited yet".</summary>
    public string Title => Use.Describe();
}

/// <summary>
/// Code lens on every entry of a library file: how often the workspace's notes cite it. The counts of every
/// key are summed once per version of the notes, so a file of 20,000 entries costs one dictionary look-up
/// per entry.
/// </summary>
public static class CodeLens
{
    public static ImmutableArray<EntryLens> Find(WorkspaceSnapshot snapshot, string path)
    {
        if (snapshot.Library(path) is not { } library) return [];
        var set = LibraryEntries.SetOf(snapshot, path);
        return [.. library.Papers.Select(entry =>
        {
            var key = LibraryEntries.PaperOf(set, entry).Key;
            return new EntryLens(key, entry.Location.FocusSpan, CitationIndex.UseOf(snapshot, key));
        })];
    }
}
