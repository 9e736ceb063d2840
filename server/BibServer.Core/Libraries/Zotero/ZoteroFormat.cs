using System.Collections.Immutable;

namespace BibServer.Core.Libraries.Zotero;

/// <summary>
/// Zotero's database (<c>zotero.sqlite</c>): read from bytes, which the server makes from a private copy with the
/// write-ahead log applied and Better BibTeX's keys and the setting's collection and library written in
/// (server/BibServer/Loading/ZoteroFiles.cs). Its keys are never written: BibServer never writes to a Zotero
/// database, so rename refuses them and the quick fix adds no stub to it. The database is watched by the
/// server itself (its folder is seldom in the workspace), so the editor is asked to watch nothing for it.
/// </summary>
public sealed class ZoteroFormat : LibraryFormat
{
    public static ZoteroFormat Instance { get; } = new();

    private ZoteroFormat() { }

    public override string Name => "Zotero";

    public override ImmutableArray<string> Extensions { get; } = [".sqlite"];

    public override ImmutableArray<string> WatchGlobs => [];

    public override bool ReadsBytes => true;

    public override LibraryDocument ReadBytes(string path, ReadOnlyMemory<byte> bytes) => ZoteroReader.Read(path, bytes.Span);

    /// <summary>A workspace may hold SQLite files of other programs: a database is a library only when named.</summary>
    public override LibraryDocument? Discover(string path, FileContent content) => null;
}
