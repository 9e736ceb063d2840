using System.Collections.Immutable;
using System.Text;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Csl;

/// <summary>CSL-YAML, in a library file or in a note's <c>references:</c>: what BibServer knows of the format (see <see cref="LibraryFormat"/>).</summary>
public sealed class CslYamlFormat : LibraryFormat
{
    public static CslYamlFormat Instance { get; } = new();

    private CslYamlFormat() { }

    public override string Name => "CslYaml";

    public override ImmutableArray<string> Extensions { get; } = [".yaml", ".yml"];

    public override LibraryDocument Read(string path, string text) => CslYamlReader.Read(path, text);

    /// <summary>A YAML file found by discovery is a library only when it has a top-level <c>references:</c> (not a CI file).</summary>
    public override LibraryDocument? Discover(string path, FileContent content)
    {
        if (content.Text is not { } text) return null;
        if (!text.StartsWith("references:", StringComparison.Ordinal) && !text.Contains("\nreferences:", StringComparison.Ordinal)) return null;
        return base.Discover(path, content);
    }

    public override string? WriteKey(string text, TextSpan keySpan, string key) => QuoteAround(text, keySpan) switch
    {
        '\'' => key.Replace("'", "''"),
        '"' => DoubleInner(key),
        _ => IsPlainSafe(key) ? key : "\"" + DoubleInner(key) + "\"",
    };

    private static string DoubleInner(string value)
    {
        var sb = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    // Plain only for text that every YAML reader takes as that same string, in block and in flow style: no
    // indicators, and not a word YAML 1.1 reads as a boolean or null. Anything else is double-quoted.
    private static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null",
    };

    private static bool IsPlainSafe(string key) =>
        key.Length > 0
        && (char.IsAsciiLetter(key[0]) || key[0] == '_')
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !Words.Contains(key);
}
