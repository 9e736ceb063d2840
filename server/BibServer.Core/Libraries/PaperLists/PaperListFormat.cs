using System.Collections.Immutable;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>
/// Scraped paper lists: what BibServer knows of the format (see <see cref="LibraryFormat"/>). Their layouts are
/// told apart by content; their keys are made by BibServer, so no file holds key text to rename.
/// </summary>
public sealed class PaperListFormat : LibraryFormat
{
    public static PaperListFormat Instance { get; } = new();

    private PaperListFormat() { }

    public override string Name => "PaperList";

    public override ImmutableArray<string> Extensions { get; } = [".txt"];

    public override LibraryDocument Read(string path, string text) => PaperListReader.Read(path, text);

    /// <summary>
    /// Only with confidence: a licence, a README, a requirements.txt or a log matches a layout's loose shape
    /// here and there (<see cref="PaperListReader.ReadIfConfident"/>).
    /// </summary>
    public override LibraryDocument? Discover(string path, FileContent content) =>
        content.Text is { } text ? PaperListReader.ReadIfConfident(path, text) : null;
}
