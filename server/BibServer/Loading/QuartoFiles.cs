using System.Collections.Immutable;
using BibServer.Core.Workspace;

namespace BibServer.Loading;

/// <summary>
/// Finds the workspace's Quarto projects (a folder with <c>_quarto.yml</c> above a note, up to the workspace's
/// root) and reads their files: <c>_quarto.yml</c>, the active profiles' <c>_quarto-NAME.yml</c>
/// (<c>QUARTO_PROFILE</c> from the server's environment, as Quarto reads it), and the <c>_metadata.yml</c> of
/// every folder between the project and its notes. The core merges them (<see cref="QuartoProject"/>).
/// </summary>
internal static class QuartoFiles
{
    public static ImmutableArray<QuartoProject> Find(string workspaceRoot, IEnumerable<string> notes, Func<string, string?> read, bool workspaceDiscovered, PathContext paths)
    {
        var top = workspaceRoot.TrimEnd('/');
        var projectOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        // A file's path comes with its text: a style it names is resolved, and reported, there.
        (string Path, string Yaml)? ReadFile(string folder, string name)
        {
            foreach (var extension in (string[])[".yml", ".yaml"])
            {
                var path = Path.Combine(folder, name + extension);
                if (read(path) is { } yaml) return (path, yaml);
            }
            return null;
        }
        string? ReadYaml(string folder, string name) => ReadFile(folder, name)?.Yaml;
        string? ProjectRoot(string dir)
        {
            if (projectOf.TryGetValue(dir, out var known)) return known;
            var found = ReadYaml(dir, "_quarto") is not null ? dir
                : dir.Length > top.Length && Path.GetDirectoryName(dir) is { } parent ? ProjectRoot(parent)
                : null;
            projectOf[dir] = found;
            return found;
        }

        var notesOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var note in notes)
        {
            if (Path.GetDirectoryName(note) is not { } dir || !(dir + "/").StartsWith(top + "/", StringComparison.Ordinal)) continue;
            if (ProjectRoot(dir) is not { } root) continue;
            if (!notesOf.TryGetValue(root, out var list)) notesOf[root] = list = [];
            list.Add(note);
        }

        var result = ImmutableArray.CreateBuilder<QuartoProject>();
        foreach (var (root, projectNotes) in notesOf.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var projectYaml = ReadFile(root, "_quarto")!.Value;
            var profiles = QuartoProject.ActiveProfiles(projectYaml.Yaml, Environment.GetEnvironmentVariable("QUARTO_PROFILE"))
                .Select(name => (Name: name, File: ReadFile(root, "_quarto-" + name)))
                .Where(p => p.File is not null)
                .Select(p => (p.Name, p.File!.Value.Path, p.File!.Value.Yaml))
                .ToList();
            var metadata = new Dictionary<string, (string Path, string Yaml)>(StringComparer.Ordinal);
            foreach (var note in projectNotes)
            {
                for (var dir = Path.GetDirectoryName(note); dir is not null && dir.Length >= root.Length; dir = Path.GetDirectoryName(dir))
                {
                    if (metadata.ContainsKey(dir)) continue;
                    if (ReadFile(dir, "_metadata") is { } file) metadata[dir] = file;
                    if (dir == root) break;
                }
            }
            result.Add(QuartoProject.Read(root, projectYaml, profiles, metadata, workspaceDiscovered, paths));
        }
        return result.ToImmutable();
    }
}
