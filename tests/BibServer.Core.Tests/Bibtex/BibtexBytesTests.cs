using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Bibtex;
using BibServer.Core.Papers;

namespace BibServer.Core.Tests.Bibtex;

/// <summary>
/// A .bib file on disk is read from its UTF-8 bytes (<see cref="BibtexReader.ReadUtf8"/>), an editor's buffer
/// from its text (<see cref="BibtexReader.Read"/>): both must give the same document, field for field, with
/// the same problems at the same UTF-16 spans and the same lines. bibtex-utf8/utf8-offsets.bib has characters of two, three
/// and four bytes before and inside entries, bytes that are not UTF-8, CRLF line ends, a byte order mark,
/// @string and crossref with such characters, and damage after them, so that a byte offset taken for a UTF-16
/// one shows.
/// </summary>
public class BibtexBytesTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestData.Path("bibtex"), "*.bib").Order(StringComparer.Ordinal)) data.Add(Path.Combine("bibtex", Path.GetFileName(file)));
        data.Add(Path.Combine("bibtex-utf8", "utf8-offsets.bib"));
        foreach (var file in Directory.GetFiles(TestData.Path("corpora"), "*.bib").Order(StringComparer.Ordinal)) data.Add(Path.Combine("corpora", Path.GetFileName(file)));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_file_reads_the_same_from_its_bytes_as_from_its_text(string name)
    {
        var path = TestData.Path(name.Split(Path.DirectorySeparatorChar));
        AssertSame(File.ReadAllBytes(path));
    }

    [Fact]
    public void The_fixture_differs_in_bytes_and_characters_and_has_problems()
    {
        // The fixture is only a test of offsets if its byte offsets are not its UTF-16 offsets.
        var bytes = File.ReadAllBytes(TestData.Path("bibtex-utf8", "utf8-offsets.bib"));
        var doc = BibtexReader.ReadUtf8("utf8-offsets.bib", bytes);
        Assert.NotNull(doc.Utf8);
        Assert.True(doc.TextLength < bytes.Length - 3 - 20, $"{doc.TextLength} characters in {bytes.Length} bytes");
        Assert.Contains(doc.Problems, p => p.Code == "bibtex-crossref-missing");
        Assert.Contains(doc.Problems, p => p.Code == "bibtex-unclosed-entry");
        var muller = doc.Papers.Single(p => p.Key == "müller2020");
        Assert.Equal("Ein Abstract mit 📚 Büchern, — Gedankenstrichen und é.", muller.Abstract);
        Assert.Equal("Université de Genève Press", muller.Venue);
        Assert.Equal("@article{müller2020,", doc.Text.Substring(muller.Location.Span.Start, 20));
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    public void A_file_with_a_wide_byte_order_mark_reads_as_its_text(string encodingName)
    {
        // Such a file is decoded whole and read as text, as the server read it before (File.ReadAllText).
        var text = File.ReadAllText(TestData.Path("bibtex-utf8", "utf8-offsets.bib"));
        var encoding = Encoding.GetEncoding(encodingName);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();
        var fromText = BibtexReader.Read("wide.bib", text);
        var fromBytes = BibtexReader.ReadUtf8("wide.bib", bytes);
        Assert.Equal(text, fromBytes.Text);
        Assert.Equal(fromText.Problems.ToArray(), fromBytes.Problems.ToArray());
        Assert.Equal(fromText.Papers.Select(Describe), fromBytes.Papers.Select(Describe));
        Assert.NotEmpty(fromBytes.Papers);
    }

    [Fact]
    public void Every_byte_prefix_of_the_fixture_reads_the_same()
    {
        // Cut anywhere, also inside a character of several bytes (the text then ends in U+FFFD).
        var bytes = File.ReadAllBytes(TestData.Path("bibtex-utf8", "utf8-offsets.bib"));
        for (var length = 0; length <= bytes.Length; length++) AssertSame(bytes[..length]);
    }

    [Fact]
    public void Damaged_fixtures_read_the_same_from_bytes()
    {
        const string structural = "{}()\"@,=#%\\$~\n é😀";
        var random = new Random(1296);
        var texts = Directory.GetFiles(TestData.Path("bibtex"), "*.bib").Append(TestData.Path("bibtex-utf8", "utf8-offsets.bib"))
            .Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        for (var round = 0; round < 1000; round++)
        {
            var sb = new StringBuilder(texts[round % texts.Length]);
            for (var edit = random.Next(1, 6); edit > 0 && sb.Length > 0; edit--)
            {
                var at = random.Next(sb.Length);
                if (random.Next(2) == 0) sb.Remove(at, 1);
                else sb.Insert(at, structural[random.Next(structural.Length)]);
            }
            AssertSame(Encoding.UTF8.GetBytes(sb.ToString()));
        }
    }

    /// <summary>Reads the bytes both ways: as bytes, and as the text the server made of them before (BOM dropped, bad bytes U+FFFD).</summary>
    private static void AssertSame(byte[] bytes)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var text = Encoding.UTF8.GetString(bytes.AsSpan().StartsWith(bom) ? bytes.AsSpan(3) : bytes);
        var fromText = BibtexReader.Read("same.bib", text);
        var fromBytes = BibtexReader.ReadUtf8("same.bib", bytes);

        Assert.Equal(text, fromBytes.Text);
        Assert.Equal(text.Length, fromBytes.TextLength);
        Assert.Equal(fromText.Tail(2), fromBytes.Tail(2));
        Assert.Equal(fromText.Problems.ToArray(), fromBytes.Problems.ToArray());
        Assert.Equal(fromText.Papers.Select(Describe), fromBytes.Papers.Select(Describe));
        Assert.Equal(fromText.Lines.LineCount, fromBytes.Lines.LineCount);
        for (var line = 0; line < fromText.Lines.LineCount; line++) Assert.Equal(fromText.Lines.LineStart(line), fromBytes.Lines.LineStart(line));
    }

    /// <summary>Everything a paper shows or exports, deferred fields decoded, as one line of text.</summary>
    internal static string Describe(Paper p) => string.Join(" | ",
        p.Key, p.KeyOrigin, p.Type, p.Title, Names(p.Authors), Names(p.Editors), p.AuthorCount, p.Organization,
        p.Date is { } d ? $"{d.Year}-{d.Month}-{d.Day} {d.Raw}" : "", p.Venue, p.Abstract, p.Url, p.Doi, p.ArxivId,
        Map(p.Fields), p.CslRichText is { } rich ? Map(rich.Decode()) : "(no rich text)", p.Location, p.OtherListings.Length, p.Extras);

    private static string Names(IEnumerable<Person> people) => string.Join("; ", people);

    private static string Map(FieldMap fields) => string.Join("; ", fields.Select(f => $"{f.Key}={f.Value}"));
}
