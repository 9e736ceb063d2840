using System.Collections.Immutable;
using Microsoft.Extensions.FileSystemGlobbing;

namespace BibServer.Server;

/// <summary>Finds the files the "libraries" setting names: plain paths and globs, absolute or relative to each root.</summary>
internal static class LibraryFiles
{
    public static ImmutableArray<string> Find(IEnumerable<string> patterns, IReadOnlyList<string> roots)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            var expanded = pattern.StartsWith('~') ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + pattern[1..] : pattern;
            if (Path.IsPathRooted(expanded))
            {
                var (baseDirectory, relative) = SplitAtFirstWildcard(expanded);
                Add(found, baseDirectory, relative);
            }
            else
            {
                foreach (var root in roots) Add(found, root, expanded);
            }
        }
        return [.. found];
    }

    private static void Add(SortedSet<string> found, string baseDirectory, string relativePattern)
    {
        if (relativePattern.Length == 0)
        {
            if (File.Exists(baseDirectory)) found.Add(Path.GetFullPath(baseDirectory));
            return;
        }
        if (!Directory.Exists(baseDirectory)) return;
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(relativePattern);
        foreach (var file in matcher.GetResultsInFullPath(baseDirectory))
        {
            if (!FileWatching.IsIgnored(Path.GetRelativePath(baseDirectory, file))) found.Add(Path.GetFullPath(file));
        }
    }

    /// <summary>Splits "/a/b/**/*.bib" into "/a/b" and "**/*.bib"; a path without wildcards has an empty pattern.</summary>
    private static (string Directory, string Pattern) SplitAtFirstWildcard(string path)
    {
        var wildcard = path.IndexOfAny(['*', '?', '[', '{']);
        if (wildcard < 0) return (path, "");
        var separator = path.LastIndexOfAny(['/', '\\'], wildcard);
        return separator < 0 ? (".", path) : (path[..separator], path[(separator + 1)..]);
    }
}
