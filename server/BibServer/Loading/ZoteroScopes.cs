using System.Collections.Immutable;
using BibServer.Core.Libraries.Zotero;

namespace BibServer.Loading;

/// <summary>
/// The collection and library each named Zotero database is read with, by its absolute path: what a
/// workspace's <c>zotero:</c> (bibserver.yaml) or the editor's <c>bibserver.zotero</c> says beyond the path.
/// It is carried by the objects it comes from (<see cref="WorkspaceFiles"/>, <c>ServerSettings</c>, the read-ahead)
/// and handed to every read of a database, so that no table shared by the whole process holds a workspace's
/// choices. A database no setting narrows is read whole.
/// </summary>
internal sealed class ZoteroScopes
{
    public static ZoteroScopes Empty { get; } = new(ImmutableDictionary<string, ZoteroOptions>.Empty.WithComparers(StringComparer.Ordinal));

    private readonly ImmutableDictionary<string, ZoteroOptions> _byPath;

    private ZoteroScopes(ImmutableDictionary<string, ZoteroOptions> byPath) => _byPath = byPath;

    /// <summary>The options a database is read with: its setting's collection and library, else none.</summary>
    public ZoteroOptions For(string path) => _byPath.GetValueOrDefault(path, ZoteroOptions.Default);

    /// <summary>These scopes with one database's; a setting that narrows nothing adds nothing.</summary>
    public ZoteroScopes With(string path, ZoteroOptions options) =>
        options.Collection is not { Length: > 0 } && options.Library is not { Length: > 0 } ? this : new(_byPath.SetItem(path, options));

    /// <summary>These scopes, then the other's for databases these do not narrow (the first named wins, as libraries' order does).</summary>
    public ZoteroScopes Then(ZoteroScopes? other)
    {
        if (other is null || other._byPath.IsEmpty) return this;
        var byPath = _byPath;
        foreach (var (path, options) in other._byPath)
            if (!byPath.ContainsKey(path)) byPath = byPath.Add(path, options);
        return new(byPath);
    }

    /// <summary>Whether both narrow the same databases the same way (a changed collection is read again).</summary>
    public bool SameAs(ZoteroScopes other) =>
        _byPath.Count == other._byPath.Count && _byPath.All(p => other._byPath.TryGetValue(p.Key, out var o) && o == p.Value);
}
