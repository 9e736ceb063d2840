using System.Collections.Immutable;
using BibServer.Core.Text;

namespace BibServer.Core.Features;

/// <summary>A span of some file of the workspace: a note, a library file, or a note's front matter.</summary>
public readonly record struct FileSpan(string Path, TextSpan Span);

/// <summary>
/// One replacement in one file: what a rename or a quick fix asks the editor to do. With
/// <paramref name="CreatesFile"/>, the file does not exist yet: the editor creates it with <paramref name="NewText"/>.
/// </summary>
public sealed record FileEdit(string Path, TextSpan Span, string NewText, bool CreatesFile = false);

/// <summary>
/// A feature's answer, or the reason it has none in a sentence a user reads (a rename to a key that is
/// already taken, say). Refusals are values, not exceptions: the server turns them into LSP errors.
/// </summary>
public sealed record Outcome<T>
{
    private Outcome(T? value, string? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    /// <summary>The answer; meaningful only when <see cref="IsRefused"/> is false.</summary>
    public T? Value { get; }

    /// <summary>Why there is no answer, or null.</summary>
    public string? Refusal { get; }

    public bool IsRefused => Refusal is not null;

    public static Outcome<T> Ok(T value) => new(value, null);

    public static Outcome<T> Refused(string message) => new(default, message);
}

internal static class FileEdits
{
    /// <summary>Edits in a stable order, by file then by place, as a reader and an editor expect them.</summary>
    public static ImmutableArray<FileEdit> Ordered(List<FileEdit> edits)
    {
        edits.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Path, b.Path);
            return c != 0 ? c : a.Span.Start.CompareTo(b.Span.Start);
        });
        return [.. edits];
    }
}
