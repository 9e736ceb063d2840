using System.Collections.Immutable;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features;

/// <summary>
/// Go to definition: from a citation, the entry of the paper the note sees (a paper listed several times
/// has every listing, the first first); from an entry in a library file, every place its key is defined,
/// that entry included, so a paper listed in several files shows all of them; from a cross-reference, the
/// label it refers to.
/// </summary>
public static class Definition
{
    public static ImmutableArray<FileSpan> Find(WorkspaceSnapshot snapshot, string path, int offset)
    {
        if (KeyAt.Find(snapshot, path, offset) is not { } at) return [];
        if (at.IsCrossReference) return CrossReferenceLabels.DefinitionsOf(snapshot, path, at.Key);
        if (at.Site == KeySite.Entry)
        {
            var places = at.Set!.DefinitionsOf(at.Key);
            if (places.IsEmpty) places = [at.Entry!];
            return [.. places.Select(l => new FileSpan(l.Path, l.FocusSpan))];
        }
        var note = snapshot.Note(path)!;
        if (at.Paper is null) return ManubotCitations.Definition(snapshot, note, at.Key);
        foreach (var layer in snapshot.ScopeOf(note).Layers)
        {
            if (layer.Find(at.Key) is { } paper)
            {
                var places = layer.DefinitionsOf(at.Key).Select(l => new FileSpan(l.Path, l.FocusSpan));
                // A paper from Zotero can also be shown in Zotero itself: its zotero:// link is a second location.
                return paper.Extras?.AppUri is { } app ? [.. places, new FileSpan(app, default)] : [.. places];
            }
        }
        return [];
    }
}
