using System.Collections.Immutable;
using BibServer.Core.Notes;
using BibServer.Core.Text;
using YamlDotNet.RepresentationModel;

namespace BibServer.Core.Workspace;

/// <summary>
/// A Quarto project: a folder holding <c>_quarto.yml</c>. Its <c>bibliography:</c> and <c>csl:</c> apply to the
/// notes below it, as do those of each folder's <c>_metadata.yml</c>, merged the way Quarto merges metadata.
/// The rules followed are Quarto's "Project Basics" page (https://quarto.org/docs/projects/quarto-projects.html:
/// shared metadata in <c>_quarto.yml</c>, directory metadata in <c>_metadata.yml</c>, a document's own options
/// over both) and its "Project Profiles" page (https://quarto.org/docs/projects/profiles.html: the config of
/// the active profile, <c>_quarto-NAME.yml</c>, merged over <c>_quarto.yml</c>; the active profile from
/// <c>QUARTO_PROFILE</c>, else <c>profile: default:</c>, else the first of each <c>profile: group:</c>; with
/// several, the first listed wins). Merging is Quarto's: a list joins a list (each path once), and any other
/// value replaces what it merges over. Paths are relative to the file that names them.
/// Made from texts the server read; the core reads no file.
/// </summary>
/// <summary>
/// A <c>csl:</c> that a Quarto file names: the value as written (resolved relative to <see cref="File"/>'s folder,
/// as Quarto does), the file, its text and the value's span in it, so that a style that cannot be used is
/// reported at that line.
/// </summary>
public sealed record QuartoStyle(string Value, string File, string Text, TextSpan Span)
{
    public string Folder => Path.GetDirectoryName(File) ?? "/";
}

public sealed class QuartoProject
{
    /// <summary>A file's <c>bibliography:</c> (absolute paths, and whether it was a list) and <c>csl:</c>.</summary>
    private sealed record Metadata(ImmutableArray<string>? Bibliography, bool IsList, QuartoStyle? Csl);

    private readonly Metadata _project;
    private readonly ImmutableDictionary<string, Metadata> _directories;

    private QuartoProject(string root, Metadata project, ImmutableDictionary<string, Metadata> directories, bool ignoresWorkspace, ImmutableArray<string> profiles)
    {
        Root = root;
        _project = project;
        _directories = directories;
        IgnoresWorkspace = ignoresWorkspace;
        Profiles = profiles;
    }

    /// <summary>The folder of <c>_quarto.yml</c>, absolute.</summary>
    public string Root { get; }

    /// <summary>The active profiles, first listed first.</summary>
    public ImmutableArray<string> Profiles { get; }

    /// <summary>
    /// Whether the notes of the project see only what the project names: so when the workspace's libraries are
    /// discovered (no one chose them) and the project names its bibliography, since Quarto reads no other.
    /// </summary>
    public bool IgnoresWorkspace { get; }

    /// <summary>The bibliography files the project and its folders name, for the loader to read.</summary>
    public IEnumerable<string> NamedBibliographies =>
        (_project.Bibliography ?? []).Concat(_directories.Values.SelectMany(m => m.Bibliography ?? [])).Distinct(StringComparer.Ordinal);

    /// <summary>The styles in effect somewhere in the project: the project's (profiles merged) and each folder's.</summary>
    public IEnumerable<QuartoStyle> NamedStyles =>
        new[] { _project.Csl }.Concat(_directories.Values.Select(m => m.Csl)).OfType<QuartoStyle>().Distinct();

    public bool Holds(string path) => path.StartsWith(Root.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The profiles a project makes active: <paramref name="environment"/> (QUARTO_PROFILE) if set, else its defaults.</summary>
    public static ImmutableArray<string> ActiveProfiles(string? projectYaml, string? environment)
    {
        if (!string.IsNullOrWhiteSpace(environment))
            return [.. environment.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        if (RootOf(projectYaml) is not { } root || Child(root, "profile") is not YamlMappingNode profile) return [];
        if (Child(profile, "default") is { } defaults) return Strings(defaults);
        return Child(profile, "group") is YamlSequenceNode groups
            ? [.. groups.Children.OfType<YamlSequenceNode>().Select(g => g.Children.OfType<YamlScalarNode>().FirstOrDefault()?.Value).OfType<string>()]
            : [];
    }

    /// <param name="root">The project's folder.</param>
    /// <param name="projectYaml">The path and text of <c>_quarto.yml</c>.</param>
    /// <param name="profiles">The active profiles' <c>_quarto-NAME.yml</c> paths and texts, first listed first (missing ones left out).</param>
    /// <param name="directoryMetadata">Each folder's <c>_metadata.yml</c> path and text, by absolute folder path.</param>
    /// <param name="workspaceDiscovered">Whether the workspace's libraries were discovered rather than named.</param>
    /// <param name="paths">What paths are resolved with (the home folder for <c>~/</c>).</param>
    public static QuartoProject Read(string root, (string Path, string Yaml) projectYaml, IReadOnlyList<(string Name, string Path, string Yaml)> profiles,
        IReadOnlyDictionary<string, (string Path, string Yaml)> directoryMetadata, bool workspaceDiscovered, PathContext paths)
    {
        var project = MetadataOf(projectYaml.Yaml, projectYaml.Path, paths);
        // The first listed profile wins: the others are merged first, it last.
        foreach (var (_, path, yaml) in profiles.Reverse()) project = Merge(project, MetadataOf(yaml, path, paths));
        var directories = directoryMetadata.ToImmutableDictionary(d => d.Key.TrimEnd('/'), d => MetadataOf(d.Value.Yaml, d.Value.Path, paths), StringComparer.Ordinal);
        return new QuartoProject(root.TrimEnd('/'), project, directories, workspaceDiscovered && project.Bibliography is { Length: > 0 },
            [.. profiles.Select(p => p.Name)]);
    }

    /// <summary>
    /// The bibliography files a note of the project uses, in order: project, folders from the root down, the
    /// note's own (<paramref name="own"/>, its <c>bibliography:</c> resolved).
    /// </summary>
    public ImmutableArray<string> BibliographyOf(NoteDocument note, ImmutableArray<string> own) => Effective(note, own).Bibliography ?? [];

    /// <summary>
    /// The citation style the project's files name for a note (its folders' over the project's), if any; the
    /// note's own <c>csl:</c>, which comes before it, is the caller's to look at.
    /// </summary>
    public QuartoStyle? StyleOf(NoteDocument note) => Effective(note, []).Csl;

    private Metadata Effective(NoteDocument note, ImmutableArray<string> own)
    {
        var merged = _project;
        var dir = Path.GetDirectoryName(note.Path) ?? Root;
        var chain = new List<string>();
        for (var d = dir; d is not null && d.Length >= Root.Length && Holds(d + "/"); d = Path.GetDirectoryName(d)) chain.Add(d);
        chain.Reverse();
        foreach (var d in chain)
            if (_directories.TryGetValue(d, out var m)) merged = Merge(merged, m);
        if (note.FrontMatter is { } fm)
        {
            if (!fm.Bibliography.IsEmpty) merged = Merge(merged, new Metadata(own, IsList: fm.Bibliography.Length > 1 || FrontMatterIsList(fm), null));
        }
        return merged;
    }

    /// <summary>Whether a front matter writes <c>bibliography:</c> as a list (one item or more).</summary>
    private static bool FrontMatterIsList(FrontMatter fm) =>
        RootOf(fm.Yaml) is { } root && Child(root, "bibliography") is YamlSequenceNode;

    private static Metadata Merge(Metadata under, Metadata over)
    {
        var bibliography = over.Bibliography is null ? under.Bibliography
            : under.Bibliography is { } lower && under.IsList && over.IsList ? [.. lower.Concat(over.Bibliography.Value).Distinct(StringComparer.Ordinal)]
            : over.Bibliography;
        var isList = over.Bibliography is null ? under.IsList : over.IsList;
        return new Metadata(bibliography, isList, over.Csl ?? under.Csl);
    }

    private static Metadata MetadataOf(string yaml, string file, PathContext paths)
    {
        if (RootOf(yaml) is not { } root) return new Metadata(null, false, null);
        var bibliography = Child(root, "bibliography") is { } b ? Strings(b).Select(v => paths.Resolve(file, v)).ToImmutableArray() : (ImmutableArray<string>?)null;
        var csl = Child(root, "csl") is YamlScalarNode { Value: { Length: > 0 } c } node
            ? new QuartoStyle(c, file, yaml, new TextSpan((int)node.Start.Index, (int)(node.End.Index - node.Start.Index)))
            : null;
        return new Metadata(bibliography, Child(root, "bibliography") is YamlSequenceNode, csl);
    }

    private static YamlMappingNode? RootOf(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml)) return null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
        }
        catch (Exception)
        {
            // A project file that is not valid YAML names nothing; Quarto itself reports it when rendering.
            return null;
        }
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static ImmutableArray<string> Strings(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { Length: > 0 } s } => [s],
        YamlSequenceNode list => [.. list.Children.OfType<YamlScalarNode>().Select(s => s.Value).OfType<string>().Where(s => s.Length > 0)],
        _ => [],
    };
}
