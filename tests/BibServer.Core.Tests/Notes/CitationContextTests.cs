using BibServer.Core.Notes;

namespace BibServer.Core.Tests.Notes;

/// <summary>
/// CitationContext.At on the cases of tests/testdata/notes/completion.txt: text with the cursor at "$0" and
/// the expected answer beside it (see the file's header for the format).
/// </summary>
public sealed class CitationContextTests
{
    public sealed record Case(string Name, string Text, string Expected)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases()
    {
        var data = new TheoryData<Case>();
        var lines = File.ReadAllLines(TestData.Path("notes", "completion.txt"));
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("//- ", StringComparison.Ordinal))
            {
                var body = new List<string>();
                var j = i + 1;
                while (j < lines.Length && !lines[j].StartsWith("//= ", StringComparison.Ordinal)) body.Add(lines[j++]);
                Assert.True(j < lines.Length, $"completion.txt line {i + 1}: case \"{line}\" has no //= answer");
                data.Add(new Case($"line {i + 1}: {line[4..]}", string.Join("\n", body), lines[j][4..]));
                i = j;
                continue;
            }
            var parts = line.Split("  =>  ");
            Assert.True(parts.Length == 2, $"completion.txt line {i + 1} is neither a case nor a comment: {line}");
            data.Add(new Case($"line {i + 1}: {parts[0]}", parts[0], parts[1]));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnswersAtTheCursor(Case c)
    {
        Assert.Equal(c.Expected, Answer(c.Text));
        Assert.Equal(c.Expected, Answer(c.Text.Replace("\n", "\r\n")));
    }

    /// <summary>Every offset of every case, and of some damaged text, gives an answer without throwing.</summary>
    [Fact]
    public void NeverThrowsAndStaysInsideTheText()
    {
        var texts = new List<string>();
        foreach (var row in Cases()) texts.Add(row.Text.Replace("$0", ""));
        texts.AddRange(["", "@", "[", "[@", "@{", "\\", "`", "```", "\r\n@", "😀", "\uD83D", "@\uDE00", "[@a;"]);
        foreach (var text in texts)
        {
            for (var offset = -1; offset <= text.Length + 1; offset++)
            {
                var context = CitationContext.At(text, offset);
                if (context is null) continue;
                Assert.InRange(context.KeySpan.Start, 0, text.Length);
                Assert.InRange(context.KeySpan.End, context.KeySpan.Start, text.Length);
                Assert.True(context.KeySpan.ContainsOrTouches(offset), $"«{text}» at {offset}: {context.KeySpan} does not hold the cursor");
            }
        }
    }

    private static string Answer(string marked)
    {
        var offset = marked.IndexOf("$0", StringComparison.Ordinal);
        Assert.True(offset >= 0, $"no $0 cursor in «{marked}»");
        var text = marked.Remove(offset, 2);
        var context = CitationContext.At(text, offset);
        if (context is null) return "none";
        var answer = $"key=«{text.Substring(context.KeySpan.Start, context.KeySpan.Length)}» typed=«{context.Typed}»";
        if (context.IsBracketed) answer += " bracketed";
        if (context.IsBraced) answer += " braced";
        if (context.NeedsAt) answer += " needs-at";
        return answer;
    }
}
