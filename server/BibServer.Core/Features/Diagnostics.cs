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
    public const string NotALibrary = "not-a-library";

    /// <summary>A problem in the workspace's settings file, bibserver.yaml.</summary>
    public const string Settings = "settings";

    /// <summary>The problem the server gives a library file it does not read (a FIFO, a file past the size limit).</summary>
    public const string Unreadable = "library-unreadable";
}

/// <summary>A problem to show in a note or a library file. <see cref="Suggestions"/> are keys a quick fix may offer.</summary>
public sealed record FileDiagnostic(Severity Severity, string Message, TextSpan Span, string Code, ImmutableArray<string> Suggestions)
{
    public FileDiagnostic(Problem p, string code) : this(p.Severity, p.Message, p.Span, string.IsNullOrEmpty(p.Code) ? code : p.Code, ImmutableArray<string>.Empty) { }
}

/// <summary>How a note's diagnostics are computed.</summary>
/// <param name="ClosestKeysIfReady">
/// Name the closest keys of a broken key only if they are found without building a search index first
/// (<see cref="ClosestKeys.IsReady"/>); else the diagnostic has none. For a first answer that must not wait for
/// the index of a large library, to be followed by the whole one.
/// </param>
public sealed record NoteDiagnosticsOptions(bool ClosestKeysIfReady = false)
{
    public static NoteDiagnosticsOptions Default { get; } = new();
}

/// <summary>What is wrong in a note (broken citations, missing libraries) or in a library file.</summary>
public static class Diagnostics
{
    public static ImmutableArray<FileDiagnostic> ForNote(WorkspaceSnapshot snapshot, NoteDocument note) =>
        ForNote(snapshot, note, NoteDiagnosticsOptions.Default);

    public static ImmutableArray<FileDiagnostic> ForNote(WorkspaceSnapshot snapshot, NoteDocument note, NoteDiagnosticsOptions options)
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
                if (snapshot.Library(path) is not { } library)
                    result.Add(new FileDiagnostic(Severity.Warning, $"Bibliography file `{entry.Value}` was not found (looked for {path}).",
                        entry.Span, DiagnosticCodes.MissingBibliography, ImmutableArray<string>.Empty));
                else if (NotALibrary(entry.Value, library) is { } why)
                    result.Add(new FileDiagnostic(Severity.Warning, why, entry.Span, DiagnosticCodes.NotALibrary, ImmutableArray<string>.Empty));
            }

        // What a Quarto project names for the note (in _quarto.yml, a profile or a _metadata.yml) and is not there.
        if (snapshot.Libraries.QuartoProjectOf(note.Path) is { } project)
        {
            var own = snapshot.BibliographyOf(note);
            foreach (var path in scope.BibliographyPaths.Where(p => !own.Contains(p) && snapshot.Library(p) is null))
                result.Add(new FileDiagnostic(Severity.Warning,
                    $"Bibliography file {path}, which the Quarto project at {project.Root} names for this note, was not found.",
                    new TextSpan(0, 0), DiagnosticCodes.MissingBibliography, ImmutableArray<string>.Empty));
        }

        var seesNothing = scope.Layers.All(l => l.Papers.IsEmpty);
        var closestKeys = !seesNothing && (!options.ClosestKeysIfReady || ClosestKeys.IsReady(scope));
        foreach (var c in note.Citations)
        {
            if (c.IsCrossReference)
            {
                if (CrossReferenceLabels.Check(snapshot, c) is { } noSuchLabel) result.Add(noSuchLabel);
                continue;
            }
            if (scope.Find(c.Key) is not null) continue;
            if (ManubotCitations.Check(snapshot, note, c, out var manubot))
            {
                if (manubot is not null) result.Add(manubot);
                continue;
            }
            var closest = closestKeys ? ClosestKeys.Find(scope, c.Key) : ImmutableArray<string>.Empty;
            var message = $"Unknown citation key `{c.Key}`: no library of this note has it.";
            if (seesNothing) message += " This note sees no library: name one in `bibliography:` or in bibserver.yaml.";
            else if (!closest.IsEmpty) message += " Closest: " + string.Join(", ", closest.Select(k => $"`{k}`")) + ".";
            result.Add(new FileDiagnostic(Severity.Error, message, c.KeySpan, DiagnosticCodes.UnknownKey, closest));
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// Why a file a note names in <c>bibliography:</c> gives it no papers although it exists: it was not read,
    /// or it is no library of a kind BibServer knows (<c>/etc/passwd</c>, a key file, a README). Said at the
    /// front matter, since the note's writer does not see the file's own diagnostics; nothing of the file's
    /// content is quoted.
    /// </summary>
    private static string? NotALibrary(string named, Libraries.LibraryDocument library)
    {
        if (library.Problems.FirstOrDefault(p => p.Code == DiagnosticCodes.Unreadable) is { } unread)
            return $"Bibliography file `{named}` gives no papers. {unread.Message}";
        if (library.Papers.IsEmpty
            && library.Problems.Any(p => p.Code == Libraries.PaperLists.PaperListReader.Codes.UnknownLayout))
            return $"Bibliography file `{named}` is not a library of a known kind: BibServer reads BibTeX (.bib), CSL-JSON (.json), "
                + "CSL-YAML (.yaml, .yml) and the paper lists it recognises, and no paper was read from it.";
        return null;
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
