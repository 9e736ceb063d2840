using System.Collections.Immutable;
using BibServer.Core.Libraries.Keys;
using BibServer.Core.Libraries.PaperLists;
using BibServer.Core.Papers;
using BibServer.Core.Tests.PaperLists;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Keys;

public class PaperKeysTests
{
    /// <summary>A case of the key fixtures: the paper, the key it should get, and its line for messages.</summary>
    public sealed record KeyCase(Paper Paper, string Expected, int Line);

    /// <summary>
    /// Reads <c>authors | organisation | year | title => key</c> lines, grouped by blank lines, with optional
    /// <c>reserved: ...</c> lines. Each paper's location is its line, so ties fall back on file order.
    /// </summary>
    private static List<(List<KeyCase> Cases, HashSet<string> Reserved)> ReadGroups(string file)
    {
        var groups = new List<(List<KeyCase>, HashSet<string>)>();
        var cases = new List<KeyCase>();
        var reserved = new HashSet<string>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(TestData.Path("lists", "keys", file));
        for (var n = 0; n <= lines.Length; n++)
        {
            var line = n < lines.Length ? lines[n].Trim() : "";
            if (line.Length == 0)
            {
                if (cases.Count > 0) groups.Add((cases, reserved));
                cases = [];
                reserved = new HashSet<string>(StringComparer.Ordinal);
                continue;
            }
            if (line.StartsWith('#')) continue;
            if (line.StartsWith("reserved:", StringComparison.Ordinal))
            {
                reserved.UnionWith(line["reserved:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                continue;
            }
            var arrow = line.LastIndexOf("=>", StringComparison.Ordinal);
            var parts = line[..arrow].Split('|').Select(p => p.Trim()).ToArray();
            var authors = parts[0] == "-" ? ImmutableArray<Person>.Empty : parts[0].Split(';').Select(a =>
            {
                var name = a.Split(',', 2);
                return new Person(name[0].Trim(), name.Length > 1 ? name[1].Trim() : null);
            }).ToImmutableArray();
            var paper = new Paper
            {
                Key = "",
                KeyOrigin = KeyOrigin.Generated,
                Title = parts[3] == "-" ? "" : parts[3],
                Authors = authors,
                Organization = parts[1] == "-" ? null : parts[1],
                Date = parts[2] == "-" ? null : new PaperDate(int.Parse(parts[2])),
                Location = new SourceLocation(file, new TextSpan(n * 100, 10), new TextSpan(n * 100, 10)),
            };
            cases.Add(new KeyCase(paper, line[(arrow + 2)..].Trim(), n + 1));
        }
        return groups;
    }

    [Fact]
    public void A_paper_alone_gets_name_year_and_first_significant_word()
    {
        var groups = ReadGroups("base-keys.txt");
        var cases = groups.SelectMany(g => g.Cases).ToList();

        Assert.True(cases.Count >= 30);
        foreach (var c in cases)
        {
            var key = Assert.Single(PaperKeys.Assign([c.Paper]));
            Assert.True(c.Expected == key, $"base-keys.txt line {c.Line}: expected {c.Expected}, got {key}");
            Assert.Equal(key, PaperKeys.BaseKey(c.Paper));
            Assert.True(PaperKeys.IsValidCitationKey(key), key);
        }
    }

    [Fact]
    public void Colliding_papers_take_further_words_then_letters()
    {
        foreach (var (cases, reserved) in ReadGroups("collisions.txt"))
        {
            var keys = PaperKeys.Assign(cases.Select(c => c.Paper).ToList(), reserved);

            for (var i = 0; i < cases.Count; i++)
            {
                Assert.True(cases[i].Expected == keys[i], $"collisions.txt line {cases[i].Line}: expected {cases[i].Expected}, got {keys[i]}");
            }
            Assert.Empty(keys.Where(reserved.Contains));
        }
    }

    [Fact]
    public void Keys_do_not_depend_on_the_order_of_the_papers()
    {
        var papers = RandomPapers(new Random(7), 400);
        var keys = PaperKeys.Assign(papers);
        // Papers are records, equal by value; the map must tell two equal papers apart, so it goes by reference.
        var expected = new Dictionary<Paper, string>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < papers.Count; i++) expected[papers[i]] = keys[i];

        var random = new Random(11);
        for (var round = 0; round < 5; round++)
        {
            var shuffled = papers.OrderBy(_ => random.Next()).ToList();
            var shuffledKeys = PaperKeys.Assign(shuffled);
            for (var i = 0; i < shuffled.Count; i++) Assert.Equal(expected[shuffled[i]], shuffledKeys[i]);
        }
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Adding_a_paper_renames_only_papers_that_agree_with_it_on_the_words_their_keys_use()
    {
        // Titles from a small vocabulary of four-letter words, so that many keys collide and a key can be
        // cut back into its words: base (name + year + first word), then four letters per further word.
        var random = new Random(3);
        var papers = RandomPapers(random, 300);
        var list = new List<Paper>();
        var before = ImmutableArray<string>.Empty;
        var renamed = 0;
        foreach (var added in papers)
        {
            list.Add(added);
            var after = PaperKeys.Assign(list);
            var addedParts = KeyParts.Of(added);
            for (var i = 0; i < before.Length; i++)
            {
                if (before[i] == after[i]) continue;
                renamed++;
                var parts = KeyParts.Of(list[i]);
                var used = (before[i].Length - parts.Base.Length) / 4;
                var agree = addedParts.Base == parts.Base
                    && addedParts.Rest.Length >= used
                    && addedParts.Rest.Take(used).SequenceEqual(parts.Rest.Take(used));
                Assert.True(agree, $"adding \"{added.Title}\" renamed \"{list[i].Title}\" from {before[i]} to {after[i]}");
            }
            Assert.Equal(after.Length, after.Distinct(StringComparer.Ordinal).Count());
            before = after;
        }
        Assert.True(renamed > 0, "the vocabulary should make some papers collide");
    }

    [Fact]
    public void Keys_avoid_reserved_keys_whatever_they_are()
    {
        var papers = RandomPapers(new Random(5), 200);
        var free = PaperKeys.Assign(papers);
        var reserved = free.Where((_, i) => i % 3 == 0).ToHashSet(StringComparer.Ordinal);

        var keys = PaperKeys.Assign(papers, reserved);

        Assert.Empty(keys.Where(reserved.Contains));
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("umar2025signal", true)]
    [InlineData("7bench2025comprehensive", true)]
    [InlineData("_private", true)]
    [InlineData("doe:2020.a-b", true)]
    [InlineData("müller2020", true)]
    [InlineData("", false)]
    [InlineData("-lead", false)]
    [InlineData("trail.", false)]
    [InlineData("double--dash", false)]
    [InlineData("with space", false)]
    [InlineData("brace{", false)]
    public void Valid_citation_keys_follow_pandoc(string key, bool valid)
    {
        Assert.Equal(valid, PaperKeys.IsValidCitationKey(key));
    }

    [Theory]
    [InlineData(0, "a")]
    [InlineData(25, "z")]
    [InlineData(26, "aa")]
    [InlineData(27, "ab")]
    [InlineData(701, "zz")]
    [InlineData(702, "aaa")]
    public void Tie_letters_count_a_to_z_then_aa(int n, string letters)
    {
        Assert.Equal(letters, PaperKeys.Letters(n));
    }

    [Fact]
    public void Keys_of_the_seeds_are_stable()
    {
        // Reading the same file twice, or after a change in another file, gives the same keys.
        var first = ListFixtures.Seeds.SelectMany(s => ListFixtures.Read($"seeds/{s}").Papers.Select(p => p.Key)).ToList();
        var second = ListFixtures.Seeds.SelectMany(s => ListFixtures.Read($"seeds/{s}").Papers.Select(p => p.Key)).ToList();

        Assert.Equal(first, second);
        Assert.Contains("umarsignal", first);
        Assert.Contains("qwen2026sparse", first);
    }

    private static readonly string[] Vocabulary = ["alfa", "brav", "char", "delt", "echo", "foxt"];

    private static readonly string[] Names = ["Lee", "Kim", "Oh"];

    private static List<Paper> RandomPapers(Random random, int count)
    {
        var papers = new List<Paper>(count);
        for (var i = 0; i < count; i++)
        {
            var words = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToList();
            if (random.Next(4) == 0) words.Insert(random.Next(words.Count), "of the");
            papers.Add(new Paper
            {
                Key = "",
                KeyOrigin = KeyOrigin.Generated,
                Title = string.Join(' ', words),
                Authors = [new Person(Names[random.Next(Names.Length)], "A")],
                Date = new PaperDate(2020 + random.Next(2)),
                Location = new SourceLocation("random.txt", new TextSpan(i * 10, 5), new TextSpan(i * 10, 5)),
            });
        }
        return papers;
    }
}
