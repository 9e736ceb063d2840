using System.Buffers.Binary;
using System.Collections;
using System.Reflection;
using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Cache;
using BibServer.Core.Papers;

namespace BibServer.Core.Tests.Libraries;

/// <summary>
/// The library cache's codec: every test library read from its file and read back from the cache's bytes is the
/// same document (every paper with every field, deferred ones decoded, problems, spans, lines, summary); bytes
/// that are damaged, cut short, written for another key or in another format version are refused with a reason.
/// </summary>
public sealed class LibraryCacheTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("library.bib|1234|5678|hash");

    /// <summary>Every library of the test data, of every format (BibTeX, CSL-JSON, CSL-YAML, paper lists, Zotero).</summary>
    public static TheoryData<string> Libraries() => [.. LibraryFiles()];

    private static List<string> LibraryFiles()
    {
        var data = new List<string>();
        var roots = new[] { "bibtex", "csl", "lists", "corpora", "seeds", "zotero", "discovery" }.Select(d => TestData.Path(d)).Where(Directory.Exists);
        foreach (var file in roots.SelectMany(r => Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".expected.txt", StringComparison.Ordinal) || file.Contains(".expected", StringComparison.Ordinal)) continue;
            if (LibraryFormats.ByExtension(file) is not { } format) continue;
            if (format.ReadsBytes && !file.EndsWith(".sqlite", StringComparison.Ordinal)) continue;
            if (new FileInfo(file).Length > 64 << 20) continue;
            data.Add(Path.GetRelativePath(TestData.Path(), file));
        }
        return data;
    }

    [Fact]
    public void The_test_libraries_cover_BibTeX_CSL_JSON_CSL_YAML_paper_lists_and_Zotero()
    {
        var formats = LibraryFiles().Select(file => LibraryFormats.Of(file).Name).ToHashSet();
        foreach (var format in LibraryFormats.All) Assert.Contains(format.Name, formats);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void A_library_read_back_from_its_cache_is_the_library_read_from_its_file(string relative)
    {
        var original = Read(relative);
        var bytes = LibraryCache.Encode(original, Key);

        var (cached, why) = LibraryCache.Decode(bytes, Key, original.Format, () => original.Text);

        Assert.Null(why);
        Assert.NotNull(cached);
        Assert.Equal(Describe(original), Describe(cached));
        Assert.Equal(original.Papers.Length, cached.Papers.Length);
        // Where each entry's line is (hover's "refs.bib:12", diagnostics in the library) comes from the cache;
        // the text itself is read only when asked, through what the server hands in.
        Assert.Equal(original.Lines.LineStarts.ToArray(), cached.Lines.LineStarts.ToArray());
        Assert.Equal(original.Lines.TextLength, cached.Lines.TextLength);
        Assert.Equal(original.Text, cached.Text);
    }

    [Fact]
    public void Deferred_fields_are_kept_as_bytes_and_decoded_when_asked()
    {
        var original = Read("bibtex/accents.bib");
        var (cached, _) = LibraryCache.Decode(LibraryCache.Encode(original, Key), Key, original.Format, () => throw new InvalidOperationException("The text was read."));

        // Every field, the abstracts and rich titles decoded, without the file's text: a warm start reads none.
        Assert.Equal(Describe(original), Describe(cached!));
        Assert.Contains(cached!.Papers, p => p.Abstract is not null || p.CslRichText is not null);
    }

    [Fact]
    public void A_cache_written_for_another_key_is_stale()
    {
        var original = Read("bibtex/basic.bib");
        var bytes = LibraryCache.Encode(original, Key);

        var (cached, why) = LibraryCache.Decode(bytes, Encoding.UTF8.GetBytes("library.bib|1234|5679|hash"), original.Format, () => "");

        Assert.Null(cached);
        Assert.Equal("the library file has changed since it was written", why);
    }

    [Fact]
    public void A_cache_cut_short_anywhere_is_refused()
    {
        var original = Read("bibtex/basic.bib");
        var bytes = LibraryCache.Encode(original, Key);

        foreach (var length in new[] { 0, 7, 20, 40, bytes.Length / 3, bytes.Length / 2, bytes.Length - 17, bytes.Length - 1 })
        {
            var (cached, why) = LibraryCache.Decode(bytes[..length], Key, original.Format, () => "");
            Assert.Null(cached);
            Assert.NotNull(why);
        }
    }

    [Fact]
    public void A_cache_with_any_byte_changed_is_refused()
    {
        var original = Read("bibtex/basic.bib");
        var bytes = LibraryCache.Encode(original, Key);

        for (var at = 0; at < bytes.Length; at += Math.Max(1, bytes.Length / 200))
        {
            var damaged = (byte[])bytes.Clone();
            damaged[at] ^= 0x5A;
            var (cached, why) = LibraryCache.Decode(damaged, Key, original.Format, () => "");
            Assert.Null(cached);
            Assert.NotNull(why);
        }
        var middle = (byte[])bytes.Clone();
        middle[bytes.Length / 2] ^= 1;
        Assert.Equal("it is damaged (its checksum does not match)", LibraryCache.Decode(middle, Key, original.Format, () => "").Why);
    }

    [Fact]
    public void A_real_corpus_is_read_back_with_its_strings_and_papers_decoded_in_parts_on_every_core()
    {
        var original = Read("corpora/bbt-1436-materials.bib");
        var bytes = LibraryCache.Encode(original, Key);
        Assert.True(LibraryCache.StringCount(bytes) > LibraryCache.StringsPart, $"{LibraryCache.StringCount(bytes)} strings: one part only");
        Assert.True(original.Papers.Length > LibraryCache.PapersPart, $"{original.Papers.Length} papers: one part only");

        var (cached, why) = LibraryCache.Decode(new ReadOnlyMemory<byte>(bytes), Key, original.Format, () => original.Text, hashRange: null);

        Assert.Null(why);
        Assert.Equal(Describe(original), Describe(cached!));
    }

    [Fact]
    public void A_real_corpus_cache_damaged_in_its_strings_or_papers_is_refused_though_decoded_beside_its_check()
    {
        var original = Read("corpora/bbt-1436-materials.bib");
        var bytes = LibraryCache.Encode(original, Key);
        // From the end (the papers, then the strings' later parts) back to the deferred bytes: every damage, wherever
        // the decode is when the check ends, is the checksum's.
        foreach (var fromEnd in new[] { 17, 1000, bytes.Length / 10, bytes.Length / 4, bytes.Length / 2 })
        {
            var damaged = (byte[])bytes.Clone();
            damaged[^fromEnd] ^= 0xFF;
            var (cached, why) = LibraryCache.Decode(damaged, Key, original.Format, () => "");
            Assert.Null(cached);
            Assert.Equal("it is damaged (its checksum does not match)", why);
        }
    }

    [Fact]
    public void A_cache_checked_from_elsewhere_is_refused_when_what_is_read_there_differs()
    {
        var original = Read("bibtex/basic.bib");
        var bytes = LibraryCache.Encode(original, Key);
        var other = (byte[])bytes.Clone();
        other[bytes.Length / 2] ^= 1;

        var (good, _) = LibraryCache.Decode(bytes, Key, original.Format, () => "", (hash, offset, length) => hash.Append(bytes.AsSpan((int)offset, (int)length)));
        var (refused, why) = LibraryCache.Decode(bytes, Key, original.Format, () => "", (hash, offset, length) => hash.Append(other.AsSpan((int)offset, (int)length)));

        Assert.NotNull(good);
        Assert.Null(refused);
        Assert.Equal("it is damaged (its checksum does not match)", why);
    }

    [Fact]
    public void A_cache_written_in_a_newer_format_version_is_not_read()
    {
        var original = Read("bibtex/basic.bib");
        var bytes = LibraryCache.Encode(original, Key);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(LibraryCache.VersionOffset), LibraryCache.FormatVersion + 1);

        var (cached, why) = LibraryCache.Decode(bytes, Key, original.Format, () => "");

        Assert.Null(cached);
        Assert.Equal($"it was written in cache format {LibraryCache.FormatVersion + 1}, this server reads {LibraryCache.FormatVersion}", why);
    }

    [Fact]
    public void A_cache_of_another_format_is_not_read_as_this_one()
    {
        var original = Read("bibtex/basic.bib");

        var (cached, why) = LibraryCache.Decode(LibraryCache.Encode(original, Key), Key, LibraryFormats.Fallback, () => "");

        Assert.Null(cached);
        Assert.Equal("it was written for a library of another format", why);
    }

    private static LibraryDocument Read(string relative)
    {
        var path = TestData.Path(relative);
        var format = LibraryFormats.Of(path);
        // As the server reads a file on disk: from its bytes where the format reads them (BibTeX, Zotero), else its text.
        return format.ReadsFileAsBytes ? format.ReadBytes(path, File.ReadAllBytes(path)) : format.Read(path, File.ReadAllText(path));
    }

    /// <summary>
    /// A document as text, every public property of every paper found by reflection (so a field added to the
    /// paper model and not cached fails here), deferred fields decoded.
    /// </summary>
    private static string Describe(LibraryDocument document)
    {
        var sb = new StringBuilder();
        sb.Append("path ").Append(document.Path).Append('\n');
        sb.Append("format ").Append(document.Format.Name).Append('\n');
        sb.Append("summary ").Append(document.Summary).Append('\n');
        foreach (var problem in document.Problems) sb.Append("problem ").Append(problem).Append('\n');
        foreach (var paper in document.Papers)
        {
            Value(sb, paper, 0);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static void Value(StringBuilder sb, object? value, int depth)
    {
        Assert.True(depth < 8, "The paper model nests deeper than expected.");
        switch (value)
        {
            case null:
                sb.Append("null");
                return;
            case string s:
                sb.Append('"').Append(s).Append('"');
                return;
            case DeferredText deferred:
                Value(sb, deferred.Decode(), depth + 1);
                return;
            case DeferredFields fields:
                Value(sb, fields.Decode(), depth + 1);
                return;
            case Enum or int or long or bool or Text.TextSpan:
                sb.Append(value);
                return;
            case IEnumerable items:
                sb.Append('[');
                foreach (var item in items)
                {
                    Value(sb, item, depth + 1);
                    sb.Append(", ");
                }
                sb.Append(']');
                return;
        }
        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        {
            sb.Append(type.GetProperty("Key")!.GetValue(value)).Append('=');
            Value(sb, type.GetProperty("Value")!.GetValue(value), depth + 1);
            return;
        }
        sb.Append(type.Name).Append('{');
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0))
        {
            if (property.Name == "EqualityContract") continue;
            sb.Append(property.Name).Append(": ");
            Value(sb, property.GetValue(value), depth + 1);
            sb.Append("; ");
        }
        sb.Append('}');
    }
}
