using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Bibtex;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Libraries.PaperLists;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Libraries;

/// <summary>The format descriptors: the one place that knows which files are of a format and how its keys and stubs are written.</summary>
public class LibraryFormatTests
{
    [Theory]
    [InlineData("/w/refs.bib", "BibTeX")]
    [InlineData("/w/refs.BIBTEX", "BibTeX")]
    [InlineData("/w/refs.biblatex", "BibTeX")]
    [InlineData("/w/items.json", "CslJson")]
    [InlineData("/w/items.yaml", "CslYaml")]
    [InlineData("/w/items.YML", "CslYaml")]
    [InlineData("/w/seeds/000_list.txt", "PaperList")]
    public void A_file_is_of_the_format_its_extension_names(string path, string format)
    {
        Assert.Equal(format, LibraryFormats.ByExtension(path)?.Name);
        Assert.Equal(format, LibraryFormats.Of(path).Name);
    }

    [Fact]
    public void A_file_no_format_claims_is_read_as_a_paper_list_but_is_not_discovered()
    {
        Assert.Null(LibraryFormats.ByExtension("/w/papers.md"));
        Assert.Same(PaperListFormat.Instance, LibraryFormats.Of("/w/papers"));
        Assert.Null(LibraryReader.ReadIfLibrary("/w/papers.csv", FileContent.FromText("Attention Is All You Need\n")));
    }

    [Fact]
    public void No_two_formats_claim_one_extension_and_every_format_is_watched()
    {
        var extensions = LibraryFormats.All.SelectMany(f => f.Extensions).ToList();
        Assert.Equal(extensions.Count, extensions.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(["**/*.bib", "**/*.bibtex", "**/*.json", "**/*.yaml", "**/*.yml", "**/*.txt"], LibraryFormats.WatchGlobs.ToList());
    }

    [Fact]
    public void A_text_format_reads_the_same_papers_from_its_bytes_with_or_without_a_byte_order_mark()
    {
        const string text = "@article{müller2020, title={Über Alles}, author={Müller, Anna}, year={2020}}\n";
        var fromText = LibraryReader.Read("/w/refs.bib", text);
        var plain = LibraryReader.ReadBytes("/w/refs.bib", Encoding.UTF8.GetBytes(text));
        var marked = LibraryReader.Read("/w/refs.bib", FileContent.FromBytes(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(text)).ToArray()));

        Assert.Equal(["müller2020"], fromText.Papers.Select(p => p.Key));
        Assert.Equal(fromText.Papers.Select(p => (p.Key, p.Title)), plain.Papers.Select(p => (p.Key, p.Title)));
        Assert.Equal(fromText.Papers.Select(p => (p.Key, p.Title)), marked.Papers.Select(p => (p.Key, p.Title)));
        Assert.Same(BibtexFormat.Instance, marked.Format);
    }

    [Theory]
    [InlineData("/w/package.json", """{"name": "x", "id": "y"}""", false)]
    [InlineData("/w/items.json", """[{"id": "a", "title": "A"}]""", true)]
    [InlineData("/w/ci.yaml", "jobs:\n  build: {}\n", false)]
    [InlineData("/w/items.yaml", "references:\n- id: a\n  title: A\n", true)]
    [InlineData("/w/empty.bib", "", true)]
    [InlineData("/w/notes.txt", "\n\n", false)]
    public void Discovery_takes_a_file_only_when_its_format_does(string path, string text, bool taken)
    {
        Assert.Equal(taken, LibraryReader.ReadIfLibrary(path, FileContent.FromText(text)) is not null);
    }

    [Theory]
    [InlineData("BibTeX", "@article{old, title={T}}", "new:key", "new:key")]
    [InlineData("CslJson", """[{"id": "old"}]""", "n\"k", "n\\\"k")]
    [InlineData("CslYaml", "references:\n- id: old\n", "true", "\"true\"")]
    [InlineData("CslYaml", "references:\n- id: 'old'\n", "it's", "it''s")]
    public void A_key_is_written_as_its_format_needs(string format, string text, string key, string written)
    {
        var descriptor = LibraryFormats.All.Single(f => f.Name == format);
        var start = text.IndexOf("old", StringComparison.Ordinal);
        Assert.Equal(written, descriptor.WriteKey(text, new TextSpan(start, 3), key));
    }

    [Fact]
    public void A_json_id_written_as_a_number_gains_quotes_and_a_paper_list_holds_no_key_text()
    {
        Assert.Equal("\"new\"", CslJsonFormat.Instance.WriteKey("""[{"id": 12}]""", new TextSpan(9, 2), "new"));
        Assert.Null(PaperListFormat.Instance.WriteKey("Title\n", new TextSpan(0, 5), "new"));
    }

    [Fact]
    public void Only_bibtex_refuses_keys_and_takes_stubs()
    {
        Assert.Equal("`a,b` cannot be a BibTeX key: BibTeX keys may not contain `,`.", BibtexFormat.Instance.KeyProblem("a,b"));
        Assert.All(LibraryFormats.All.Where(f => f != BibtexFormat.Instance), f => Assert.Null(f.KeyProblem("a,b")));
        Assert.All(LibraryFormats.All.Where(f => f != BibtexFormat.Instance), f => Assert.Null(f.StubEntry("", "a")));
        Assert.Null(BibtexFormat.Instance.StubEntry("", "a,b"));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("@misc{x}\n", "\n")]
    [InlineData("@misc{x}\n\n", "")]
    [InlineData("@misc{x}", "\n\n")]
    public void A_stub_entry_starts_after_one_blank_line(string text, string separator)
    {
        Assert.Equal(separator + "@misc{key,\n  title = {TODO},\n  author = {TODO},\n  year = {TODO}\n}\n", BibtexFormat.Instance.StubEntry(text, "key"));
    }
}
