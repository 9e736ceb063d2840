using System.Text;
using BibServer.Core.Notes;

namespace BibServer.Core.Tests.Notes;

/// <summary>
/// A note is parsed on every keystroke, so half-typed and damaged text is the normal case: parsing must
/// never throw and must keep its spans consistent. No timing here (figures come from the benchmarks);
/// the pathological inputs below only have to finish, which they did not before failed tries were remembered.
/// </summary>
public sealed class NoteParserRobustnessTests
{
    /// <summary>Every prefix of a generated note, as if it were being typed, at a few hundred cut points.</summary>
    [Fact]
    public void TruncatedNotesParse()
    {
        var note = NoteCorpusGenerator.Join(new NoteCorpusGenerator(7).Snippets(60), out _);
        for (var cut = 0; cut <= note.Length; cut += 1 + cut % 23)
        {
            var document = NoteParser.Parse("cut.md", note[..cut]);
            NoteAssertions.SpansAreConsistent(document);
        }
    }

    /// <summary>Random text made of the characters the syntax cares about, including lone surrogates.</summary>
    [Fact]
    public void RandomSyntaxSoupParses()
    {
        const string alphabet = "@@@[[]]-;;,. \n\n\t{}()*_`~^$<>!\"'\\:#%&+?/|=aZ09é😀𝐀\uD800\uDC00\r";
        var state = 12345UL;
        for (var round = 0; round < 400; round++)
        {
            var builder = new StringBuilder();
            var length = (int)(Next(ref state) % 300);
            for (var i = 0; i < length; i++) builder.Append(alphabet[(int)(Next(ref state) % (ulong)alphabet.Length)]);
            var text = builder.ToString();
            var document = NoteParser.Parse("soup.md", text);
            NoteAssertions.SpansAreConsistent(document);
        }
    }

    public static TheoryData<string> Pathological() =>
    [
        new string('[', 3000) + "@a" + new string(']', 3000),
        new string('[', 3000) + "@a",
        string.Concat(Enumerable.Repeat("[see ", 2000)) + "@a" + new string(']', 2000),
        string.Concat(Enumerable.Repeat("[@a, *p. 3] ", 1000)),
        string.Concat(Enumerable.Repeat("*a ", 5000)),
        string.Concat(Enumerable.Repeat("^[", 2000)),
        string.Concat(Enumerable.Repeat("\"[@a, 'b; \"c ", 1000)),
        string.Concat(Enumerable.Repeat("`` [@a` ", 2000)),
        string.Concat(Enumerable.Repeat("<span>[@a, ", 1000)),
        string.Concat(Enumerable.Repeat("$a [@b ", 1000)),
        new string('@', 20000),
        "---\n" + string.Concat(Enumerable.Repeat("- [", 2000)) + "\n---\n[@a]",
    ];

    [Theory]
    [MemberData(nameof(Pathological))]
    public void PathologicalNotesFinish(string text)
    {
        var document = NoteParser.Parse("pathological.md", text);
        NoteAssertions.SpansAreConsistent(document);
    }

    [Fact]
    public void FinishedNotesStillParseAfterAnUnclosedGroup()
    {
        // Typing "[@umar" leaves an unclosed bracket; what follows it is still read.
        var document = NoteParser.Parse("typing.md", "See [@umar and more.\n\nLater [@lee2019, p. 3].\n");
        Assert.Equal(["umar", "lee2019"], document.Citations.Select(c => c.Key));
        Assert.Equal([CitationMode.AuthorInText, CitationMode.Parenthetical], document.Citations.Select(c => c.Mode));
    }

    /// <summary>The pipeline is shared: notes parsed at the same time must come out as when parsed alone.</summary>
    [Fact]
    public void ParallelParsesAgreeWithSequentialOnes()
    {
        var notes = Enumerable.Range(0, 16)
            .Select(i => NoteCorpusGenerator.Join(new NoteCorpusGenerator((ulong)(100 + i)).Snippets(40), out _))
            .ToArray();
        var alone = notes.Select(n => NoteFixtureDump(n)).ToArray();
        var together = new string[notes.Length];
        Parallel.For(0, notes.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var index = i % notes.Length;
            together[index] = NoteFixtureDump(notes[index]);
        });
        Assert.Equal(alone, together);
    }

    private static string NoteFixtureDump(string note) => NoteParserFixtureTests.Render(NoteParser.Parse("parallel.md", note));

    private static ulong Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
