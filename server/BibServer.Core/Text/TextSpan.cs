namespace BibServer.Core.Text;

/// <summary>A range of UTF-16 code units in a text: the core's only notion of position.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public bool IsEmpty => Length == 0;

    public static TextSpan FromBounds(int start, int end) => new(start, Math.Max(0, end - start));

    /// <summary>True when the offset is inside the span or touches its end (a cursor right after a key is "on" it).</summary>
    public bool ContainsOrTouches(int offset) => offset >= Start && offset <= End;

    public bool Contains(int offset) => offset >= Start && offset < End;

    public override string ToString() => $"[{Start}..{End})";
}
