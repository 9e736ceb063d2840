using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Manubot;

/// <summary>A row of <c>content/citation-tags.tsv</c>: <c>@tag:Name</c> stands for <see cref="Citation"/>.</summary>
public sealed record ManubotTag(string Tag, string Citation, TextSpan Line);

/// <summary>
/// A Manubot manuscript: a folder whose <c>content/</c> holds the notes, with the tags of
/// <c>content/citation-tags.tsv</c> and the references Manubot resolved at its last build
/// (<c>output/references.json</c>, each item naming its identifier as <c>standard_id:</c> in its note).
/// Made from texts the server read; the core reads no file.
/// </summary>
public sealed partial class Manuscript
{
    private Manuscript(string root, string? tagsPath, string? tagsText, ImmutableDictionary<string, ManubotTag> tags,
        LibraryDocument? cache, FrozenDictionary<string, Paper> cached)
    {
        Root = root;
        TagsPath = tagsPath;
        TagsText = tagsText;
        Tags = tags;
        Cache = cache;
        Cached = cached;
    }

    /// <summary>The manuscript's folder (the one holding <c>content/</c>), absolute.</summary>
    public string Root { get; }

    public string? TagsPath { get; }

    public string? TagsText { get; }

    public ImmutableDictionary<string, ManubotTag> Tags { get; }

    /// <summary>Manubot's cache of resolved references, read as CSL-JSON.</summary>
    public LibraryDocument? Cache { get; }

    /// <summary>The cache's papers by standard identifier (<c>doi:10.1371/journal.pcbi.1007128</c>).</summary>
    public FrozenDictionary<string, Paper> Cached { get; }

    /// <summary>Whether a note belongs to this manuscript: it is under its folder.</summary>
    public bool Holds(string notePath) =>
        notePath.StartsWith(Root.EndsWith('/') ? Root : Root + "/", StringComparison.Ordinal);

    public static Manuscript Read(string root, string? tagsPath, string? tagsText, string? cachePath, string? cacheText)
    {
        var tags = ImmutableDictionary.CreateBuilder<string, ManubotTag>(StringComparer.Ordinal);
        if (tagsText is not null)
        {
            var start = 0;
            var first = true;
            while (start < tagsText.Length)
            {
                var end = tagsText.IndexOf('\n', start);
                if (end < 0) end = tagsText.Length;
                var line = tagsText.AsSpan(start, end - start).TrimEnd('\r');
                var tab = line.IndexOf('\t');
                // The header row is "tag<TAB>citation"; rows without a tab are skipped, as Manubot's pandas read drops them.
                if (tab > 0 && !(first && line[..tab].SequenceEqual("tag")))
                {
                    var tag = line[..tab].Trim().ToString();
                    var citation = line[(tab + 1)..].Trim().ToString();
                    if (citation.StartsWith('@')) citation = citation[1..];
                    tags.TryAdd(tag, new ManubotTag(tag, citation, new TextSpan(start, line.Length)));
                }
                first = false;
                start = end + 1;
            }
        }
        LibraryDocument? cache = null;
        var cached = new Dictionary<string, Paper>(StringComparer.Ordinal);
        if (cachePath is not null && cacheText is not null)
        {
            cache = CslJsonReader.Read(cachePath, cacheText);
            foreach (var paper in cache.Papers)
            {
                if (StandardIdOf(paper) is { } id) cached.TryAdd(id, paper);
                cached.TryAdd(paper.Key, paper);
            }
        }
        return new Manuscript(root, tagsPath, tagsText, tags.ToImmutable(), cache, cached.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The <c>standard_id: ...</c> line Manubot writes in the note of each item it generated or loaded.</summary>
    private static string? StandardIdOf(Paper paper) =>
        paper.Fields.TryGetValue("note", out var note) && StandardIdLine().Match(note) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"standard_id:[ \t]*(\S+)")]
    private static partial Regex StandardIdLine();
}
