using System.Text;
using BibServer.Core.Features.Search;
using BibServer.Core.Libraries;

namespace BibServer.Core.Tests.Features;

/// <summary>
/// The search index on a library large enough for its shortcuts (parallel building, the queries of one
/// and two characters computed ahead): whatever path answers a query, the answer is the one a plain search gives.
/// </summary>
public sealed class PaperIndexScaleTests
{
    private static readonly string[] Families = ["Smith", "Garc{\\'i}a", "M{\\\"u}ller", "Sato", "Nguyen", "O'Brien", "van der Berg", "Wang", "Silva", "Kowalski"];
    private static readonly string[] Words = ["learning", "sparse", "graph", "signal", "noise", "alignment", "quantum", "attention", "survey", "of", "the", "scaling", "laws", "2d", "gans"];

    /// <summary>A generated BibTeX library: the same text every run, with names, years and titles that overlap a lot.</summary>
    private static LibrarySet Library(int papers)
    {
        var random = new Random(7);
        var bib = new StringBuilder();
        for (var i = 0; i < papers; i++)
        {
            var family = Families[random.Next(Families.Length)];
            var title = string.Join(' ', Enumerable.Range(0, 4 + random.Next(6)).Select(_ => Words[random.Next(Words.Length)]));
            bib.Append($"@article{{k{i}{family[0]},\n  author = {{{family}, Ann and {Families[random.Next(Families.Length)]}, Bo}},\n")
               .Append($"  title = {{{title}}},\n  year = {{{1990 + random.Next(35)}}}\n}}\n\n");
        }
        return LibrarySet.Build([LibraryReader.Read("/ws/large.bib", bib.ToString())]);
    }

    [Fact]
    public async Task Short_queries_answer_what_a_full_search_answers()
    {
        var index = PaperIndex.Of(Library(6000));
        await index.Prepare().WaitAsync(TimeSpan.FromSeconds(30));

        string[] queries = [.. "abcdghklmnoqsuwxyz0129".Select(c => c.ToString()), "sm", "ga", "mu", "sa", "no", "19", "20", "2d", "zz", "S", "s.", "k1"];
        foreach (var query in queries)
        {
            // A limit above what is computed ahead makes the index search in full.
            var full = index.Search(query, 1000).Take(101).Select(h => $"{h.Paper.Key} {h.Score}").ToList();
            var fast = index.Search(query, 101).Select(h => $"{h.Paper.Key} {h.Score}").ToList();
            Assert.Equal(full, fast);
        }
        Assert.NotEmpty(index.Search("sm", 101));
        Assert.Equal(101, index.Search("s", 101).Count);
        Assert.Empty(index.Search("z", 101));
    }

    [Fact]
    public async Task A_small_library_answers_short_queries_by_searching()
    {
        // Nothing is computed ahead below 4096 papers; the answer must not be the empty one of a missing table.
        var index = PaperIndex.Of(Library(300));
        await index.Prepare();

        Assert.Equal(101, index.Search("s", 101).Count);
        Assert.Equal(index.Search("g", 1000).Take(20).Select(h => h.Paper.Key), index.Search("g", 20).Select(h => h.Paper.Key));
    }

    [Fact]
    public void A_large_index_finds_what_a_small_one_finds()
    {
        // Built in parallel above 4096 papers and on one thread below: the first 4000 papers rank alike.
        var large = PaperIndex.Of(Library(6000));
        var small = PaperIndex.Of(Library(4000));

        foreach (var query in new[] { "smith 2001", "garcia sparse", "sgnoise", "k123", "alignment survey", "mul" })
        {
            var fromLarge = large.Search(query, 2000).Where(h => int.Parse(h.Paper.Key[1..^1]) < 4000).Take(50).Select(h => $"{h.Paper.Key} {h.Score}");
            var fromSmall = small.Search(query, 2000).Take(50).Select(h => $"{h.Paper.Key} {h.Score}");
            Assert.Equal(fromSmall, fromLarge);
        }
    }

    [Fact]
    public void Rare_words_far_apart_are_found_in_every_paper_that_has_them()
    {
        // The index keeps each word prefix's papers as distances from the one before, in one to five bytes:
        // words 9,973 and 20,011 papers apart take two and three bytes a paper.
        const int papers = 45_000;
        var bib = new StringBuilder();
        for (var i = 0; i < papers; i++)
        {
            var title = Words[i % Words.Length] + (i % 9973 == 0 ? " zeolite" : "") + (i % 20011 == 0 ? " xylophone" : "") + (i % 7 == 0 ? " zebra" : "");
            bib.Append($"@article{{p{i},\n  author = {{{Families[i % Families.Length]}, Ann}},\n  title = {{{title}}},\n  year = {{2001}}\n}}\n\n");
        }
        var index = PaperIndex.Of(LibrarySet.Build([LibraryReader.Read("/ws/rare.bib", bib.ToString())]));
        IEnumerable<string> Having(Func<int, bool> has) => Enumerable.Range(0, papers).Where(has).Select(i => $"p{i}").Order(StringComparer.Ordinal);
        IEnumerable<string> Found(string query, SearchMode mode = SearchMode.AllWords) =>
            index.Search(query, papers, mode).Select(h => h.Paper.Key).Order(StringComparer.Ordinal);

        Assert.Equal(Having(i => i % 9973 == 0), Found("zeolite"));
        Assert.Equal(Having(i => i % 20011 == 0), Found("xylophone"));
        Assert.Equal(Having(i => i % 9973 == 0 && i % 7 == 0), Found("zeolite zebra"));
        Assert.Equal(Having(i => i % 20011 == 0 && i % 9973 == 0), Found("xyl zeo"));
        Assert.Equal(Having(i => i % 9973 == 0 || i % 20011 == 0), Found("zeolite xylophone", SearchMode.BestOverlap));
        Assert.Equal(Having(i => i % 7 == 0), Found("zebra"));
    }
}
