using System.Collections.Immutable;
using BibServer.Core.Libraries.Bibtex;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Libraries.PaperLists;

namespace BibServer.Core.Libraries;

/// <summary>The library formats BibServer reads: adding a format is its folder and one line here.</summary>
public static class LibraryFormats
{
    /// <summary>Every format, in the order a file's extension is looked up (and the order of the watched globs).</summary>
    public static ImmutableArray<LibraryFormat> All { get; } =
    [
        BibtexFormat.Instance,
        CslJsonFormat.Instance,
        CslYamlFormat.Instance,
        PaperListFormat.Instance,
        Zotero.ZoteroFormat.Instance,
    ];

    /// <summary>What a file whose extension no format claims is read as: a scraped paper list, recognised by its content.</summary>
    public static LibraryFormat Fallback => PaperListFormat.Instance;

    /// <summary>The format whose extension a file has, or null when none claims it.</summary>
    public static LibraryFormat? ByExtension(string path)
    {
        var extension = Path.GetExtension(path);
        foreach (var format in All)
            foreach (var e in format.Extensions)
                if (string.Equals(e, extension, StringComparison.OrdinalIgnoreCase)) return format;
        return null;
    }

    /// <summary>The format a file is read as: the one its extension says, else a paper list.</summary>
    public static LibraryFormat Of(string path) => ByExtension(path) ?? Fallback;

    /// <summary>The globs of every format's files, for the file watcher.</summary>
    public static ImmutableArray<string> WatchGlobs { get; } = [.. All.SelectMany(format => format.WatchGlobs).Distinct(StringComparer.Ordinal)];
}
