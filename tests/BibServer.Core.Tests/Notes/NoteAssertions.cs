using BibServer.Core.Notes;

namespace BibServer.Core.Tests.Notes;

/// <summary>Invariants every parsed note must keep, checked on fixtures and on generated notes alike.</summary>
public static class NoteAssertions
{
    public static void SpansAreConsistent(NoteDocument document)
    {
        var text = document.Text;
        var previous = -1;
        foreach (var c in document.Citations)
        {
            var where = $"citation {c.Key} at {document.Lines.GetPosition(c.KeySpan.Start)}";
            Assert.True(c.KeySpan.End <= text.Length, $"{where}: key span {c.KeySpan} runs past the text");
            Assert.True(text.Substring(c.KeySpan.Start, c.KeySpan.Length) == c.Key, $"{where}: key span {c.KeySpan} holds \"{text.Substring(c.KeySpan.Start, c.KeySpan.Length)}\"");
            Assert.True(c.KeySpan.Start > 0 && text[c.KeySpan.Start - 1] == (c.IsBraced ? '{' : '@'), $"{where}: key is not preceded by {(c.IsBraced ? "'{'" : "'@'")}");
            Assert.True(c.Span.Start <= c.KeySpan.Start - 1 && c.KeySpan.End <= c.Span.End, $"{where}: span {c.Span} does not cover the key and its @");
            if (c.GroupSpan is { } group)
            {
                // An in-text citation starts before its locator's brackets; every other item is inside its group.
                var covered = c.Mode == CitationMode.AuthorInText
                    ? c.Span.Start < group.Start && c.Span.End <= group.End && c.Span.End > group.Start
                    : group.Start <= c.Span.Start && c.Span.End <= group.End;
                Assert.True(covered, $"{where}: group {group} and span {c.Span} do not fit");
                Assert.True(text[group.Start] == '[' && text[group.End - 1] == ']', $"{where}: group {group} is not a [...]");
            }
            Assert.True(c.KeySpan.Start > previous, $"{where}: citations are not in document order");
            previous = c.KeySpan.Start;
        }
    }
}
