using System.Collections.Immutable;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>
/// Find references: every citation of the key under the cursor (a citation, or an entry's key or title
/// line) in every note of the workspace, open or not. Keys are matched as pandoc matches them, exactly.
/// The declarations, when asked for, are every entry that defines the key anywhere in the workspace.
/// </summary>
public static class References
{
    public static ImmutableArray<FileSpan> Find(WorkspaceSnapshot snapshot, string path, int offset, bool includeDeclaration)
    {
        if (KeyAt.Find(snapshot, path, offset) is not { IsCrossReference: false } at) return [];
        return OfKey(snapshot, at.Key, includeDeclaration);
    }

    /// <summary>The references of a key: its declarations first (when asked for), then its citations by note path.</summary>
    public static ImmutableArray<FileSpan> OfKey(WorkspaceSnapshot snapshot, string key, bool includeDeclaration)
    {
        var declarations = includeDeclaration ? LibraryEntries.Declarations(snapshot, key) : [];
        var citations = CitationIndex.Find(snapshot, key);
        var result = ImmutableArray.CreateBuilder<FileSpan>(declarations.Length + citations.Count);
        foreach (var d in declarations) result.Add(new FileSpan(d.Path, d.FocusSpan));
        foreach (var (note, citation) in citations) result.Add(new FileSpan(note.Path, citation.KeySpan));
        return result.MoveToImmutable();
    }

    /// <summary>How often a key is cited in the workspace's notes.</summary>
    public static KeyUse UseOf(WorkspaceSnapshot snapshot, string key) => CitationIndex.UseOf(snapshot, key);
}
