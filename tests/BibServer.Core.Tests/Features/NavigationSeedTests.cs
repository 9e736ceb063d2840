using BibServer.Core.Features;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Features;

/// <summary>Quick fixes and workspace symbols over the real seed lists, which are the workspace a user starts with.</summary>
public class NavigationSeedTests
{
    private static Fixture SeedWorkspace(string note)
    {
        var text = new System.Text.StringBuilder($"//- /ws/notes/survey.md\n{note}\n");
        foreach (var seed in Directory.GetFiles(TestData.Path("seeds"), "*.txt").Order(StringComparer.Ordinal))
            text.Append($"//- /ws/papers/{Path.GetFileName(seed)}\n").Append(File.ReadAllText(seed).TrimEnd('\n')).Append('\n');
        return Fixture.Parse(text.ToString());
    }

    [Fact]
    public void A_misspelt_generated_key_is_fixed_by_its_closest_key_first()
    {
        var f = SeedWorkspace("A typo [@umarsignl].");
        var at = f.Snapshot.Note(f.CursorPath)!.Text.IndexOf("umarsignl", StringComparison.Ordinal);

        var fixes = CodeActions.Find(f.Snapshot, f.CursorPath, [new TextSpan(at + 2, 0)]);

        var first = fixes[0];
        Assert.Equal("Replace with `umarsignal`", first.Title);
        Assert.True(first.IsPreferred);
        Assert.Equal(new FileEdit(f.CursorPath, new TextSpan(at, "umarsignl".Length), "umarsignal"), Assert.Single(first.Edits));
        // The seed lists hold no BibTeX file, so there is nowhere to add a stub.
        Assert.DoesNotContain(fixes, x => x.Title.StartsWith("Add a stub", StringComparison.Ordinal));
    }

    [Fact]
    public void Words_of_a_key_find_the_paper_they_describe()
    {
        var f = SeedWorkspace("A guess [@snr-alignment].");
        var at = f.Snapshot.Note(f.CursorPath)!.Text.IndexOf("snr-alignment", StringComparison.Ordinal);

        var titles = CodeActions.Find(f.Snapshot, f.CursorPath, [new TextSpan(at, 0)]).Select(x => x.Title).ToList();

        Assert.Contains("Replace with `umarsignal`", titles);
        Assert.True(titles.Count <= 3, string.Join("; ", titles));
    }

    [Fact]
    public void Workspace_symbols_find_a_seed_paper_by_author_and_its_listings_title_line()
    {
        var f = SeedWorkspace("");

        var found = Symbols.Workspace(f.Snapshot, "umar");

        var umar = Assert.Single(found, s => s.Name == "umarsignal");
        Assert.Equal("/ws/papers/000_15c1982a7ee950de.txt", umar.Location.Path);
        Assert.Equal("Signal-to-Noise Ratio and Sample Size Govern Representational Alignment in Neural Networks",
            f.Snapshot.Library(umar.Location.Path)!.Text.Substring(umar.Location.FocusSpan.Start, umar.Location.FocusSpan.Length));
        Assert.StartsWith("Umar & Laio", umar.ContainerName);
    }
}
