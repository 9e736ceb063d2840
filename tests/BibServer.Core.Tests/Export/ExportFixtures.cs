using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Papers;
using BibServer.Core.Tests.Csl;

namespace BibServer.Core.Tests.Export;

/// <summary>The reader fixtures the writers are tested on: papers come from real files, not from C#.</summary>
internal static class ExportFixtures
{
    /// <summary>The richest fixtures: special characters, math, accents, markup, every name and date form.</summary>
    public static readonly string[] Rich = ["json/rich.json", "yaml/rich.yaml", "json/fields.json", "json/names.json", "json/dates.json"];

    public static TheoryData<string> RichData()
    {
        var data = new TheoryData<string>();
        foreach (var name in Rich) data.Add(name);
        return data;
    }

    public static LibraryDocument Read(string relative)
    {
        var parts = relative.Split('/');
        var text = CslReaderFixtureTests.ReadExact(["csl", .. parts]);
        return parts[^1].EndsWith(".json", StringComparison.Ordinal) ? CslJsonReader.Read(relative, text) : CslYamlReader.Read(relative, text);
    }

    /// <summary>Every paper-holding fixture: all JSON and YAML files and the notes' front matter.</summary>
    public static IEnumerable<(string Name, IReadOnlyList<Paper> Papers)> All()
    {
        foreach (var (_, document) in CslReaderFixtureTests.AllDocuments()) yield return (document.Path, document.Papers);
        foreach (var file in Directory.GetFiles(TestData.Path("csl", "yaml"), "*.md").Order())
        {
            var note = File.ReadAllText(file);
            var (start, length, _, _) = FrontMatter.Find(note);
            yield return (Path.GetFileName(file), CslYamlReader.Read(file, note.Substring(start, length), start).Papers);
        }
    }

    /// <summary>"json/rich.json" becomes "json-rich", the stem of its expected export files.</summary>
    public static string Stem(string relative) => Path.GetFileNameWithoutExtension(relative.Replace('/', '-'));
}
