using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.PaperLists;

namespace BibServer.Core.Tests.PaperLists;

/// <summary>
/// The paper-list fixtures: the five seeds as they are (expected answers in testdata/lists/seeds, since the
/// seed folder is never written to) and the variants in testdata/lists/variants, each beside its answer.
/// </summary>
internal static class ListFixtures
{
    public static readonly string[] Seeds =
    [
        "000_15c1982a7ee950de.txt",
        "001_bfc6ce7927b51af8.txt",
        "002_222a524165b55640.txt",
        "003_87b10aa909be43f7.txt",
        "004_f61b5b2dbed0dad1.txt",
    ];

    /// <summary>Every fixture as (name shown in test results, path relative to tests/testdata).</summary>
    public static IEnumerable<string> All()
    {
        foreach (var seed in Seeds) yield return $"seeds/{seed}";
        foreach (var file in Directory.GetFiles(TestData.Path("lists", "variants"), "*.txt").Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".expected.txt", StringComparison.Ordinal)) continue;
            yield return $"lists/variants/{Path.GetFileName(file)}";
        }
    }

    public static string ExpectedPath(string fixture)
    {
        var name = Path.GetFileNameWithoutExtension(fixture) + ".expected.txt";
        return fixture.StartsWith("seeds/", StringComparison.Ordinal)
            ? TestData.Path("lists", "seeds", name)
            : TestData.Path("lists", "variants", name);
    }

    /// <summary>
    /// The fixture's text exactly as its bytes say: decoded without dropping a byte-order mark (File.ReadAllText
    /// would drop it), so the reader sees what an editor may send.
    /// </summary>
    public static string Text(string fixture) => Encoding.UTF8.GetString(File.ReadAllBytes(TestData.Path(fixture.Split('/'))));

    public static LibraryDocument Read(string fixture) => PaperListReader.Read(fixture, Text(fixture));

    /// <summary>The lines of an expected file that are compared: everything but comments.</summary>
    public static string Significant(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Where(l => !l.StartsWith('#') && l.Length > 0));

    /// <summary>
    /// Compares an answer with its expected file. On a difference the actual answer is written to
    /// tests/artifacts/ for a diff, and the message names the first line that differs.
    /// </summary>
    public static void AssertMatches(string expectedPath, string actual)
    {
        var expected = Significant(File.ReadAllText(expectedPath));
        var got = Significant(actual);
        if (expected == got) return;
        var artifacts = Path.Combine(TestData.Root, "tests", "artifacts", "lists");
        Directory.CreateDirectory(artifacts);
        var actualPath = Path.Combine(artifacts, Path.GetFileName(expectedPath).Replace(".expected.", ".actual.", StringComparison.Ordinal));
        File.WriteAllText(actualPath, actual);
        var e = expected.Split('\n');
        var g = got.Split('\n');
        var i = 0;
        while (i < e.Length && i < g.Length && e[i] == g[i]) i++;
        Assert.Fail($"{Path.GetFileName(expectedPath)} differs at significant line {i + 1}:\n  expected: {(i < e.Length ? e[i] : "(end)")}\n  actual:   {(i < g.Length ? g[i] : "(end)")}\nfull answer written to {actualPath}");
    }
}
