using System.Collections.Immutable;
using BibServer.Core.Libraries.Manubot;

namespace BibServer.Loading;

/// <summary>
/// Finds the workspace's Manubot manuscripts: a folder whose <c>content/</c> holds notes and either
/// <c>citation-tags.tsv</c> or <c>manual-references*</c>, or that has Manubot's <c>output/references.json</c>.
/// Its tags and that cache are read here and handed to the core.
/// </summary>
internal static class ManubotFiles
{
    public const string TagsFile = "citation-tags.tsv";

    /// <summary>
    /// Whether a file is one this class reads: a manuscript's tags or Manubot's cache of references. A change to
    /// either changes what the manuscript's citations resolve to, so the workspace is read again.
    /// </summary>
    public static bool IsManuscriptFile(string path) =>
        Path.GetFileName(Path.GetDirectoryName(path)) switch
        {
            "content" => Path.GetFileName(path) == TagsFile,
            "output" => Path.GetFileName(path) == "references.json",
            _ => false,
        };

    public static ImmutableArray<Manuscript> Find(IEnumerable<string> notes, Func<string, string?> read)
    {
        var result = ImmutableArray.CreateBuilder<Manuscript>();
        var roots = notes
            .Select(Path.GetDirectoryName)
            .Where(d => d is not null && Path.GetFileName(d) == "content")
            .Select(d => Path.GetDirectoryName(d!)!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            var content = Path.Combine(root, "content");
            var tagsPath = Path.Combine(content, TagsFile);
            var cachePath = Path.Combine(root, "output", "references.json");
            var tags = read(tagsPath);
            var cache = read(cachePath);
            var manual = Directory.Exists(content) && Directory.EnumerateFiles(content, "manual-references*").Any();
            if (tags is null && cache is null && !manual) continue;
            result.Add(Manuscript.Read(root, tags is null ? null : tagsPath, tags, cache is null ? null : cachePath, cache));
        }
        return result.ToImmutable();
    }
}
