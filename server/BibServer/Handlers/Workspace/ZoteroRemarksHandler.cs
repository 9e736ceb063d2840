using System.Text.Json;
using BibServer.Conversion;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// The annotations and notes of a Zotero paper: a lens over its first citation in a note ("3 annotations in
/// Zotero"), whose command the client runs as <see cref="ClientCommand"/>, asking the server with
/// workspace/executeCommand <see cref="ServerCommand"/> (arguments: the note's URI and the key) for the list as
/// Markdown, which it shows as a document.
/// </summary>
internal static class ZoteroRemarksHandler
{
    public const string ServerCommand = "bibserver.zotero.remarks";

    public const string ClientCommand = "bibserver.showZoteroRemarks";

    public static void Register(LspRouter router)
    {
        // workspace/executeCommand has one handler (StyleHandlers), which hands this command on to Execute.
        router.Announce((capabilities, _) => capabilities with
        {
            ExecuteCommandProvider = new LSP.ExecuteCommandOptions([.. capabilities.ExecuteCommandProvider?.Commands ?? [], ServerCommand]),
        });
    }

    /// <summary>The lenses of a note; the code lens handler adds them to the library entries' lenses.</summary>
    internal static IEnumerable<LSP.CodeLens> Lenses(RequestContext context, Documents.OpenDocument document)
    {
        var path = document.CorePath;
        foreach (var lens in Features.ZoteroRemarks.Lenses(context.Snapshot.Workspace, path))
            yield return new LSP.CodeLens(ToProto.Range(document.Lines, lens.Span),
                new LSP.Command(lens.Title, ClientCommand, [LSP.LspJson.ToElement(document.Uri), LSP.LspJson.ToElement(lens.Key)]));
    }

    /// <summary>The Markdown listing, or null for a key the note does not see.</summary>
    internal static string? Execute(RequestContext context, LSP.ExecuteCommandParams request, CancellationToken cancellationToken)
    {
        if (request.Arguments is not [{ ValueKind: JsonValueKind.String } uri, { ValueKind: JsonValueKind.String } key])
            throw LspErrors.InvalidParams($"`{ServerCommand}` takes a note's URI and a citation key.");
        var path = Documents.DocumentUris.ToPath(uri.GetString()!) ?? uri.GetString()!;
        return Features.ZoteroRemarks.Listing(context.Snapshot.Workspace, path, key.GetString()!);
    }
}
