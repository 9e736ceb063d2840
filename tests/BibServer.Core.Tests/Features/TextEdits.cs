using BibServer.Core.Text;

namespace BibServer.Core.Tests.Features;

/// <summary>Applies edits to a text, as an editor applies a WorkspaceEdit: all against the original text.</summary>
public static class TextEdits
{
    /// <summary>
    /// The text after the edits. Spans refer to the original text; edits may come in any order but must not
    /// overlap (two insertions at one place keep their given order), as the LSP requires of one document's edits.
    /// </summary>
    public static string Apply(string text, IEnumerable<(TextSpan Span, string NewText)> edits)
    {
        var ordered = edits.Select((e, i) => (e.Span, e.NewText, Order: i))
            .OrderBy(e => e.Span.Start).ThenBy(e => e.Span.End).ThenBy(e => e.Order).ToList();
        var result = new System.Text.StringBuilder(text.Length);
        var at = 0;
        foreach (var (span, newText, _) in ordered)
        {
            if (span.Start < at) throw new ArgumentException($"The edit at {span} overlaps an earlier one (which ends at {at}).");
            if (span.End > text.Length) throw new ArgumentException($"The edit at {span} runs past the end of the text ({text.Length}).");
            result.Append(text, at, span.Start - at).Append(newText);
            at = span.End;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }
}
