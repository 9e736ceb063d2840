using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries;

/// <summary>
/// Everything BibServer knows about one library format, in one place: its name, which files are of it, how
/// they are read (from text, or from bytes for a binary file such as a database), how its keys are written
/// (for rename), how a stub entry is written (for the quick fix) and which files to watch. Each format has one
/// subclass in its own folder and one line in <see cref="LibraryFormats.All"/>; nothing else names a format.
/// </summary>
public abstract class LibraryFormat
{
    /// <summary>The format's name as the library statistics show it (bibserver/libraryStats), one word.</summary>
    public abstract string Name { get; }

    /// <summary>The file name extensions (lower case, with the dot) that say a file is of this format.</summary>
    public abstract ImmutableArray<string> Extensions { get; }

    /// <summary>The globs the editor is asked to watch for files of this format.</summary>
    public virtual ImmutableArray<string> WatchGlobs => [.. Extensions.Select(extension => "**/*" + extension)];

    /// <summary>Whether files of this format are handed to <see cref="ReadBytes"/> (a binary file) rather than read as text.</summary>
    public virtual bool ReadsBytes => false;

    /// <summary>
    /// Whether the server hands a file of this format on disk to <see cref="ReadBytes"/>: a binary format, or a
    /// text format whose reader reads UTF-8 without a string of the whole file (BibTeX: a large library's text
    /// as UTF-16 was most of the server's memory). An editor's buffer of a text format still comes to
    /// <see cref="Read"/> as text.
    /// </summary>
    public virtual bool ReadsFileAsBytes => ReadsBytes;

    /// <summary>Reads a file's text. Never throws: what cannot be read is a problem, and the rest is kept.</summary>
    public virtual LibraryDocument Read(string path, string text) =>
        Unreadable(path, $"A {Name} library is not a text file, so an editor's buffer of it cannot be read.");

    /// <summary>Reads a file's bytes; a text format decodes them as UTF-8 (with or without a byte order mark).</summary>
    public virtual LibraryDocument ReadBytes(string path, ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        return Read(path, System.Text.Encoding.UTF8.GetString(span.StartsWith(bom) ? span[bom.Length..] : span));
    }

    /// <summary>
    /// Reads a file on disk through <paramref name="file"/> (its bytes by place), which the document keeps for what
    /// it reads later or this disposes. By default the file is read whole and handed to <see cref="ReadBytes"/>.
    /// </summary>
    public virtual LibraryDocument ReadFile(string path, ByteSource file)
    {
        using (file) return ReadBytes(path, file.ToArray());
    }

    /// <summary>A file as the server read it: its text (<see cref="Read"/>), the file itself (<see cref="ReadFile"/>) or its bytes (<see cref="ReadBytes"/>).</summary>
    public LibraryDocument Read(string path, FileContent content) =>
        content.Text is { } text ? Read(path, text) : content.File is { } file ? ReadFile(path, file) : ReadBytes(path, content.Bytes);

    /// <summary>
    /// A file that default discovery found (no library is named anywhere), read if it is one of this format's
    /// libraries, else null. By default it is one when it has papers; a format whose extension other files
    /// share (package.json, a CI file) looks at the text first.
    /// </summary>
    public virtual LibraryDocument? Discover(string path, FileContent content)
    {
        var document = Read(path, content);
        return document.Papers.IsEmpty ? null : document;
    }

    /// <summary>
    /// Why <paramref name="key"/> cannot be an entry's key in this format, or null when it can: a rename to a
    /// key this format cannot hold is refused, naming the entry.
    /// </summary>
    public virtual string? KeyProblem(string key) => null;

    /// <summary>
    /// The text that replaces an entry's key (the text at <paramref name="keySpan"/>, its
    /// <see cref="SourceLocation.FocusSpan"/>) so that it reads <paramref name="key"/>, quoted as the file needs;
    /// null when the file holds no key text (a paper list's keys are made by BibServer), so a rename leaves it.
    /// </summary>
    public virtual string? WriteKey(string text, TextSpan keySpan, string key) => null;

    /// <summary>
    /// The text to append to a library of this format (whose text is <paramref name="text"/>) for a stub entry
    /// of <paramref name="key"/>, or null when this format takes no stub or cannot hold the key. The text may be
    /// only the library's last characters (<see cref="LibraryDocument.Tail"/>): the stub goes at its end.
    /// </summary>
    public virtual string? StubEntry(string text, string key) => null;

    public override string ToString() => Name;

    /// <summary>A document of no papers and one problem at its start: what a file that cannot be read becomes.</summary>
    protected LibraryDocument Unreadable(string path, string message) =>
        new(path, this, "", ImmutableArray<Paper>.Empty, [new Problem(Severity.Error, message, new TextSpan(0, 0), "library")]);

    /// <summary>The separator that puts an appended entry on a line of its own after a blank line.</summary>
    protected static string Separator(string text) =>
        text.Length == 0 || text.EndsWith("\n\n", StringComparison.Ordinal) ? "" : text.EndsWith('\n') ? "\n" : "\n\n";

    /// <summary>The quote character around a span, if the same one is on both sides.</summary>
    protected static char? QuoteAround(string text, TextSpan span)
    {
        if (span.Start < 1 || span.End >= text.Length) return null;
        var before = text[span.Start - 1];
        return before is '"' or '\'' && text[span.End] == before ? before : null;
    }
}
