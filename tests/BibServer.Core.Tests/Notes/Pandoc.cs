using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace BibServer.Core.Tests.Notes;

/// <summary>One citation as pandoc reports it: its id and its citationMode.</summary>
public sealed record PandocCite(string Key, string Mode);

/// <summary>
/// Runs the real pandoc (the oracle for citation syntax) and reads its JSON AST. The tests were written
/// against pandoc 2.17.1.1 (/usr/bin/pandoc); <see cref="Version"/> reports the one actually run.
/// </summary>
public static class Pandoc
{
    public const string Executable = "/usr/bin/pandoc";

    private static readonly Lazy<string> LazyVersion = new(() => Run(["--version"], "").Stdout.Split('\n')[0].Trim());

    public static string Version => LazyVersion.Value;

    /// <summary>Fails the calling test with a clear message when pandoc is not installed.</summary>
    public static void EnsureInstalled()
    {
        Assert.True(File.Exists(Executable),
            $"pandoc is needed as the oracle for citation syntax but {Executable} does not exist; install it " +
            "(scripts/setup does: apt-get install pandoc).");
    }

    /// <summary>Parses <paramref name="markdown"/> with <c>pandoc -f markdown -t json</c>.</summary>
    public static JsonDocument ToJson(string markdown)
    {
        var (exitCode, stdout, stderr) = Run(["-f", "markdown", "-t", "json"], markdown);
        Assert.True(exitCode == 0, $"pandoc -f markdown -t json failed: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    /// <summary>Like <see cref="ToJson"/>, for notes pandoc may refuse.</summary>
    public static bool TryToJson(string markdown, out JsonDocument? json)
    {
        var (exitCode, stdout, _) = Run(["-f", "markdown", "-t", "json"], markdown);
        json = exitCode == 0 ? JsonDocument.Parse(stdout) : null;
        return exitCode == 0;
    }

    /// <summary>
    /// Every <c>Cite</c>'s citations in document order, nested ones included: for each citation its prefix
    /// (which may hold nested cites), then its id, then its suffix. Blocks are grouped by the marker
    /// paragraphs (<paramref name="isMarker"/> gives their number) that separate generated snippets; cites
    /// before the first marker go to group -1. Only the body is walked, not the metadata.
    /// </summary>
    public static Dictionary<int, List<PandocCite>> CitesByMarker(JsonDocument json, Func<string, int?> isMarker)
    {
        var groups = new Dictionary<int, List<PandocCite>>();
        var current = -1;
        foreach (var block in json.RootElement.GetProperty("blocks").EnumerateArray())
        {
            if (MarkerText(block) is { } text && isMarker(text) is { } number)
            {
                current = number;
                continue;
            }
            if (!groups.TryGetValue(current, out var list)) groups[current] = list = [];
            Walk(block, list);
        }
        return groups;
    }

    public static List<PandocCite> Cites(JsonDocument json)
    {
        var list = new List<PandocCite>();
        Walk(json.RootElement.GetProperty("blocks"), list);
        return list;
    }

    // A paragraph holding a single Str, as the generator's "snippet-0042" separators are.
    private static string? MarkerText(JsonElement block)
    {
        if (block.GetProperty("t").GetString() != "Para") return null;
        var inlines = block.GetProperty("c");
        if (inlines.GetArrayLength() != 1) return null;
        var only = inlines[0];
        return only.GetProperty("t").GetString() == "Str" ? only.GetProperty("c").GetString() : null;
    }

    private static void Walk(JsonElement element, List<PandocCite> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Walk(item, found);
                break;
            case JsonValueKind.Object:
                if (element.TryGetProperty("t", out var tag) && tag.GetString() == "Cite")
                {
                    // "c": [citations, inlines]; the inlines are the raw text of the citation, no more cites.
                    foreach (var citation in element.GetProperty("c")[0].EnumerateArray())
                    {
                        Walk(citation.GetProperty("citationPrefix"), found);
                        found.Add(new PandocCite(
                            citation.GetProperty("citationId").GetString()!,
                            citation.GetProperty("citationMode").GetProperty("t").GetString()!));
                        Walk(citation.GetProperty("citationSuffix"), found);
                    }
                    break;
                }
                foreach (var property in element.EnumerateObject()) Walk(property.Value, found);
                break;
        }
    }

    internal static (int ExitCode, string Stdout, string Stderr) Run(string[] arguments, string input, string? workingDirectory = null)
    {
        EnsureInstalled();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
