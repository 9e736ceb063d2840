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
        string? ReadYaml(string folder, string name) => read(Path.Combine(folder, name + ".yml")) ?? read(Path.Combine(folder, name + ".yaml"));
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
            var projectYaml = ReadYaml(root, "_quarto")!;
            var profiles = QuartoProject.ActiveProfiles(projectYaml, Environment.GetEnvironmentVariable("QUARTO_PROFILE"))
                .Select(name => (Name: name, Yaml: ReadYaml(root, "_quarto-" + name)))
                .Where(p => p.Yaml is not null)
                .Select(p => (p.Name, p.Yaml!))
                .ToList();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var note in projectNotes)
            {
                for (var dir = Path.GetDirectoryName(note); dir is not null && dir.Length >= root.Length; dir = Path.GetDirectoryName(dir))
                {
                    if (metadata.ContainsKey(dir)) continue;
                    if (ReadYaml(dir, "_metadata") is { } yaml) metadata[dir] = yaml;
                    if (dir == root) break;
                }
            }
            result.Add(QuartoProject.Read(root, projectYaml, profiles, metadata, workspaceDiscovered, paths));
        }
        return result.ToImmutable();
    }
}
