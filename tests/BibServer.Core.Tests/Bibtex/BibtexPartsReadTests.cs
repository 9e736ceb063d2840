using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Bibtex;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Bibtex;

/// <summary>
/// A large .bib file on disk is read a few megabytes at a time (<see cref="BibtexPartsRead"/>) and keeps the file,
/// not its bytes: the document must be the one a read of the whole bytes gives, paper for paper with deferred fields
/// decoded, with the same problems, lines, text and tail. The tests read small files in parts of a few kilobytes, so
/// that every file is cut many times. A file changed in place after its read gives no abstract rather than another
/// entry's bytes.
/// </summary>
public class BibtexPartsReadTests
{
    public static TheoryData<string, int> Files()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in BibtexBytesTests.Files())
        {
            data.Add(name, 2048);
            data.Add(name, 64 << 10);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_file_reads_the_same_in_parts_as_whole(string name, int partSize)
    {
        var bytes = File.ReadAllBytes(TestData.Path(name.Split(Path.DirectorySeparatorChar)));
        AssertSame(bytes, partSize);
    }

    [Theory]
    [InlineData(false, "\n")]
    [InlineData(true, "\r\n")]
    public void A_clean_library_with_macros_and_characters_of_several_bytes_is_read_in_parts(bool byteOrderMark, string newline)
    {
        var bytes = Library(300, byteOrderMark, newline);
        var parts = AssertSame(bytes, 4096);
        Assert.Null(parts.Utf8);
        Assert.NotNull(parts.Utf8File);
        // Checked against the text itself too, not only against the whole read.
        var paper = parts.Papers.Single(p => p.Key == "müller150");
        Assert.Equal("Über 📚 Bücher — Teil 150", paper.Title);
        Assert.Equal("Ein Abstract mit Umlauten: Größe 150, Übung.", paper.Abstract);
        Assert.Equal("Journal of Tests", paper.Venue);
        var text = Encoding.UTF8.GetString(bytes.AsSpan(byteOrderMark ? 3 : 0));
        Assert.StartsWith("@article{müller150,", text[paper.Location.Span.Start..]);
        // Rich titles are read from the file when asked, and sentence-cased as pandoc hands them to citeproc.
        Assert.Equal("Über 📚 bücher — teil 299", parts.Papers.Single(p => p.Key == "müller299").CslRichText!.Decode()["title"]);
    }

    [Fact]
    public void A_file_whose_parts_do_not_hold_is_read_whole()
    {
        // A crossref needs its parent, which may be in another part; a damaged entry's recovery may look past a part.
        var crossref = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Library(200, false, "\n"))
            + "@inproceedings{child,\n  crossref = {müller3},\n  title = {Child},\n}\n");
        var damaged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Library(200, false, "\n")).Replace("title = {Über 📚 Bücher — Teil 100}", "title = {Unclosed"));
        foreach (var bytes in new[] { crossref, damaged })
        {
            var doc = AssertSame(bytes, 4096);
            Assert.NotNull(doc.Utf8);
            Assert.Null(doc.Utf8File);
        }
    }

    [Fact]
    public void A_file_changed_in_place_after_its_read_gives_no_abstract_rather_than_another_entrys()
    {
        var bytes = Library(100, false, "\n");
        var doc = BibtexReader.ReadFile("changed.bib", ByteSource.Of(bytes), 0, 4096);
        Assert.NotNull(doc.Utf8File);
        var before = doc.Papers.Select(p => (p.Abstract, Title: p.CslRichText!.Decode()["title"])).ToArray();

        // Two entries' abstracts and titles are rewritten in place, as an editor that writes the file over would.
        var text = Encoding.UTF8.GetString(bytes);
        var changed = Encoding.UTF8.GetBytes(text.Replace("Größe 40,", "Gröse 40,").Replace("Teil 41}", "Tail 41}"));
        Assert.Equal(bytes.Length, changed.Length + 1); // one character of two bytes fewer: every place after it moved
        changed.CopyTo(bytes, 0);

        Assert.Null(doc.Papers.Single(p => p.Key == "müller40").Abstract);
        Assert.Empty(doc.Papers.Single(p => p.Key == "müller41").CslRichText!.Decode());
        // The entries before the change still read as they did.
        for (var i = 0; i < 40; i++) Assert.Equal(before[i], (doc.Papers[i].Abstract, doc.Papers[i].CslRichText!.Decode()["title"]));
    }

    /// <summary>A library of <paramref name="count"/> clean entries: macros, characters of two to four bytes, LaTeX, abstracts.</summary>
    private static byte[] Library(int count, bool byteOrderMark, string newline)
    {
        var text = new StringBuilder("% A library made for the test\n@string{jt = {Journal of Tests}}\n\n");
        for (var i = 0; i < count; i++)
        {
            text.Append($"@article{{müller{i},\n  author = {{Müller, Jürgen and {{\\'E}}cole, Zoë}},\n  title = {{{(i == count - 1 ? "{\\\"U}ber" : "Über")} 📚 Bücher — Teil {i}}},\n");
            text.Append($"  journal = jt,\n  year = {2000 + i % 25},\n  abstract = {{Ein Abstract mit Umlauten: Größe {i}, \\\"Ubung.}},\n}}\n\n");
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString().Replace("\n", newline));
        return byteOrderMark ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes;
    }

    /// <summary>Reads the bytes in parts (through a source, as the server hands a file) and whole, asserts they agree, and returns the read in parts.</summary>
    private static LibraryDocument AssertSame(byte[] bytes, int partSize)
    {
        var whole = BibtexReader.ReadUtf8("same.bib", bytes);
        var parts = BibtexReader.ReadFile("same.bib", ByteSource.Of(bytes), 0, partSize);
        Assert.Equal(whole.Papers.Select(BibtexBytesTests.Describe), parts.Papers.Select(BibtexBytesTests.Describe));
        Assert.Equal(whole.Problems.ToArray(), parts.Problems.ToArray());
        Assert.Equal(whole.Text, parts.Text);
        Assert.Equal(whole.TextLength, parts.TextLength);
        Assert.Equal(whole.Tail(3), parts.Tail(3));
        Assert.Equal(whole.Lines.LineCount, parts.Lines.LineCount);
        for (var line = 0; line < whole.Lines.LineCount; line++) Assert.Equal(whole.Lines.LineStart(line), parts.Lines.LineStart(line));
        return parts;
    }
}
