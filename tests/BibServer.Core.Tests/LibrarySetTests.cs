using System.Collections.Immutable;
using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Bibtex;
using BibServer.Core.Libraries.PaperLists;
using BibServer.Core.Papers;
using BibServer.Core.Tests.PaperLists;
using BibServer.Core.Text;

namespace BibServer.Core.Tests;

public class LibrarySetTests
{
    private static LibraryDocument[] SeedDocuments() => ListFixtures.Seeds.Select(s => ListFixtures.Read($"seeds/{s}")).ToArray();

    /// <summary>
    /// A BibTeX library of the given entries, the way a BibTeX reader hands it over: each entry's span, its key
    /// as the focus, the key named by the source. It stands in for the BibTeX reader, which lives elsewhere.
    /// </summary>
    private static LibraryDocument Bibtex(string path, params (string Key, string Title)[] entries)
    {
        var text = new StringBuilder();
        var papers = ImmutableArray.CreateBuilder<Paper>();
        foreach (var (key, title) in entries)
        {
            var start = text.Length;
            text.Append("@article{");
            var keyStart = text.Length;
            text.Append(key).Append(",\n  title = {").Append(title).Append("},\n}\n");
            papers.Add(new Paper
            {
                Key = key,
                KeyOrigin = KeyOrigin.Source,
                Type = "article-journal",
                Title = title,
                Location = new SourceLocation(path, TextSpan.FromBounds(start, text.Length - 1), new TextSpan(keyStart, key.Length)),
            });
            text.Append('\n');
        }
        return new LibraryDocument(path, BibtexFormat.Instance, text.ToString(), papers.ToImmutable(), []);
    }

    private static int LineOf(LibraryDocument document, TextSpan span) => document.Lines.GetPosition(span.Start).Line + 1;

    [Fact]
    public void The_seeds_are_95_papers_from_100_listings()
    {
        var set = LibrarySet.Build(SeedDocuments());

        Assert.Equal(95, set.Papers.Length);
        Assert.Equal(100, set.Papers.Sum(p => 1 + p.OtherListings.Length));
        Assert.Equal(95, set.Papers.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count());
        ListFixtures.AssertMatches(TestData.Path("lists", "seeds", "library.expected.txt"), ListDump.Describe(set));
    }

    [Fact]
    public void A_paper_listed_in_two_files_is_one_paper_with_the_gaps_of_the_first_listing_filled()
    {
        var set = LibrarySet.Build(SeedDocuments());

        var paper = Assert.Single(set.Papers, p => p.Title.StartsWith("Watermarking Degrades", StringComparison.Ordinal));
        Assert.Equal("seeds/002_222a524165b55640.txt", paper.Location.Path);
        Assert.Equal("arXiv.org Artificial Intelligence", paper.Venue);
        Assert.Equal(3, paper.AuthorCount);
        Assert.Equal(new PaperDate(2025, 6, 4, "Jun 4, 2025"), paper.Date);
        var other = Assert.Single(paper.OtherListings);
        Assert.Equal("seeds/004_f61b5b2dbed0dad1.txt", other.Location.Path);
        Assert.Null(other.Venue);
        Assert.Equal(paper.Date, other.Date);
        Assert.Equal("watermarking2025degrades", paper.Key);
        Assert.Same(paper, set.Find("watermarking2025degrades"));
    }

    [Fact]
    public void A_paper_listed_four_times_keeps_each_listing_with_its_venue_and_abstract()
    {
        var set = LibrarySet.Build(SeedDocuments());
        var cards = set.Documents[2];

        var paper = Assert.Single(set.Papers, p => p.Title.StartsWith("The alignment property of SGD noise", StringComparison.Ordinal));
        Assert.Equal("alignmentproperty", paper.Key);
        Assert.Equal(8, LineOf(cards, paper.Location.FocusSpan));
        Assert.Equal([16, 44, 65], paper.OtherListings.Select(l => LineOf(cards, l.Location.FocusSpan)));
        Assert.Equal(["Neural Information Processing Systems", "Neural Information Processing Systems", "arXiv.org Artificial Intelligence"],
            paper.OtherListings.Select(l => l.Venue));
        Assert.All(paper.OtherListings, l => Assert.False(string.IsNullOrEmpty(l.Abstract)));
        Assert.Equal(paper.AllLocations.ToArray(), set.DefinitionsOf("alignmentproperty").ToArray());
    }

    [Fact]
    public void Generated_keys_are_final_only_in_the_set()
    {
        // Alone, the cards file has four listings of one title and keys them a to d; merged they are one paper.
        var alone = ListFixtures.Read("seeds/002_222a524165b55640.txt");
        var set = LibrarySet.Build([alone]);

        Assert.Equal(["alignmentpropertya", "alignmentpropertyb", "alignmentpropertyc", "alignmentpropertyd"],
            alone.Papers.Where(p => p.Title.StartsWith("The alignment", StringComparison.Ordinal)).Select(p => p.Key));
        Assert.NotNull(set.Find("alignmentproperty"));
        Assert.Null(set.Find("alignmentpropertya"));
        Assert.Equal(6, set.Papers.Length);
    }

    [Fact]
    public void Find_is_exact_and_case_sensitive_like_pandoc()
    {
        var set = LibrarySet.Build(SeedDocuments());

        Assert.NotNull(set.Find("qwen2026sparse"));
        Assert.Null(set.Find("Qwen2026sparse"));
        Assert.Null(set.Find("qwen2026spars"));
        Assert.Null(set.Find(""));
    }

    [Fact]
    public void A_key_defined_twice_in_one_file_is_reported_at_both_entries_and_the_first_wins()
    {
        var bib = Bibtex("refs.bib", ("smith2020", "First Title"), ("jones2021", "Other"), ("smith2020", "Second Title"));

        var set = LibrarySet.Build([bib]);

        Assert.Equal("First Title", set.Find("smith2020")!.Title);
        Assert.Equal(2, set.Papers.Length);
        var problems = set.ProblemsFor("refs.bib");
        Assert.Equal(2, problems.Length);
        Assert.All(problems, p => Assert.Contains("key `smith2020` is defined twice", p.Message));
        Assert.All(problems, p => Assert.Equal(Severity.Warning, p.Severity));
        Assert.Equal([bib.Papers[0].Location.FocusSpan, bib.Papers[2].Location.FocusSpan], problems.Select(p => p.Span));
        Assert.All(problems, p => Assert.Equal("smith2020", bib.Text.Substring(p.Span.Start, p.Span.Length)));
        Assert.Equal([bib.Papers[0].Location, bib.Papers[2].Location], set.DefinitionsOf("smith2020").ToArray());
    }

    /// <summary>
    /// A merge of more than 4,096 papers (titles folded on every core, one key table for thousands of keys) is, key
    /// by key, the merge of that key's entries alone. A real export, the same export as a second library (every key
    /// in two libraries, one title: one paper, two listings), and a library that gives some of its keys other titles
    /// (conflicts) and defines one twice.
    /// </summary>
    [Fact]
    public void A_large_merge_agrees_key_by_key_with_the_merge_of_each_keys_entries_alone()
    {
        var path = TestData.Path("corpora", "bbt-1436-materials.bib");
        var bytes = File.ReadAllBytes(path);
        var corpus = BibtexFormat.Instance.ReadBytes(path, bytes);
        var again = BibtexFormat.Instance.ReadBytes(path + ".again.bib", bytes);
        var picked = corpus.Papers.Where((_, i) => i % 97 == 0).Select(p => p.Key).Distinct().ToList();
        var conflicting = Bibtex("conflicts.bib", [.. picked.Take(20).Select(k => (k, "Another paper entirely")), (picked[0], "Another paper entirely"), ("onlyhere2020", "Only here")]);
        LibraryDocument[] docs = [corpus, conflicting, again];
        Assert.True(docs.Sum(d => d.Papers.Length) > 4096);

        var set = LibrarySet.Build(docs);

        Assert.Equal(corpus.Papers.Select(p => p.Key).Distinct().Count() + 1, set.Papers.Length);
        foreach (var key in picked.Append("onlyhere2020").Append(corpus.Papers[^1].Key))
        {
            var alone = LibrarySet.Build([.. docs.Select(d => d with { Papers = [.. d.Papers.Where(p => p.Key == key)], Problems = [] })]);
            var paper = set.Find(key);
            var expected = alone.Find(key);
            Assert.NotNull(paper);
            Assert.Equal(expected!.Location, paper.Location);
            Assert.Equal(expected.Title, paper.Title);
            Assert.Equal(expected.OtherListings.Select(l => l.Location), paper.OtherListings.Select(l => l.Location));
            Assert.Equal(alone.DefinitionsOf(key).ToArray(), set.DefinitionsOf(key).ToArray());
            foreach (var doc in docs)
            {
                Assert.Equal(
                    alone.ProblemsFor(doc.Path).Select(p => (p.Message, p.Span, p.Code)),
                    set.ProblemsFor(doc.Path).Where(p => p.Message.Contains($"`{key}`", StringComparison.Ordinal)).Select(p => (p.Message, p.Span, p.Code)));
            }
        }
        Assert.Contains(set.ProblemsFor("conflicts.bib"), p => p.Code == LibrarySet.Codes.DuplicateKey);
        Assert.Contains(set.ProblemsFor("conflicts.bib"), p => p.Code == LibrarySet.Codes.KeyConflict);
    }

    /// <summary>A real corpus's papers under keys of their own, three times in a.bib and twice in b.bib: over 4,096 papers, no key twice.</summary>
    private static (LibraryDocument Corpus, LibraryDocument[] Copies) CorpusCopies()
    {
        var path = TestData.Path("corpora", "bbt-1436-materials.bib");
        var corpus = BibtexFormat.Instance.ReadBytes(path, File.ReadAllBytes(path));
        var unique = corpus.Papers.DistinctBy(p => p.Key, StringComparer.Ordinal).ToList();
        LibraryDocument Copy(string name, int copies) => corpus with
        {
            Path = name,
            Papers = [.. Enumerable.Range(0, copies).SelectMany(c => unique.Select(p => p with { Key = $"{p.Key}/{name}/{c}", Location = p.Location with { Path = name } }))],
            Problems = [],
        };
        return (corpus, [Copy("a.bib", 3), Copy("b.bib", 2)]);
    }

    /// <summary>
    /// Libraries whose keys are each defined once, as most BibTeX and CSL libraries are (the merge a warm start makes
    /// right after its cache): more than 4,096 papers in two files, so their keys are hashed on every core. Every key is
    /// found, as the paper its library holds and only exactly; the papers keep library order; and one key defined a
    /// second time is still the duplicate the full merge reports.
    /// </summary>
    [Fact]
    public void Keys_each_defined_once_are_found_exactly_and_a_second_definition_is_still_reported()
    {
        var (_, docs) = CorpusCopies();
        Assert.True(docs.Sum(d => d.Papers.Length) > 4096);

        var set = LibrarySet.Build(docs);

        Assert.Equal(docs.SelectMany(d => d.Papers), set.Papers);
        foreach (var paper in docs.SelectMany(d => d.Papers))
        {
            Assert.Same(paper, set.Find(paper.Key));
            Assert.Equal([paper.Location], set.DefinitionsOf(paper.Key).ToArray());
            Assert.Null(set.Find(paper.Key + " "));
            if (paper.Key.ToUpperInvariant() != paper.Key) Assert.Null(set.Find(paper.Key.ToUpperInvariant()));
        }
        Assert.Null(set.Find(""));
        Assert.Empty(set.ProblemsFor("a.bib"));

        var twice = docs[1] with { Papers = docs[1].Papers.Add(docs[1].Papers[7]) };
        var reported = LibrarySet.Build([docs[0], twice]);
        Assert.Equal(set.Papers.Length, reported.Papers.Length);
        Assert.Equal(2, reported.ProblemsFor("b.bib").Count(p => p.Code == LibrarySet.Codes.DuplicateKey));
        Assert.Same(docs[1].Papers[7], reported.Find(docs[1].Papers[7].Key));
    }

    [Fact]
    public void Libraries_read_back_from_their_cache_bring_their_keys_hashes_and_are_found_by_them()
    {
        var (corpus, copies) = CorpusCopies();
        var key = "library|key"u8.ToArray();
        var cached = copies
            .Select(d => Core.Libraries.Cache.LibraryCache.Decode(Core.Libraries.Cache.LibraryCache.Encode(d, key), key, d.Format, () => "").Document!)
            .ToArray();
        Assert.True(cached.Sum(d => d.Papers.Length) > 4096);
        Assert.Null(corpus.KeyHashes);
        foreach (var doc in cached) Assert.Equal(doc.Papers.Select(p => UniqueKeys.HashOf(p.Key)), doc.KeyHashes!);
        // The hashes go with the papers they were made for, not with a copy of the document that has others.
        Assert.Null((cached[0] with { Papers = cached[0].Papers.RemoveAt(0) }).KeyHashes);

        var set = LibrarySet.Build(cached);

        Assert.Equal(cached.SelectMany(d => d.Papers), set.Papers);
        foreach (var paper in cached.SelectMany(d => d.Papers))
        {
            Assert.Same(paper, set.Find(paper.Key));
            Assert.Null(set.Find(paper.Key + " "));
        }
        // A key defined in two cached libraries is found twice by its hash, and the two are merged as always: one
        // paper, listed in both.
        var again = LibrarySet.Build([cached[1], cached[1] with { Path = "c.bib" }]);
        Assert.Equal(cached[1].Papers.Length, again.Papers.Length);
        Assert.All(cached[1].Papers, p => Assert.Single(again.Find(p.Key)!.OtherListings));
    }

    [Fact]
    public void One_key_in_two_libraries_with_one_title_is_one_paper_with_two_listings()
    {
        var first = Bibtex("a.bib", ("smith2020", "Über Graph Networks"));
        var second = Bibtex("b.bib", ("smith2020", "uber graph-networks."));

        var set = LibrarySet.Build([first, second]);

        var paper = Assert.Single(set.Papers);
        Assert.Equal("a.bib", paper.Location.Path);
        Assert.Equal("b.bib", Assert.Single(paper.OtherListings).Location.Path);
        Assert.Empty(set.ProblemsFor("a.bib"));
        Assert.Empty(set.ProblemsFor("b.bib"));
        Assert.Equal(2, set.DefinitionsOf("smith2020").Length);
    }

    [Fact]
    public void One_key_in_two_libraries_with_different_titles_is_reported_at_both_and_the_first_library_wins()
    {
        var first = Bibtex("a.bib", ("smith2020", "Graph Networks"));
        var second = Bibtex("b.bib", ("other", "Something"), ("smith2020", "Kernel Methods"));

        var set = LibrarySet.Build([first, second]);
        var swapped = LibrarySet.Build([second, first]);

        Assert.Equal("Graph Networks", set.Find("smith2020")!.Title);
        Assert.Equal("Kernel Methods", swapped.Find("smith2020")!.Title);
        var atFirst = Assert.Single(set.ProblemsFor("a.bib"));
        var atSecond = Assert.Single(set.ProblemsFor("b.bib"));
        Assert.Equal(first.Papers[0].Location.FocusSpan, atFirst.Span);
        Assert.Equal(second.Papers[1].Location.FocusSpan, atSecond.Span);
        Assert.Contains("the first library in order wins", atFirst.Message);
        Assert.Contains("b.bib:5", atFirst.Message);
        Assert.Contains("this entry is the one used", atFirst.Message);
        Assert.Contains("the first library in order wins", atSecond.Message);
        Assert.Contains("a.bib:1", atSecond.Message);
        Assert.Contains("this entry is ignored", atSecond.Message);
        Assert.Equal(LibrarySet.Codes.KeyConflict, atSecond.Code);
        Assert.Equal([first.Papers[0].Location, second.Papers[1].Location], set.DefinitionsOf("smith2020").ToArray());
        Assert.Equal(2, set.Papers.Length);
    }

    [Fact]
    public void Source_papers_are_never_merged_by_title()
    {
        var bib = Bibtex("refs.bib", ("a2020", "Same Title"), ("b2020", "Same Title"));

        var set = LibrarySet.Build([bib]);

        Assert.Equal(["a2020", "b2020"], set.Papers.Select(p => p.Key));
        Assert.Empty(set.ProblemsFor("refs.bib"));
    }

    [Fact]
    public void A_list_paper_with_a_source_papers_title_becomes_a_listing_of_it_and_keeps_the_source_key()
    {
        // The user exported the plain listing's first paper to BibTeX under a key of their own.
        var bib = Bibtex("pinned.bib", ("umar-alignment", "Signal-to-noise ratio and sample size govern representational alignment in neural networks"));
        var plain = ListFixtures.Read("seeds/000_15c1982a7ee950de.txt");

        // The list comes first in library order; the source key still wins, and its entry stays the paper's location.
        var set = LibrarySet.Build([plain, bib]);

        var paper = set.Find("umar-alignment")!;
        Assert.Equal(KeyOrigin.Source, paper.KeyOrigin);
        Assert.Equal("pinned.bib", paper.Location.Path);
        Assert.Equal(plain.Papers[0].Location, Assert.Single(paper.OtherListings).Location);
        Assert.Equal(plain.Papers[0].Abstract, paper.Abstract);
        Assert.Equal(plain.Papers[0].Authors, paper.Authors);
        Assert.Null(set.Find("umarsignal"));
        Assert.Equal(10, set.Papers.Length);
        // Papers are ordered by their location, which is the source entry, in the second library.
        Assert.Equal("umar-alignment", set.Papers[^1].Key);
    }

    [Fact]
    public void Generated_keys_step_around_keys_that_source_papers_use()
    {
        var bib = Bibtex("refs.bib", ("umarsignal", "A Different Paper"));
        var plain = ListFixtures.Read("seeds/000_15c1982a7ee950de.txt");

        var set = LibrarySet.Build([bib, plain]);

        Assert.Equal("A Different Paper", set.Find("umarsignal")!.Title);
        Assert.Equal("Signal-to-Noise Ratio and Sample Size Govern Representational Alignment in Neural Networks", set.Find("umarsignalnoise")!.Title);
        Assert.Equal(11, set.Papers.Length);
    }

    [Fact]
    public void A_title_that_ends_with_a_site_name_merges_with_the_same_title_without_it()
    {
        var cards = ListFixtures.Read("lists/merge/site-suffix-cards.txt");
        var plain = ListFixtures.Read("lists/merge/site-suffix-plain.txt");

        var set = LibrarySet.Build([cards, plain]);

        var turn = Assert.Single(set.Papers, p => p.Title.StartsWith("The Sharp Left Turn", StringComparison.Ordinal));
        Assert.Equal("The Sharp Left Turn and Capability Generalization", turn.Title);
        Assert.Equal("Some Alignment Blog", turn.Fields["publisher"]);
        Assert.Equal("lists/merge/site-suffix-cards.txt", turn.Location.Path);
        Assert.Equal("#artificialintelligence", turn.Venue);
        Assert.Equal([new Person("Soares", "Nate")], turn.Authors.ToArray());
        Assert.Equal("lists/merge/site-suffix-plain.txt", Assert.Single(turn.OtherListings).Location.Path);

        // A title with authors keeps what follows its dash: it is a subtitle, not a site.
        Assert.Contains(set.Papers, p => p.Title == "Attention - A Survey of Mechanisms");
        Assert.Contains(set.Papers, p => p.Title == "Attention");
        Assert.Equal(4, set.Papers.Length);

        // The other order gives the same merge.
        var swapped = LibrarySet.Build([plain, cards]);
        Assert.Equal(4, swapped.Papers.Length);
        Assert.Equal(turn.Key, Assert.Single(swapped.Papers, p => p.Title.StartsWith("The Sharp", StringComparison.Ordinal)).Key);
    }

    [Fact]
    public void Problems_for_a_file_are_its_reader_problems_and_its_merge_problems_in_file_order()
    {
        var truncated = ListFixtures.Read("lists/variants/truncated-plain.txt");
        var bib = Bibtex("refs.bib", ("k", "One"), ("k", "Two"));

        var set = LibrarySet.Build([truncated, bib]);

        Assert.Equal(truncated.Problems.ToArray(), set.ProblemsFor("lists/variants/truncated-plain.txt").ToArray());
        Assert.Equal(2, set.ProblemsFor("refs.bib").Length);
        Assert.True(set.ProblemsFor("refs.bib")[0].Span.Start < set.ProblemsFor("refs.bib")[1].Span.Start);
        Assert.Empty(set.ProblemsFor("nowhere.bib"));
    }

    [Fact]
    public void The_empty_set_has_nothing()
    {
        Assert.Empty(LibrarySet.Empty.Papers);
        Assert.Empty(LibrarySet.Empty.Documents);
        Assert.Null(LibrarySet.Empty.Find("x"));
        Assert.Empty(LibrarySet.Empty.ProblemsFor("x"));
        Assert.Empty(LibrarySet.Empty.DefinitionsOf("x"));
        Assert.Empty(LibrarySet.Build([]).Papers);
    }

    [Fact]
    public void Papers_come_in_library_order_and_definitions_cover_every_key()
    {
        var documents = SeedDocuments();
        var set = LibrarySet.Build(documents);

        var order = set.Papers.Select(p => (Array.FindIndex(documents, d => d.Path == p.Location.Path), p.Location.Span.Start)).ToList();
        Assert.Equal(order.OrderBy(o => o.Item1).ThenBy(o => o.Start), order);
        Assert.All(set.Papers, p => Assert.Equal(p.Location, set.DefinitionsOf(p.Key)[0]));
    }
}
