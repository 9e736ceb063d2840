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
        // A database is bytes, read by the server with ZoteroReader.Read; as text it can only be refused.
        LibraryFormat.Zotero => new LibraryDocument(path, LibraryFormat.Zotero, "", [],
            [new Text.Problem(Text.Severity.Error, "A Zotero database is read from its file, not from an editor's buffer.", default, Zotero.ZoteroReader.Codes.Unreadable)]),
        _ => PaperListReader.Read(path, text),
    };

    /// <summary>The format a file's name says it has; anything else is read as a paper list.</summary>
    public static LibraryFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".bib" or ".bibtex" or ".biblatex" => LibraryFormat.BibTeX,
        ".json" => LibraryFormat.CslJson,
        ".yaml" or ".yml" => LibraryFormat.CslYaml,
        ".sqlite" => LibraryFormat.Zotero,
        _ => LibraryFormat.PaperList,
    };

    /// <summary>
    /// Whether a file found by default discovery (no library named anywhere) is a library: every BibTeX
    /// file is; JSON and YAML only when they hold CSL items (not package.json or a CI file); other text
    /// files only when a paper-list layout recognises them. Returns the read document, or null.
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
            case LibraryFormat.Zotero:
                // Databases are libraries only when named: a workspace may hold SQLite files of other programs.
                return null;
            case LibraryFormat.PaperList when Path.GetExtension(path).ToLowerInvariant() != ".txt":
                return null;
        }
        var doc = Read(path, text);
        return doc.Papers.IsEmpty ? null : doc;
    }
}
