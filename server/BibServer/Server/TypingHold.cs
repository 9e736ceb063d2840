using System.Collections.Immutable;
using System.Diagnostics;
using BibServer.Core.Text;
using BibServer.Documents;
using Features = BibServer.Core.Features;

namespace BibServer.Server;

/// <summary>
/// No alarm while a key is being typed. Typing <c>[@Bour</c> to search would flag "Unknown citation key
/// `Bour`" after each keystroke; the citation the latest edit is typing into (where the edit ended,
/// <see cref="OpenDocument.TypedAt"/>) keeps its unknown-key error back until the writer pauses
/// (<see cref="LspServerOptions.TypingPause"/> after that edit) or edits elsewhere, which makes a version whose
/// edit ended outside it. Every other diagnostic is published as promptly as before.
/// </summary>
internal static class TypingHold
{
    /// <summary>The problems of a key: what typing a key produces until the key is whole.</summary>
    private static readonly ImmutableHashSet<string> KeyCodes = ImmutableHashSet.Create(StringComparer.Ordinal,
        Features.DiagnosticCodes.UnknownKey, Features.ManubotCitations.TagCode, Features.ManubotCitations.IdentifierCode,
        Features.CrossReferenceLabels.NoSuchLabel);

    /// <summary>
    /// The problems to publish now, and when (from now) to compute the document again to publish those held back;
    /// <paramref name="editedAt"/> is the <see cref="Stopwatch"/> timestamp of the edit that made this version.
    /// </summary>
    public static (ImmutableArray<Features.FileDiagnostic> Shown, TimeSpan? Again) Apply(OpenDocument document, ImmutableArray<Features.FileDiagnostic> problems, long editedAt, TimeSpan pause)
    {
        if (document.TypedAt is not { } at || editedAt == 0 || pause <= TimeSpan.Zero) return (problems, null);
        var left = pause - Stopwatch.GetElapsedTime(editedAt);
        if (left <= TimeSpan.Zero) return (problems, null);
        var held = problems.Where(p => KeyCodes.Contains(p.Code) && p.Span.ContainsOrTouches(at)).ToList();
        return held.Count == 0 ? (problems, null) : (problems.RemoveRange(held), left);
    }
}
