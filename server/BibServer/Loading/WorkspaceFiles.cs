using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Workspace;
using Microsoft.Extensions.FileSystemGlobbing;

namespace BibServer.Loading;

/// <summary>Where a workspace's libraries come from, and which of them.</summary>
internal enum LibrarySource
{
    /// <summary><c>libraries:</c> in bibserver.yaml at the root: shared with collaborators and with <c>bibserver check</c> in CI.</summary>
    ConfigFile,

    /// <summary>The editor's <c>bibserver.libraries</c> setting, used where the workspace has no bibserver.yaml.</summary>
    Settings,

    /// <summary>Neither: every BibTeX file, CSL file and paper list under the root.</summary>
    Discovered,
}

/// <summary>The files of a workspace found on disk: its libraries, in precedence order, and its notes.</summary>
internal sealed record WorkspaceFiles(
    string Root,
    LibrarySource Source,
    ImmutableArray<string> Libraries,
    ImmutableArray<string> Notes,
    ImmutableArray<LibraryDocument> DiscoveredDocuments,
    WorkspaceConfig Config)
{
    /// <summary>The collection and library bibserver.yaml's <c>zotero:</c> database is read with.</summary>
    public ZoteroScopes Zotero { get; init; } = ZoteroScopes.Empty;

    private static readonly string[] IgnoredFolders = ["node_modules", ".git", "bin", "obj"];
    private static readonly string[] NoteExtensions = [".md", ".markdown", ".qmd"];

    public static bool IsNote(string path) => NoteExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Whether a file or folder exists (the check command's arguments).</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public static bool IsFolder(string path) => Directory.Exists(path);

    /// <summary>The nearest folder at or above the path that holds a bibserver.yaml, else the path's own folder.</summary>
    public static string RootOf(string path)
    {
        var start = Directory.Exists(path) ? path : Path.GetDirectoryName(path) ?? "/";
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, WorkspaceConfig.FileName))) return dir.FullName;
            if (Directory.Exists(Path.Combine(dir.FullName, ".git"))) break;
        }
        return start;
    }

    public static bool IsIgnored(string root, string path) =>
        Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).SkipLast(1).Any(IgnoredFolders.Contains);

    /// <summary>
    /// Lists a workspace's libraries and notes. Libraries come from bibserver.yaml if the root has one,
    /// else from the editor's settings, else from discovery. Named patterns keep their order; the files
    /// one glob matches are taken in path order.
    /// </summary>
    public static WorkspaceFiles Find(string root, ImmutableArray<string> settingsLibraries)
    {
        root = Path.GetFullPath(root);
        var configPath = Path.Combine(root, WorkspaceConfig.FileName);
        var config = FileReading.ReadFile(configPath) is { } configText ? WorkspaceConfig.Parse(configText) : null;
        var all = AllFiles(root);
        var notes = all.Where(IsNote).ToImmutableArray();

        if (config is not null || !settingsLibraries.IsDefaultOrEmpty)
        {
            var patterns = ZoteroFiles.PatternsOf(config, root, settingsLibraries);
            return new WorkspaceFiles(root, config is not null ? LibrarySource.ConfigFile : LibrarySource.Settings,
                Expand(root, patterns), notes, ImmutableArray<LibraryDocument>.Empty, config ?? WorkspaceConfig.Empty) { Zotero = ZoteroFiles.ScopesOf(config, root) };
        }

        var discovered = ImmutableArray.CreateBuilder<LibraryDocument>();
        foreach (var path in all)
        {
            // Only files whose extension a library format claims are read; the format decides what it takes.
            if (IsNote(path) || LibraryFormats.ByExtension(path) is not { } format) continue;
            if (FileReading.ReadLibrary(path) is { } content)
            {
                if (LibraryReader.ReadIfLibrary(path, content) is { } doc) discovered.Add(doc);
            }
            // A file that is not read (a FIFO, a gigabyte) is reported on itself when its format takes every file
            // of its extension, even an empty one (BibTeX); other formats take a file by its content, not read.
            else if (format.Discover(path, FileContent.FromText("")) is not null && WorkspaceLoader.Unreadable(path) is { } refused) discovered.Add(refused);
        }
        return new WorkspaceFiles(root, LibrarySource.Discovered, discovered.Select(d => d.Path).ToImmutableArray(), notes,
            discovered.ToImmutable(), WorkspaceConfig.Empty);
    }

    /// <summary>Files and globs, relative to the root or absolute, to existing paths (a plain file name that does not exist is kept, to be reported missing).</summary>
    public static ImmutableArray<string> Expand(string root, ImmutableArray<string> patterns)
    {
        var result = new List<string>();
        foreach (var pattern in patterns)
        {
            if (!pattern.AsSpan().ContainsAny("*?[{"))
            {
                result.Add(Path.GetFullPath(Path.Combine(root, pattern)));
                continue;
            }
            var baseDir = root;
            var glob = pattern;
            if (Path.IsPathRooted(pattern))
            {
                // Split an absolute glob at its last folder without wildcards.
                var cut = pattern.IndexOfAny(['*', '?', '[', '{']);
                var slash = pattern.LastIndexOf('/', cut);
                baseDir = pattern[..Math.Max(1, slash)];
                glob = pattern[(slash + 1)..];
            }
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(glob);
            foreach (var folder in IgnoredFolders) matcher.AddExclude($"**/{folder}/**");
            if (Directory.Exists(baseDir))
                result.AddRange(matcher.GetResultsInFullPath(baseDir).Order(StringComparer.Ordinal));
        }
        return result.Distinct(StringComparer.Ordinal).ToImmutableArray();
    }

    private static List<string> AllFiles(string root)
    {
        var files = new List<string>();
        if (!Directory.Exists(root)) return files;
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            try
            {
                files.AddRange(Directory.EnumerateFiles(dir));
                foreach (var sub in Directory.EnumerateDirectories(dir))
                    if (!IgnoredFolders.Contains(Path.GetFileName(sub))) pending.Push(sub);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder we may not read is left out, as an editor's own file search does.
            }
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
