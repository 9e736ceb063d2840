using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Keys;
using BibServer.Core.Libraries.PaperLists;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.PaperLists;

public class PaperListReaderTests
{
    public static TheoryData<string> Fixtures() => new(ListFixtures.All());

    public static TheoryData<string> Seeds() => new(ListFixtures.Seeds.Select(s => $"seeds/{s}"));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Reads_each_fixture_as_its_expected_file_says(string fixture)
    {
        var document = ListFixtures.Read(fixture);

        Assert.Equal(PaperListFormat.Instance, document.Format);
        ListFixtures.AssertMatches(ListFixtures.ExpectedPath(fixture), ListDump.Describe(document));
    }

    [Theory]
    [InlineData("seeds/000_15c1982a7ee950de.txt", "PlainListing")]
    [InlineData("seeds/001_bfc6ce7927b51af8.txt", "AggregatorCards")]
    [InlineData("seeds/002_222a524165b55640.txt", "AggregatorCards")]
    [InlineData("seeds/003_87b10aa909be43f7.txt", "DailyFeed")]
    [InlineData("seeds/004_f61b5b2dbed0dad1.txt", "DailyFeed")]
    [InlineData("lists/variants/crlf-cards.txt", "AggregatorCards")]
    [InlineData("lists/variants/bom-plain.txt", "PlainListing")]
    [InlineData("lists/variants/daily-headerless.txt", "DailyFeed")]
    [InlineData("lists/variants/unknown-layout.txt", "Unknown")]
    [InlineData("lists/variants/empty.txt", "Empty")]
    [InlineData("lists/variants/blank-lines.txt", "Empty")]
    public void Recognises_the_layout_by_content(string fixture, string expected)
    {
        var text = ListFixtures.Text(fixture);

        Assert.Equal(expected, PaperListReader.Detect(ListLine.Split(text), text).ToString());
    }

    [Fact]
    public void The_layout_does_not_come_from_the_file_name()
    {
        // A daily feed saved under a plain listing's name is still a daily feed.
        var text = ListFixtures.Text("seeds/003_87b10aa909be43f7.txt");

        var document = PaperListReader.Read("000_15c1982a7ee950de.txt", text);

        Assert.Equal(32, document.Papers.Length);
        Assert.All(document.Papers, p => Assert.NotNull(p.Date));
    }

    [Fact]
    public void The_seeds_hold_100_listings()
    {
        var counts = ListFixtures.Seeds.Select(s => ListFixtures.Read($"seeds/{s}").Papers.Length).ToArray();

        Assert.Equal([10, 10, 9, 32, 39], counts);
        Assert.Equal(100, counts.Sum());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_header_topic_organisation_or_date_line_is_taken_for_a_paper(string fixture)
    {
        var document = ListFixtures.Read(fixture);
        string[] notTitles = ["alignment", "alignment property", "Goto", "Collaborating Authors", "new", "Subscribe", "Daily Papers",
            "Get trending papers in your email inbox!", "byAK and the research community", "·", "Qwen Qwen", "google Google",
            "ByteDance-Seed ByteDance Seed"];

        Assert.Empty(document.Problems);
        foreach (var paper in document.Papers)
        {
            Assert.DoesNotContain(paper.Title, notTitles);
            Assert.False(FeedDate.TryParse(paper.Title, out _), $"date line read as a title: {paper.Title}");
            Assert.DoesNotContain("authors", paper.Title.Split(' ').TakeLast(1));
            Assert.Equal(KeyOrigin.Generated, paper.KeyOrigin);
            Assert.Equal("article", paper.Type);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Spans_run_from_the_title_line_through_the_last_field(string fixture)
    {
        var document = ListFixtures.Read(fixture);
        var text = document.Text;

        foreach (var paper in document.Papers)
        {
            var focus = paper.Location.FocusSpan;
            var span = paper.Location.Span;
            var titleLine = document.Lines.GetPosition(focus.Start).Line;
            var lineStart = document.Lines.LineStart(titleLine);
            var lineEnd = titleLine + 1 < document.Lines.LineCount ? document.Lines.LineStart(titleLine + 1) : text.Length;

            // The focus is the title line's text: nothing but spaces around it on its line, no line break in it.
            Assert.True(text[lineStart..focus.Start].All(ListLine.IsSpace), $"{fixture}: focus does not start its line: {paper.Title}");
            Assert.True(text[focus.End..lineEnd].All(c => ListLine.IsSpace(c) || c is '\r' or '\n'), $"{fixture}: focus does not end its line: {paper.Title}");
            Assert.DoesNotContain('\n', text.Substring(focus.Start, focus.Length));
            Assert.StartsWith(text.Substring(focus.Start, focus.Length), TitleAsWritten(paper, text));
            Assert.Equal(focus.Start, span.Start);
            Assert.True(span.End >= focus.End && span.End <= text.Length);
            Assert.False(ListLine.IsSpace(text[span.End - 1]), $"{fixture}: span ends in white space: {paper.Title}");
            Assert.Equal(paper.Location.Path, fixture);
        }
    }

    /// <summary>The title as its line has it (a stripped site suffix is still on the line).</summary>
    private static string TitleAsWritten(Paper paper, string text) =>
        paper.Fields.TryGetValue("publisher", out var site) ? $"{paper.Title} - {site}" : paper.Title;

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Generated_keys_are_valid_pandoc_keys_and_unique_in_their_file(string fixture)
    {
        var document = ListFixtures.Read(fixture);

        Assert.All(document.Papers, p => Assert.True(PaperKeys.IsValidCitationKey(p.Key), p.Key));
        Assert.Equal(document.Papers.Length, document.Papers.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Abstracts_keep_tex_math_and_mis_decoded_text_as_the_file_has_them()
    {
        var plain = ListFixtures.Read("seeds/000_15c1982a7ee950de.txt");
        var cards = ListFixtures.Read("seeds/002_222a524165b55640.txt");

        Assert.Contains("$aligned$", plain.Papers[0].Abstract);
        Assert.Contains(cards.Papers, p => p.Abstract!.Contains("ฮธ", StringComparison.Ordinal));
        Assert.Contains(cards.Papers, p => p.Abstract!.Contains(@"\emph", StringComparison.Ordinal));
    }

    [Fact]
    public void Authors_are_last_first_pairs_and_titles_with_commas_are_not_authors()
    {
        var cards = ListFixtures.Read("seeds/001_bfc6ce7927b51af8.txt");

        var first = cards.Papers[0];
        Assert.Equal([new Person("Skifstad", "Julian"), new Person("Yang", "Xinyue Annie"), new Person("Chou", "Glen")], first.Authors.ToArray());
        var plan = Assert.Single(cards.Papers, p => p.Title.StartsWith("Plan, Attend", StringComparison.Ordinal));
        Assert.Empty(plan.Authors);
        Assert.Equal("Neural Information Processing Systems", plan.Venue);
    }

    [Fact]
    public void Daily_feed_gives_counts_organisations_and_dates()
    {
        var feed = ListFixtures.Read("seeds/004_f61b5b2dbed0dad1.txt");

        var seed = Assert.Single(feed.Papers, p => p.Organization == "ByteDance Seed");
        Assert.Null(seed.AuthorCount);
        Assert.Equal(new PaperDate(2025, 10, 20, "Oct 20, 2025"), seed.Date);
        var survey = Assert.Single(feed.Papers, p => p.AuthorCount == 50);
        Assert.Null(survey.Organization);
        Assert.Empty(survey.Authors);
        Assert.Equal("Extracting alignment data in open models", Assert.Single(feed.Papers, p => p.Organization == "Google").Title);
    }

    [Fact]
    public void Year_less_dates_take_the_year_after_the_latest_year_the_file_writes()
    {
        // 003 writes years up to 2025 and its year-less dates all come before its page date (May 20).
        var feed = ListFixtures.Read("seeds/003_87b10aa909be43f7.txt");

        var yearLess = feed.Papers.Where(p => !p.Date!.Raw!.Contains(',')).ToList();
        Assert.Equal(9, yearLess.Count);
        Assert.All(yearLess, p => Assert.Equal(2026, p.Year));
        Assert.Equal(new PaperDate(2026, 3, 23, "Mar 23"), feed.Papers[0].Date);
        Assert.Equal(new PaperDate(2026, 1, 8, "Jan 8"), Assert.Single(feed.Papers, p => p.Title.StartsWith("SPINAL", StringComparison.Ordinal)).Date);
    }

    [Fact]
    public void Without_a_written_year_no_year_is_invented()
    {
        var feed = ListFixtures.Read("lists/variants/daily-no-explicit-year.txt");

        Assert.All(feed.Papers, p => Assert.Null(p.Year));
        Assert.Equal(["Mar 23", "Jan 8"], feed.Papers.Select(p => p.Date!.Raw));
        Assert.Empty(feed.Problems);
    }

    [Fact]
    public void Unknown_layout_is_one_error_at_line_1_naming_the_three_layouts()
    {
        var document = ListFixtures.Read("lists/variants/unknown-layout.txt");

        Assert.Empty(document.Papers);
        var problem = Assert.Single(document.Problems);
        Assert.Equal(Severity.Error, problem.Severity);
        Assert.Equal(0, document.Lines.GetPosition(problem.Span.Start).Line);
        Assert.Contains("plain listing", problem.Message);
        Assert.Contains("aggregator cards", problem.Message);
        Assert.Contains("daily-papers feed", problem.Message);
    }

    [Theory]
    [InlineData("lists/variants/crlf-cards.txt", "001_bfc6ce7927b51af8")]
    [InlineData("lists/variants/crlf-daily.txt", "003_87b10aa909be43f7")]
    [InlineData("lists/variants/bom-plain.txt", "000_15c1982a7ee950de")]
    [InlineData("lists/variants/bom-daily.txt", "004_f61b5b2dbed0dad1")]
    [InlineData("lists/variants/trailing-spaces-daily.txt", "003_87b10aa909be43f7")]
    [InlineData("lists/variants/trailing-spaces-plain.txt", "000_15c1982a7ee950de")]
    public void Line_endings_byte_order_marks_and_trailing_spaces_change_nothing_but_offsets(string variant, string seed)
    {
        var original = ListFixtures.Read($"seeds/{seed}.txt");
        var changed = ListFixtures.Read(variant);

        Assert.Equal(Strip(ListDump.Describe(original)), Strip(ListDump.Describe(changed)));
        Assert.Equal(original.Papers.Select(p => p.Abstract), changed.Papers.Select(p => p.Abstract));
        Assert.Empty(changed.Problems);
    }

    private static string Strip(string dump) => ListFixtures.Significant(dump);

    [Fact]
    public void Reading_never_throws_on_damaged_input()
    {
        // Cuts, dropped lines and swapped lines at many places of every seed: each reading must return, keep
        // its spans inside the text, and never fall back on the internal-error problem.
        var random = new Random(20240607);
        foreach (var seed in ListFixtures.Seeds)
        {
            var text = ListFixtures.Text($"seeds/{seed}");
            var lines = text.Split('\n');
            for (var round = 0; round < 60; round++)
            {
                var damaged = (round % 3) switch
                {
                    0 => text[..random.Next(text.Length)],
                    1 => string.Join('\n', lines.Where((_, i) => random.Next(6) != 0)),
                    _ => string.Join('\n', lines.OrderBy(_ => random.Next(20))),
                };
                var document = PaperListReader.Read("damaged.txt", damaged);

                Assert.DoesNotContain(document.Problems, p => p.Code == PaperListReader.Codes.InternalError);
                Assert.All(document.Papers, p => Assert.True(p.Location.Span.End <= damaged.Length && p.Title.Length > 0));
                Assert.All(document.Problems, p => Assert.True(p.Span.End <= damaged.Length));
            }
        }
    }
}
