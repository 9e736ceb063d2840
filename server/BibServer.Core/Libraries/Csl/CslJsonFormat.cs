using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Csl;

/// <summary>CSL-JSON: what BibServer knows of the format (see <see cref="LibraryFormat"/>).</summary>
public sealed class CslJsonFormat : LibraryFormat
{
    public static CslJsonFormat Instance { get; } = new();

    private CslJsonFormat() { }

    public override string Name => "CslJson";

    public override ImmutableArray<string> Extensions { get; } = [".json"];

    public override LibraryDocument Read(string path, string text) => CslJsonReader.Read(path, text);

    /// <summary>A JSON file found by discovery is a library only when it is an array of items with ids (not package.json).</summary>
    public override LibraryDocument? Discover(string path, FileContent content)
    {
        if (content.Text is not { } text) return null;
        var json = text.AsSpan().TrimStart();
        if (json.IsEmpty || json[0] != '[' || !text.Contains("\"id\"", StringComparison.Ordinal)) return null;
        return base.Discover(path, content);
    }

    /// <summary>A quoted id's span is the text between the quotes; an id written as a number has none, so it gains them.</summary>
    public override string? WriteKey(string text, TextSpan keySpan, string key) =>
        QuoteAround(text, keySpan) == '"' ? JsonInner(key) : "\"" + JsonInner(key) + "\"";

    private static readonly JsonSerializerOptions JsonText = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string JsonInner(string value)
    {
        var quoted = JsonSerializer.Serialize(value, JsonText);
        return quoted[1..^1];
    }
}
