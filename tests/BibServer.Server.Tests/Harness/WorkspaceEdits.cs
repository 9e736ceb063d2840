using BibServer.Core.Text;
using BibServer.Documents;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Harness;

/// <summary>Applies a WorkspaceEdit the way an editor does, to files on disk: each file's edits against its original text.</summary>
internal static class WorkspaceEdits
{
    public static void ApplyToDisk(LSP.WorkspaceEdit edit)
    {
        foreach (var (uri, edits) in edit.Changes ?? new Dictionary<string, IReadOnlyList<LSP.TextEdit>>())
        {
            var path = DocumentUris.ToPath(uri) ?? throw new InvalidOperationException($"{uri} is not a file.");
            File.WriteAllText(path, Apply(File.ReadAllText(path), edits));
        }
    }

    /// <summary>The text after the edits, all positioned in the original text; overlapping edits are refused.</summary>
    public static string Apply(string text, IEnumerable<LSP.TextEdit> edits)
    {
        var lines = new LineIndex(text);
        int Offset(LSP.Position p) => DocumentChanges.EditOffset(text, lines, new LinePosition(p.Line, p.Character));
        var ordered = edits.Select(e => (Start: Offset(e.Range.Start), End: Offset(e.Range.End), e.NewText)).OrderBy(e => e.Start).ToList();
        var result = new System.Text.StringBuilder();
        var at = 0;
        foreach (var (start, end, newText) in ordered)
        {
            if (start < at) throw new ArgumentException("Two edits overlap.");
            result.Append(text, at, start - at).Append(newText);
            at = end;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }
}
