using System.Text;
using System.Text.Json;
using BibServer.Core.Export;
using BibServer.Core.Libraries;
using BibServer.Core.Tests.Export;
using BibServer.Core.Tests.Styles;

namespace BibServer.Core.Tests.Bibtex;

/// <summary>
/// BibTeX names reach citeproc as pandoc's BibTeX reader hands them: the von part as a dropping particle
/// ("a. Hogg, R." is family Hogg, dropping particle "a."), run-together initials spaced ("C.M." is "C. M."),
/// given and family names as pandoc splits them. BibServer's CSL-JSON of the sample of the two real exports
/// (the one PandocAgreementTests renders) and of tests/testdata/names/particles.bib is compared, name by name, with
/// <c>pandoc -f biblatex -t csljson</c> of the same text.
/// </summary>
public sealed class PandocNameTests
{
    [Theory]
    [InlineData("corpora/bbt-1296-library.bib")]
    [InlineData("corpora/bbt-1436-materials.bib")]
    [InlineData("names/particles.bib")]
    public void Names_are_split_as_pandoc_splits_them(string file)
    {
        var text = TestData.Read(file.Split('/'));
        var sample = file.StartsWith("corpora/", StringComparison.Ordinal) ? PandocAgreementTests.Sample(text) : text;
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "sample.bib");
        File.WriteAllText(path, sample);
        var ours = Names(CslJsonWriter.Write(LibraryReader.Read(path, sample).Papers));
        var result = Pandoc.Run(folder.Path, "-f", "biblatex", "-t", "csljson", "sample.bib");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var theirs = Names(result.Stdout);

        var compared = 0;
        var differences = new StringBuilder();
        foreach (var (key, names) in theirs)
        {
            var mine = ours.GetValueOrDefault(key, []);
            for (var i = 0; i < names.Count; i++)
            {
                // BibServer keeps a suffix ("Jr.") in the family name, and "and others" as a name of its own.
                if (names[i].Contains("suffix=", StringComparison.Ordinal)) continue;
                compared++;
                var bibserver = i < mine.Count ? mine[i] : "(none)";
                if (bibserver != names[i]) differences.Append($"{key} #{i + 1}\n  pandoc:    {names[i]}\n  bibserver: {bibserver}\n");
            }
        }
        Assert.True(compared > 0, "no names were compared");
        Assert.True(differences.Length == 0, $"{file}: names differ from pandoc's\n{differences}");
    }

    /// <summary>Each entry's author and editor names as one line each: the CSL name parts pandoc and BibServer write.</summary>
    private static Dictionary<string, List<string>> Names(string cslJson)
    {
        using var json = JsonDocument.Parse(cslJson);
        var names = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var item in json.RootElement.EnumerateArray())
        {
            var list = new List<string>();
            foreach (var variable in new[] { "author", "editor" })
            {
                if (!item.TryGetProperty(variable, out var people)) continue;
                foreach (var person in people.EnumerateArray())
                {
                    var parts = person.EnumerateObject()
                        .Where(p => p.Value.ValueKind == JsonValueKind.String)
                        .Select(p => $"{p.Name}={p.Value.GetString()}")
                        .Order(StringComparer.Ordinal);
                    list.Add(variable + ": " + string.Join("; ", parts));
                }
            }
            names[item.GetProperty("id").GetString()!] = list;
        }
        return names;
    }
}
