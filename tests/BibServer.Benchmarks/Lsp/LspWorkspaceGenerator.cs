using System.Text;
using System.Text.RegularExpressions;
using BibServer.Benchmarks.Bibtex;

namespace BibServer.Benchmarks.Lsp;

/// <summary>A citation written in the generated note: where its key is (zero-based line, UTF-16 column) and what it is.</summary>
internal sealed record PlacedCitation(string Key, int Line, int Column);

/// <summary>The generated workspace: its folder, the note's path, text and citations, and the library's keys.</summary>
internal sealed record LspWorkspace(string Root, string NotePath, string NoteText, IReadOnlyList<PlacedCitation> Citations,
    IReadOnlyList<string> BrokenKeys, IReadOnlyList<string> LibraryKeys, long LibraryBytes, int ScratchLine);

/// <summary>
/// Writes a workspace the size a heavy user has: a BibTeX library of generated papers (the BibTeX benchmark's
/// generator: realistic names with LaTeX accents, titles, 600-1200 character abstracts), a bibserver.yaml
/// naming it, and one long note of prose whose citations are pandoc's three forms (<c>[@key]</c>,
/// <c>@key says</c>, <c>[see @a, p. 3; @b]</c>). A few keys are broken on purpose, so that the first
/// diagnostics show the note was checked. The same seed always gives the same files.
/// </summary>
internal static partial class LspWorkspaceGenerator
{
    private static readonly string[] Words =
    (
        "the a of and in to we that this model results show method data training which learning is are on " +
        "with for as by from their these approach our networks evidence suggests however while more than " +
        "recent work earlier studies propose compare measure observe find argue report extend improve"
    ).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public const string NoteName = "notes/survey.md";

    public static LspWorkspace Write(string root, int papers, int lines, int citations, int seed)
    {
        var libraryPath = Path.Combine(root, "library.bib");
        BibtexCorpusGenerator.Write(libraryPath, papers, seed);
        var keys = KeysOf(File.ReadAllText(libraryPath));
        File.WriteAllText(Path.Combine(root, "bibserver.yaml"), "libraries:\n  - library.bib\n");

        var random = new Random(seed);
        // Three keys no library has, each a typo of a real one, as a writer makes them.
        var known = keys.ToHashSet(StringComparer.Ordinal);
        var broken = new[] { keys[random.Next(keys.Count)] + "x", "x" + keys[random.Next(keys.Count)], keys[random.Next(keys.Count)][..^1] }
            .Select(key => known.Contains(key) ? key + "q" : key).ToArray();
        var note = Note(random, keys, broken, lines, citations);
        var notePath = Path.Combine(root, NoteName);
        Directory.CreateDirectory(Path.GetDirectoryName(notePath)!);
        File.WriteAllText(notePath, note.Text);
        return new LspWorkspace(root, notePath, note.Text, note.Citations, broken, keys, new FileInfo(libraryPath).Length, note.ScratchLine);
    }

    private static List<string> KeysOf(string bibtex) =>
        [.. EntryKey().Matches(bibtex).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^@(?!string)\w+\{([^,\s]+),", RegexOptions.Multiline)]
    private static partial Regex EntryKey();

    /// <summary>
    /// The note: front matter, headings every 40 lines, a blank line between paragraphs, and prose lines of
    /// eight to fourteen words. Citations go onto random prose lines until there are exactly
    /// <paramref name="count"/> of them (a group counts each key); the broken keys are among them. The
    /// last line is a scratch line the benchmark types completions on.
    /// </summary>
    private static (string Text, List<PlacedCitation> Citations, int ScratchLine) Note(Random r, List<string> keys, string[] broken, int lineCount, int count)
    {
        var kinds = new int[lineCount];
        var prose = new List<int>();
        // The last line is the scratch line, written apart.
        for (var i = 0; i < lineCount - 1; i++)
        {
            kinds[i] = i < 4 ? -1 : i % 40 == 4 ? 1 : i % 8 == 0 ? 2 : 0;
            if (kinds[i] == 0) prose.Add(i);
        }
        var cites = new Dictionary<int, List<string[]>>();
        var placed = 0;
        // The broken keys are the citations placed a quarter, a half and three quarters of the way through.
        var brokenAt = broken.Select((key, i) => (At: count * (i + 1) / (broken.Length + 1), Key: key)).ToDictionary(b => b.At, b => b.Key);
        while (placed < count)
        {
            var line = prose[r.Next(prose.Count)];
            var size = Math.Min(count - placed, r.Next(10) < 8 ? 1 : 2 + r.Next(2));
            var group = new string[size];
            for (var g = 0; g < size; g++)
                group[g] = brokenAt.GetValueOrDefault(placed + g) ?? keys[r.Next(keys.Count)];
            if (!cites.TryGetValue(line, out var list)) cites[line] = list = [];
            list.Add(group);
            placed += size;
        }

        var sb = new StringBuilder();
        var citations = new List<PlacedCitation>(count);
        var lineBuilder = new StringBuilder();
        for (var i = 0; i < lineCount - 1; i++)
        {
            lineBuilder.Clear();
            switch (kinds[i])
            {
                case -1:
                    lineBuilder.Append(i switch { 0 => "---", 1 => "title: A survey of everything, with two thousand citations", 2 => "---", _ => "" });
                    break;
                case 1:
                    lineBuilder.Append("## Section ").Append(i / 40 + 1);
                    break;
                case 2:
                    break;
                default:
                    var words = 8 + r.Next(7);
                    var groups = cites.GetValueOrDefault(i) ?? [];
                    var at = groups.Select(_ => r.Next(words)).Order().ToList();
                    var next = 0;
                    for (var w = 0; w < words; w++)
                    {
                        if (w > 0) lineBuilder.Append(' ');
                        lineBuilder.Append(w == 0 ? Capital(Words[r.Next(Words.Length)]) : Words[r.Next(Words.Length)]);
                        while (next < groups.Count && at[next] == w) Cite(lineBuilder, r, groups[next++], i, citations);
                    }
                    lineBuilder.Append('.');
                    break;
            }
            sb.Append(lineBuilder).Append('\n');
        }
        var scratch = lineCount - 1;
        sb.Append("Scratch:\n");
        citations.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        return (sb.ToString(), citations, scratch);
    }

    /// <summary>One citation or group, in one of pandoc's forms, recording where each key is.</summary>
    private static void Cite(StringBuilder line, Random r, string[] group, int lineNumber, List<PlacedCitation> citations)
    {
        void Key(string key)
        {
            citations.Add(new PlacedCitation(key, lineNumber, line.Length));
            line.Append(key);
        }
        if (group.Length == 1 && r.Next(4) == 0)
        {
            // In-text: "... as @key says ...".
            line.Append(" as @");
            Key(group[0]);
            line.Append(" says");
            return;
        }
        line.Append(" [");
        for (var g = 0; g < group.Length; g++)
        {
            if (g > 0) line.Append("; ");
            if (r.Next(5) == 0) line.Append("see ");
            line.Append('@');
            Key(group[g]);
            if (r.Next(6) == 0) line.Append(", p. ").Append(1 + r.Next(300));
        }
        line.Append(']');
    }

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
