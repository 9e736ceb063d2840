using BibServer.Core.Libraries.Bibtex;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Libraries.PaperLists;

namespace BibServer.Core.Libraries;

/// <summary>Reads any library file: the format comes from the file's extension, and paper lists from their content.</summary>
public static class LibraryReader
{
    public static LibraryDocument Read(string path, string text) => FormatOf(path) switch
    {
        LibraryFormat.BibTeX => BibtexReader.Read(path, text),
        LibraryFormat.CslJson => CslJsonReader.Read(path, text),
        LibraryFormat.CslYaml => CslYamlReader.Read(path, text),
        _ => PaperListReader.Read(path, text),
    };

    /// <summary>The format a file's name says it has; anything else is read as a paper list.</summary>
    public static LibraryFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".bib" or ".bibtex" or ".biblatex" => LibraryFormat.BibTeX,
        ".json" => LibraryFormat.CslJson,
        ".yaml" or ".yml" => LibraryFormat.CslYaml,
        _ => LibraryFormat.PaperList,
    };

    /// <summary>
    /// Whether a file found by default discovery (no library named anywhere) is a library: every BibTeX
    /// file is; JSON and YAML only when they hold CSL items (not package.json or a CI file); other text
    /// files only when a paper-list layout recognises them with confidence
    /// (<see cref="PaperListReader.ReadIfConfident"/>). Returns the read document, or null.
    /// </summary>
    public static LibraryDocument? ReadIfLibrary(string path, string text)
    {
        var format = FormatOf(path);
        switch (format)
        {
            case LibraryFormat.BibTeX:
                return Read(path, text);
            case LibraryFormat.CslJson:
                var json = text.AsSpan().TrimStart();
                if (json.IsEmpty || json[0] != '[' || !text.Contains("\"id\"", StringComparison.Ordinal)) return null;
                break;
            case LibraryFormat.CslYaml:
                if (!text.StartsWith("references:", StringComparison.Ordinal) && !text.Contains("\nreferences:", StringComparison.Ordinal)) return null;
                break;
            case LibraryFormat.PaperList:
                return Path.GetExtension(path).Equals(".txt", StringComparison.OrdinalIgnoreCase) ? PaperListReader.ReadIfConfident(path, text) : null;
        }
        var doc = Read(path, text);
        return doc.Papers.IsEmpty ? null : doc;
    }
}
