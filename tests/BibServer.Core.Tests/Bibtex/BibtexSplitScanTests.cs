using System.Text;
using BibServer.Core.Libraries.Bibtex;

namespace BibServer.Core.Tests.Bibtex;

/// <summary>
/// A large file's scan in parts on several cores (BibtexSplitScan) is the scan of the whole file in one pass: the
/// same entries, the same fields of each, the same problems in the same order, for the real corpora and for texts
/// made to test the split (a macro defined in the first part and used in the last, a @comment across a cut).
/// </summary>
public class BibtexSplitScanTests
{
    [Theory]
    [InlineData("bbt-1436-materials.bib", 2)]
    [InlineData("bbt-1436-materials.bib", 3)]
    [InlineData("bbt-1436-materials.bib", 8)]
    [InlineData("bbt-1296-library.bib", 2)]
    [InlineData("bbt-1296-library.bib", 3)]
    [InlineData("bbt-1296-library.bib", 8)]
    public void Real_corpora_scan_in_parts_as_in_one_pass(string name, int parts)
    {
        var text = File.ReadAllText(TestData.Path("corpora", name));
        var split = BibtexSplitScan.Scan(text.AsMemory(), parts, out var held);
        Assert.True(held, "the parts should hold: every cut is at an entry of these files");
        AssertSame(BibtexScanner<char>.Scan(text.AsMemory()), split);
    }

    [Theory]
    [InlineData("bbt-1436-materials.bib", 2)]
    [InlineData("bbt-1296-library.bib", 3)]
    public void Real_corpora_as_UTF8_bytes_scan_in_parts_as_in_one_pass(string name, int parts)
    {
        // The server reads a .bib file on disk as its bytes; offsets are then bytes.
        var bytes = File.ReadAllBytes(TestData.Path("corpora", name));
        var split = BibtexSplitScan.Scan((ReadOnlyMemory<byte>)bytes, parts, out var held);
        Assert.True(held);
        AssertSame(BibtexScanner<byte>.Scan(bytes), split);
    }

    [Fact]
    public void A_macro_defined_in_the_first_part_is_used_in_the_last()
    {
        var text = new StringBuilder("@string{jt = {Journal of Tests}}\n@STRING(early = \"Early\")\n\n");
        for (var i = 0; i < 400; i++)
            text.Append($"@article{{k{i},\n  title = {{Paper {i}}},\n  journal = jt # {{, }} # early,\n  month = jan,\n  year = {2000 + i % 20},\n}}\n\n");
        text.Append("@article{last,\n  journal = jt,\n  publisher = nosuchmacro,\n}\n");
        var whole = BibtexScanner<char>.Scan(text.ToString().AsMemory());
        var split = BibtexSplitScan.Scan(text.ToString().AsMemory(), 4, out var held);
        Assert.True(held);
        AssertSame(whole, split);
        // Checked against the text itself, not only against the one-pass scan.
        var last = split.Entries[^1];
        Assert.Equal("Journal of Tests", split.Fields[last.FirstField].Value.Composite);
        Assert.Contains(split.Problems, p => p.Code == "bibtex-undefined-string" && p.Message.Contains("nosuchmacro"));
        Assert.DoesNotContain(split.Problems, p => p.Message.Contains("`jt`"));
    }

    [Fact]
    public void A_macro_defined_midway_makes_the_first_part_reach_past_it()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            if (i == 150) text.Append("@string{mid = {Defined Midway}}\n\n");
            text.Append($"@article{{k{i},\n  journal = mid,\n}}\n\n");
        }
        var whole = BibtexScanner<char>.Scan(text.ToString().AsMemory());
        var split = BibtexSplitScan.Scan(text.ToString().AsMemory(), 3, out _);
        AssertSame(whole, split);
        // Used before its definition it is undefined, after it defined: as BibTeX reads it, from the top.
        Assert.Equal(150, split.Problems.Count(p => p.Code == "bibtex-undefined-string"));
        Assert.Equal("Defined Midway", split.Fields[split.Entries[^1].FirstField].Value.Composite);
    }

    [Fact]
    public void A_comment_across_a_cut_is_read_whole()
    {
        // The middle of the file is a @comment holding commented-out entries that start lines: a cut there
        // would read them as entries; the split does not hold and the file is scanned whole.
        var text = new StringBuilder();
        for (var i = 0; i < 100; i++) text.Append($"@article{{a{i},\n  title = {{A {i}}},\n}}\n");
        text.Append("@comment{\n");
        for (var i = 0; i < 300; i++) text.Append($"@article{{commented{i},\n  title = {{C {i}}},\n}}\n");
        text.Append("}\n");
        for (var i = 0; i < 100; i++) text.Append($"@article{{b{i},\n  title = {{B {i}}},\n}}\n");
        var whole = BibtexScanner<char>.Scan(text.ToString().AsMemory());
        var split = BibtexSplitScan.Scan(text.ToString().AsMemory(), 2, out var held);
        Assert.False(held);
        AssertSame(whole, split);
        Assert.Equal(200, split.Entries.Count);
    }

    [Fact]
    public void An_entry_left_open_before_a_cut_ends_there_as_in_one_pass()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++)
            text.Append(i % 37 == 5 ? $"@article{{open{i},\n  title = {{Never closed,\n  year = 2001,\n" : $"@article{{k{i},\n  title = {{T {i}}},\n}}\n");
        var whole = BibtexScanner<char>.Scan(text.ToString().AsMemory());
        Assert.Contains(whole.Problems, p => p.Code is "bibtex-unclosed-value" or "bibtex-unclosed-entry");
        for (var parts = 2; parts <= 6; parts++) AssertSame(whole, BibtexSplitScan.Scan(text.ToString().AsMemory(), parts, out _));
    }

    private static void AssertSame(BibtexScan expected, BibtexScan actual)
    {
        Assert.Equal(expected.Entries.Count, actual.Entries.Count);
        for (var i = 0; i < expected.Entries.Count; i++)
        {
            var (e, a) = (expected.Entries[i], actual.Entries[i]);
            Assert.Equal(e with { FirstField = 0 }, a with { FirstField = 0 });
            Assert.Equal(expected.Fields.AsSpan(e.FirstField, e.FieldCount).ToArray(), actual.Fields.AsSpan(a.FirstField, a.FieldCount).ToArray());
        }
        Assert.Equal(expected.Problems, actual.Problems);
    }
}
