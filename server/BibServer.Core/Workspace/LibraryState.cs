using System.Collections.Concurrent;
using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Manubot;

namespace BibServer.Core.Workspace;

/// <summary>
/// Every library file the workspace has read, and the merge of the workspace's own libraries.
/// It changes only when a library changes (a file event, an edit in a library's buffer, new settings),
/// never on a keystroke in a note: notes share it from snapshot to snapshot.
/// </summary>
public sealed class LibraryState
{
    // Merges of other library lists (a note's own `bibliography:`), made once and kept with this state:
    // they are functions of immutable documents, so memoising them here is safe.
    private readonly ConcurrentDictionary<string, LibrarySet> _sets = new(StringComparer.Ordinal);

    private LibraryState(
        ImmutableDictionary<string, LibraryDocument> documents,
        ImmutableHashSet<string> missing,
        ImmutableArray<string> workspaceLibraries,
        LibrarySet workspace,
        ImmutableArray<Manuscript> manuscripts,
        ImmutableArray<QuartoProject> quartoProjects)
    {
        QuartoProjects = quartoProjects;
        Documents = documents;
        Missing = missing;
        WorkspaceLibraries = workspaceLibraries;
        Workspace = workspace;
        Manuscripts = manuscripts;
    }

    public static LibraryState Empty { get; } = new(
        ImmutableDictionary<string, LibraryDocument>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal),
        ImmutableArray<string>.Empty,
        LibrarySet.Empty,
        ImmutableArray<Manuscript>.Empty,
        ImmutableArray<QuartoProject>.Empty);

    /// <summary>The Quarto projects of the workspace, the innermost first.</summary>
    public ImmutableArray<QuartoProject> QuartoProjects { get; }

    /// <summary>The Quarto project a note belongs to: the nearest folder above it with a <c>_quarto.yml</c>.</summary>
    public QuartoProject? QuartoProjectOf(string notePath)
    {
        QuartoProject? found = null;
        foreach (var p in QuartoProjects)
            if (p.Holds(notePath) && (found is null || p.Root.Length > found.Root.Length)) found = p;
        return found;
    }

    /// <summary>The Manubot manuscripts of the workspace: their citation tags and Manubot's cache of references.</summary>
    public ImmutableArray<Manuscript> Manuscripts { get; }

    /// <summary>The Manubot manuscript a note belongs to, if any.</summary>
    public Manuscript? ManuscriptOf(string notePath)
    {
        foreach (var m in Manuscripts)
            if (m.Holds(notePath)) return m;
        return null;
    }

    /// <summary>Every library read, by absolute path: the workspace's and those that notes name.</summary>
    public ImmutableDictionary<string, LibraryDocument> Documents { get; }

    /// <summary>Paths that a note or the settings named and that do not exist.</summary>
    public ImmutableHashSet<string> Missing { get; }

    /// <summary>The workspace's libraries in precedence order (settings order, then path order).</summary>
    public ImmutableArray<string> WorkspaceLibraries { get; }

    /// <summary>The merge of the workspace's libraries.</summary>
    public LibrarySet Workspace { get; }

    public LibraryDocument? Document(string path) => Documents.GetValueOrDefault(path);

    /// <summary>Whether a path has been read or found missing: a library named for the first time is neither.</summary>
    public bool IsKnown(string path) => Documents.ContainsKey(path) || Missing.Contains(path);

    /// <summary>
    /// A new state with these documents added or replaced, these paths known missing, and (when given)
    /// a new list of workspace libraries. The workspace merge is rebuilt only when it can have changed.
    /// </summary>
    public LibraryState With(
        IEnumerable<LibraryDocument>? documents = null,
        IEnumerable<string>? removed = null,
        IEnumerable<string>? missing = null,
        ImmutableArray<string>? workspaceLibraries = null,
        ImmutableArray<Manuscript>? manuscripts = null,
        ImmutableArray<QuartoProject>? quartoProjects = null)
    {
        var docs = Documents;
        var miss = Missing;
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in documents ?? [])
        {
            docs = docs.SetItem(d.Path, d);
            miss = miss.Remove(d.Path);
            touched.Add(d.Path);
        }
        foreach (var p in removed ?? [])
        {
            docs = docs.Remove(p);
            touched.Add(p);
        }
        foreach (var p in missing ?? [])
        {
            docs = docs.Remove(p);
            miss = miss.Add(p);
            touched.Add(p);
        }
        var order = workspaceLibraries ?? WorkspaceLibraries;
        var rebuild = workspaceLibraries is not null && !workspaceLibraries.Value.SequenceEqual(WorkspaceLibraries)
                      || order.Any(touched.Contains);
        var workspace = rebuild ? Merge(docs, order) : Workspace;
        return new LibraryState(docs, miss, order, workspace, manuscripts ?? Manuscripts, quartoProjects ?? QuartoProjects);
    }

    /// <summary>The merge of the given libraries, in order (those not read are left out), made once per state.</summary>
    public LibrarySet SetOf(ImmutableArray<string> paths)
    {
        if (paths.IsDefaultOrEmpty) return LibrarySet.Empty;
        if (paths.SequenceEqual(WorkspaceLibraries)) return Workspace;
        return _sets.GetOrAdd(string.Join('\n', paths), _ => Merge(Documents, paths));
    }

    private static LibrarySet Merge(ImmutableDictionary<string, LibraryDocument> docs, ImmutableArray<string> order)
    {
        var list = new List<LibraryDocument>(order.Length);
        foreach (var p in order)
            if (docs.TryGetValue(p, out var d)) list.Add(d);
        return list.Count == 0 ? LibrarySet.Empty : LibrarySet.Build(list);
    }
}
