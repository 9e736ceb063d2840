namespace BibServer.Core.Libraries.Zotero;

/// <summary>
/// How to read one Zotero database. The server fills it in: paths are resolved and files read before the core
/// sees them, so the reader stays a function of its inputs.
/// </summary>
public sealed record ZoteroOptions
{
    public static ZoteroOptions Default { get; } = new();

    /// <summary>A path of collection names (<c>Survey/Alignment</c>): only items in it or its sub-collections.</summary>
    public string? Collection { get; init; }

    /// <summary>A group library's name; null (or "My Library") for the user's own library.</summary>
    public string? Library { get; init; }

    /// <summary>The bytes of <c>better-bibtex.sqlite</c> beside the database, when there is one.</summary>
    public ReadOnlyMemory<byte>? BetterBibtex { get; init; }

    /// <summary>The Zotero data directory, where <c>storage/</c> holds imported files; the database's folder by default.</summary>
    public string? DataDirectory { get; init; }
}
