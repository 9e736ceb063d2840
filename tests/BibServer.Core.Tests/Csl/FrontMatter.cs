namespace BibServer.Core.Tests.Csl;

/// <summary>Finds a note's YAML front matter the way a caller of CslYamlReader would.</summary>
internal static class FrontMatter
{
    /// <summary>
    /// The block from the opening "---" line to the closing "---" or "..." line, both included, and the
    /// text between them (its start is where the line after the opening "---" starts).
    /// </summary>
    public static (int BlockStart, int BlockLength, int InnerStart, int InnerLength) Find(string note)
    {
        if (!note.StartsWith("---\n", StringComparison.Ordinal)) throw new ArgumentException("The note has no front matter.");
        var innerStart = 4;
        var position = innerStart;
        while (position < note.Length)
        {
            var end = note.IndexOf('\n', position);
            var line = note[position..(end < 0 ? note.Length : end)];
            if (line is "---" or "...")
                return (0, end < 0 ? note.Length : end + 1, innerStart, position - innerStart);
            if (end < 0) break;
            position = end + 1;
        }
        throw new ArgumentException("The front matter does not end.");
    }
}
