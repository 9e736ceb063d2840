using System.Collections.Immutable;
using BibServer.Core.Workspace;
using BibServer.Documents;

namespace BibServer.Loading;

/// <summary>The workspace's folders as the client names them, and what the core needs to resolve paths in them.</summary>
internal static class WorkspaceRoots
{
    /// <summary>The workspace's folders as initialize gives them: its workspace folders, else its root URI, else its root path.</summary>
    public static ImmutableArray<string> Of(ImmutableArray<string> folderUris, string? rootUri, string? rootPath)
    {
        if (!folderUris.IsEmpty) return [.. folderUris.Select(DocumentUris.ToPath).OfType<string>()];
        if (rootUri is not null && DocumentUris.ToPath(rootUri) is { } root) return [root];
        return rootPath is { Length: > 0 } ? [rootPath] : [];
    }

    /// <summary>
    /// How the core resolves the paths notes name: <c>~/</c> against the user's home folder (HOME, read here
    /// so that the core reads no environment), and an unsaved note's relative paths against the first folder.
    /// </summary>
    public static PathContext PathContext(ImmutableArray<string> roots) =>
        new(Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : "/",
            roots.IsDefaultOrEmpty ? null : Path.GetFullPath(roots[0]));
}
