using System.Collections.Immutable;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>BibTeX and BibLaTeX: what BibServer knows of the format (see <see cref="LibraryFormat"/>).</summary>
public sealed class BibtexFormat : LibraryFormat
{
    public static BibtexFormat Instance { get; } = new();

    private BibtexFormat() { }

    public override string Name => "BibTeX";

    public override ImmutableArray<string> Extensions { get; } = [".bib", ".bibtex", ".biblatex"];

    // .biblatex files are read, but editors are not asked to watch them (none writes them).
    public override ImmutableArray<string> WatchGlobs { get; } = ["**/*.bib", "**/*.bibtex"];

    public override LibraryDocument Read(string path, string text) => BibtexReader.Read(path, text);

    /// <summary>A file on disk is read from its UTF-8 bytes, which the papers' abstracts stay slices of (no UTF-16 copy of the file).</summary>
    public override bool ReadsFileAsBytes => true;

    public override LibraryDocument ReadBytes(string path, ReadOnlyMemory<byte> bytes) => BibtexReader.ReadUtf8(path, bytes);

    /// <summary>A large file is read a few megabytes at a time and kept on disk (<see cref="BibtexPartsRead"/>); a smaller one is read whole.</summary>
    public override LibraryDocument ReadFile(string path, ByteSource file) => BibtexReader.ReadFile(path, file);

    /// <summary>Every BibTeX file found is a library, even one without entries yet.</summary>
    public override LibraryDocument? Discover(string path, FileContent content) => Read(path, content);

    /// <summary>BibTeX ends a key at these characters.</summary>
    public override string? KeyProblem(string key)
    {
        const string forbidden = ",{}()\"#%=@\\";
        var bad = key.Where(c => forbidden.Contains(c)).Distinct().ToList();
        return bad.Count == 0
            ? null
            : $"`{key}` cannot be a BibTeX key: BibTeX keys may not contain {string.Join(" ", bad.Select(c => $"`{c}`"))}.";
    }

    public override string? WriteKey(string text, TextSpan keySpan, string key) => key;

    public override string? StubEntry(string text, string key) => KeyProblem(key) is not null
        ? null
        : $"{Separator(text)}@misc{{{key},\n  title = {{TODO}},\n  author = {{TODO}},\n  year = {{TODO}}\n}}\n";
}
