using BibServer.Core.Notes;

namespace BibServer.Core.Features;

/// <summary>Questions features ask of a parsed note.</summary>
public static class NoteQueries
{
    /// <summary>
    /// The citation under the cursor: the one whose item the offset is in (or touches, so a cursor right
    /// after a key counts); inside a group but between items, the nearest item of that group.
    /// </summary>
    public static Citation? CitationAt(NoteDocument note, int offset)
    {
        Citation? inGroup = null;
        var bestDistance = int.MaxValue;
        foreach (var c in note.Citations)
        {
            if (c.KeySpan.ContainsOrTouches(offset) || c.Span.Contains(offset)) return c;
            if (c.GroupSpan is { } g && g.Contains(offset))
            {
                var d = offset < c.Span.Start ? c.Span.Start - offset : offset - c.Span.End;
                if (d < bestDistance) { bestDistance = d; inGroup = c; }
            }
            if (c.Span.Start > offset && inGroup is null && (c.GroupSpan?.Start ?? c.Span.Start) > offset) break;
        }
        return inGroup;
    }
}
