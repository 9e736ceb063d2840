using System.Collections.Immutable;
using BibServer.Core.Features.Search;
using BibServer.Core.Notes;
using BibServer.Core.Text;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

public static class DiagnosticCodes
{
    public const string UnknownKey = "unknown-key";
    public const string MissingBibliography = "missing-bibliography";
    public const string Library = "library";
    public const string FrontMatter = "front-matter";
}

/// <summary>A problem to show in a note or a library file. <see cref="Suggestions"/> are keys a quick fix may offer.</summary>
public sealed record FileDiagnostic(Severity Severity, string Message, TextSpan Span, string Code, ImmutableArray<string> Suggestions)
{
    public FileDiagnostic(Problem p, string code) : this(p.Severity, p.Message, p.Span, string.IsNullOrEmpty(p.Code) ? code : p.Code, ImmutableArray<string>.Empty) { }
}

/// <summary>What is wrong in a note (broken citations, missing libraries) or in a library file.</summary>
public static class Diagnostics
{
    public static ImmutableArray<FileDiagnostic> ForNote(WorkspaceSnapshot snapshot, NoteDocument note)
    {
        var result = ImmutableArray.CreateBuilder<FileDiagnostic>();
        foreach (var p in note.Problems) result.Add(new FileDiagnostic(p, DiagnosticCodes.FrontMatter));

        var scope = snapshot.ScopeOf(note);
        if (scope.References is { } refs)
            foreach (var p in refs.Problems) result.Add(new FileDiagnostic(p, DiagnosticCodes.FrontMatter));

        if (note.FrontMatter is { } fm)
            foreach (var entry in fm.Bibliography)
            {
                var path = snapshot.ResolvePath(note.Path, entry.Value);
                if (snapshot.Library(path) is null)
                    result.Add(new FileDiagnostic(Severity.Warning, $"Bibliography file `{entry.Value}` was not found (looked for {path}).",
                        entry.Span, DiagnosticCodes.MissingBibliography, ImmutableArray<string>.Empty));
            }

        var seesNothing = scope.Layers.All(l => l.Papers.IsEmpty);
        foreach (var c in note.Citations)
        {
            if (c.IsCrossReference || scope.Find(c.Key) is not null) continue;
            var closest = seesNothing ? ImmutableArray<string>.Empty : ClosestKeys.Find(scope, c.Key);
            var message = $"Unknown citation key `{c.Key}`: no library of this note has it.";
            if (seesNothing) message += " This note sees no library: name one in `bibliography:` or in bibserver.yaml.";
            else if (!closest.IsEmpty) message += " Closest: " + string.Join(", ", closest.Select(k => $"`{k}`")) + ".";
            result.Add(new FileDiagnostic(Severity.Error, message, c.KeySpan, DiagnosticCodes.UnknownKey, closest));
        }
        return result.ToImmutable();
    }

    /// <summary>A library file's own problems (from its reader) and those of merging it (keys defined twice).</summary>
    public static ImmutableArray<FileDiagnostic> ForLibrary(WorkspaceSnapshot snapshot, string path)
    {
        var libs = snapshot.Libraries;
        if (libs.Document(path) is null) return ImmutableArray<FileDiagnostic>.Empty;
        var set = libs.WorkspaceLibraries.Contains(path) ? libs.Workspace : libs.SetOf([path]);
        return set.ProblemsFor(path).Select(p => new FileDiagnostic(p, DiagnosticCodes.Library)).ToImmutableArray();
    }
}
