using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using BibServer.Core.Export;
using BibServer.Core.Papers;

namespace BibServer.Core.Styles;

/// <summary>One item of a citation cluster as citeproc-js takes it.</summary>
public sealed record CiteItem(
    Paper Paper,
    string Prefix = "",
    string Suffix = "",
    string? Locator = null,
    string? Label = null,
    bool SuppressAuthor = false,
    bool AuthorOnly = false);

/// <summary>A bibliography entry: the paper's key and its text in the style.</summary>
public sealed record RenderedEntry(string Key, string Text);

/// <summary>
/// citeproc-js (the CSL processor Zotero uses) running in Jint. The server hands in the script's text and the
/// locales' XML (the core does no IO); papers go in as CSL-JSON, written by <see cref="CslJsonWriter"/>.
/// Loading takes about a second of CPU, so the server does it once, off the request path. Jint's engine is
/// single-threaded: calls are serialised by a lock, and each is bounded in time so that a pathological
/// style cannot hold the server.
/// </summary>
public sealed partial class CslEngine
{
    public const string DefaultLocale = "en-US";

    private readonly Lock _gate = new();
    private readonly ScriptHost _js;
    private readonly Dictionary<(CslStyle Style, string Locale), string> _engineKeys = [];
    private readonly Lock _checkedGate = new();
    private readonly HashSet<(CslStyle Style, string Locale)> _checked = [];

    private CslEngine(ScriptHost js, ImmutableArray<string> locales)
    {
        _js = js;
        Locales = locales;
    }

    /// <summary>The JavaScript engine that runs citeproc-js (V8 where it loads, else Jint).</summary>
    public ScriptRuntime Runtime => _js.Runtime;

    /// <summary>The languages of the locales handed in (en-US, de-DE, ...).</summary>
    public ImmutableArray<string> Locales { get; }

    /// <summary>Compiles and runs citeproc-js, then the few functions BibServer calls in it.</summary>
    /// <param name="citeprocJs">The text of citeproc-js's CommonJS build (npm <c>citeproc</c>).</param>
    /// <param name="locales">Each locale's XML by its language, en-US at least.</param>
    /// <param name="runtime">Which JavaScript engine: by default V8 where its native library loads, else Jint.</param>
    public static CslEngine Load(string citeprocJs, IReadOnlyDictionary<string, string> locales, ScriptRuntime runtime = ScriptRuntime.Best)
    {
        var js = ScriptHost.Create(runtime);
        js.Execute("var module = { exports: {} }; var exports = module.exports;");
        js.Execute(citeprocJs, "citeproc.js");
        js.Execute("var CSL = module.exports; var __locales = " + JsonSerializer.Serialize(locales) + ";");
        js.Execute(Glue.Value, "citeproc-glue.js");
        return new CslEngine(js, [.. locales.Keys.Order(StringComparer.Ordinal)]);
    }

    private static readonly Lazy<string> Glue = new(() =>
    {
        using var stream = typeof(CslEngine).Assembly.GetManifestResourceStream("BibServer.Core.Styles.citeproc-glue.js")
            ?? throw new InvalidOperationException("citeproc-glue.js is not embedded");
        // A resource of this assembly, not a file: the core still reads nothing of the machine.
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    });

    /// <summary>
    /// The shipped locale for a note's <c>lang:</c>: the same tag, else one of the same language ("de" and
    /// "de-AT" take de-DE), else en-US.
    /// </summary>
    public string LocaleFor(string? lang)
    {
        if (string.IsNullOrWhiteSpace(lang)) return DefaultLocale;
        var tag = lang.Trim().Replace('_', '-');
        if (Locales.FirstOrDefault(l => l.Equals(tag, StringComparison.OrdinalIgnoreCase)) is { } exact) return exact;
        var language = tag.Split('-')[0];
        var primary = language + "-" + language.ToUpperInvariant();
        if (Locales.FirstOrDefault(l => l.Equals(primary, StringComparison.OrdinalIgnoreCase)) is { } main) return main;
        return Locales.FirstOrDefault(l => l.Split('-')[0].Equals(language, StringComparison.OrdinalIgnoreCase))
               ?? Locales.FirstOrDefault(l => l.Equals(language, StringComparison.OrdinalIgnoreCase))
               ?? DefaultLocale;
    }

    /// <summary>Null when citeproc-js accepts the style, else its complaint.</summary>
    public string? Check(CslStyle style, string locale)
    {
        // Asked by every request that renders: once a style has been built it is a look-up, not a wait for the
        // engine (which may be busy rendering ahead).
        lock (_checkedGate)
        {
            if (_checked.Contains((style, locale))) return null;
        }
        try
        {
            lock (_gate) Call("__engine", EngineKey(style, locale), style.Xml, locale);
            lock (_checkedGate) _checked.Add((style, locale));
            return null;
        }
        catch (Exception e) when (e is ScriptFailure or InvalidOperationException)
        {
            Forget(style, locale);
            return e.Message;
        }
    }

    /// <summary>
    /// The papers' bibliography in the style, in the style's order. With <paramref name="keepLabels"/> false,
    /// a numeric style's label ("[1]") is left off: a paper shown alone has no number in a list.
    /// Null when citeproc-js fails on the style.
    /// </summary>
    public ImmutableArray<RenderedEntry>? Bibliography(CslStyle style, string locale, IReadOnlyList<Paper> papers, bool keepLabels = true)
    {
        if (!style.HasBibliography || papers.Count == 0) return [];
        var json = ItemsJson(papers);
        string result;
        try
        {
            lock (_gate) result = Call("bibliography", EngineKey(style, locale), style.Xml, locale, json) ?? "[]";
        }
        catch (ScriptFailure)
        {
            Forget(style, locale);
            return null;
        }
        var entries = ImmutableArray.CreateBuilder<RenderedEntry>();
        using var document = JsonDocument.Parse(result);
        foreach (var row in document.RootElement.EnumerateArray())
        {
            var text = CleanText(row[1].GetString() ?? "");
            if (!keepLabels && row[2].GetBoolean()) text = LabelColumn().Replace(text, "");
            entries.Add(new RenderedEntry(row[0].GetString() ?? "", text));
        }
        return entries.ToImmutable();
    }

    /// <summary>The in-text form of one citation cluster, as a parenthetical citation in the style. Null on failure.</summary>
    public string? Cluster(CslStyle style, string locale, IReadOnlyList<CiteItem> items)
    {
        if (items.Count == 0) return "";
        var papers = items.Select(i => i.Paper).DistinctBy(p => p.Key).ToList();
        var cite = new List<Dictionary<string, object>>();
        foreach (var item in items)
        {
            var c = new Dictionary<string, object> { ["id"] = item.Paper.Key };
            if (item.Prefix.Length > 0) c["prefix"] = item.Prefix.TrimEnd() + " ";
            if (item.Suffix.Length > 0) c["suffix"] = item.Suffix;
            if (item.Locator is { } locator)
            {
                c["locator"] = locator;
                c["label"] = item.Label ?? "page";
            }
            if (item.SuppressAuthor) c["suppress-author"] = true;
            if (item.AuthorOnly) c["author-only"] = true;
            cite.Add(c);
        }
        try
        {
            string text;
            lock (_gate) text = Call("cluster", EngineKey(style, locale), style.Xml, locale, ItemsJson(papers), JsonSerializer.Serialize(cite)) ?? "";
            return text.Contains("[NO_PRINTED_FORM]", StringComparison.Ordinal) ? "" : CleanText(text);
        }
        catch (ScriptFailure)
        {
            Forget(style, locale);
            return null;
        }
    }

    /// <summary>Renders a made-up paper a few times, so that the interpreter's paths are compiled before a hover needs them.</summary>
    public void WarmUp(CslStyle style, int rounds = 12)
    {
        for (var i = 0; i < rounds; i++)
        {
            var paper = new Paper
            {
                Key = $"bibserver-warm-up-{i}",
                Type = i % 2 == 0 ? "paper-conference" : "article-journal",
                Title = $"A study of warm-up number {i}",
                Authors = [new Person("Doe", "Jane"), new Person("Roe", "Richard"), new Person("Poe", "Edgar")],
                Date = new PaperDate(2000 + i),
                Venue = "Proceedings of Warm-Up",
                Doi = "10.1000/warm." + i,
                Location = new SourceLocation("", default, default),
            };
            Bibliography(style, DefaultLocale, [paper], keepLabels: false);
            Cluster(style, DefaultLocale, [new CiteItem(paper, "see", Locator: "3")]);
        }
    }

    private string? Call(string function, params string[] arguments) => _js.Call(function, arguments);

    /// <summary>A full collection of the engine's heap (the server calls it when it has nothing left to render).</summary>
    public void Collect()
    {
        lock (_gate) _js.Collect();
    }

    /// <summary>The engine's heap in use and reserved, for the log (null for an engine that does not say).</summary>
    public string? HeapSummary
    {
        get
        {
            lock (_gate) return _js.HeapSummary;
        }
    }

    private static string ItemsJson(IEnumerable<Paper> papers) =>
        CslJsonWriter.Write(papers.Select(ForRendering));

    /// <summary>
    /// The paper as citeproc-js is handed it. Abstracts are long and no style prints them: left out, they
    /// cost neither JSON nor JavaScript time. A book's or thesis's venue that is only its publisher (the
    /// model's venue falls back to it) is not a container: written as one, styles would print it twice.
    /// Titles are the source's rich text where it has them (<see cref="Paper.CslRichText"/>: a BibTeX entry's
    /// titles in sentence case with their protected words marked, as pandoc's reader gives them), and so is the
    /// URL pandoc's reader makes of an arXiv eprint when the entry has no url.
    /// </summary>
    private static Paper ForRendering(Paper p)
    {
        var venueIsPublisher = p.Venue is { } venue && p.Fields.TryGetValue("publisher", out var publisher) && publisher == venue;
        var rich = p.CslRichText?.Decode() ?? FieldMap.Empty;
        if (!p.HasAbstract && !venueIsPublisher && rich.IsEmpty) return p;
        var fields = p.Fields;
        if (rich.TryGetValue("collection-title", out var series) && fields.ContainsKey("collection-title"))
            fields = FieldMap.From(fields.Select(f => f.Key == "collection-title" ? new KeyValuePair<string, string>(f.Key, series) : f));
        return p with
        {
            Abstract = null,
            Title = rich.TryGetValue("title", out var title) ? title : p.Title,
            Venue = venueIsPublisher ? null : rich.TryGetValue("container-title", out var container) && p.Venue is not null ? container : p.Venue,
            Url = rich.TryGetValue("URL", out var eprintUrl) && p.Url is null ? eprintUrl : p.Url,
            Fields = fields,
        };
    }

    private string EngineKey(CslStyle style, string locale)
    {
        lock (_gate)
        {
            if (_engineKeys.TryGetValue((style, locale), out var key)) return key;
            // A style edited many times would keep an engine for each version: past a few dozen, start over.
            if (_engineKeys.Count >= 48)
            {
                _engineKeys.Clear();
                lock (_checkedGate) _checked.Clear();
                _js.Execute("__engines = {};");
            }
            key = "e" + _engineKeys.Count + "-" + Environment.TickCount64;
            _engineKeys[(style, locale)] = key;
            return key;
        }
    }

    /// <summary>A failed engine is dropped, so that the next call builds it again rather than reuse a broken one.</summary>
    private void Forget(CslStyle style, string locale)
    {
        lock (_gate)
        {
            lock (_checkedGate) _checked.Remove((style, locale));
            if (!_engineKeys.Remove((style, locale), out var key)) return;
            _js.Execute($"delete __engines['{key}'];");
        }
    }

    /// <summary>citeproc-js's text output, with its line breaks and runs of spaces folded to single spaces.</summary>
    private static string CleanText(string text) => Spaces().Replace(text, " ").Trim();

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+")]
    private static partial System.Text.RegularExpressions.Regex Spaces();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:\[\d+\]|\d+\.?)\s*")]
    private static partial System.Text.RegularExpressions.Regex LabelColumn();
}
