using System.Text.Json;
using BibServer.Documents;
using BibServer.Conversion;
using BibServer.Core.Workspace;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// textDocument/codeLens and codeLens/resolve: "cited N times in M notes" over each entry of a library file,
/// whose command shows the citations with the standard <c>editor.action.showReferences</c> (arguments: the
/// file's URI, the entry's position, the citations' locations). Lenses carry their command at once while the
/// locations stay few; past <see cref="EagerLocations"/> locations in one answer, the remaining lenses carry
/// only their key and are resolved when the editor shows them, so a library of thousands of cited entries
/// does not make one answer of megabytes.
/// </summary>
internal static class CodeLensHandler
{
    public const string ShowReferences = "editor.action.showReferences";

    public const int EagerLocations = 2_000;

    /// <summary>What an unresolved lens carries, to be resolved without the document's request.</summary>
    internal sealed record LensData(string Uri, string Key);

    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with { CodeLensProvider = new LSP.CodeLensOptions(ResolveProvider: true) });
        router.Request<LSP.CodeLensParams, LSP.CodeLens[]>(LSP.Methods.TextDocumentCodeLens, Handle);
        router.Request<LSP.CodeLens, LSP.CodeLens>(LSP.Methods.CodeLensResolve, Resolve);
    }

    internal static LSP.CodeLens[] Handle(RequestContext context, LSP.CodeLensParams request, CancellationToken cancellationToken)
    {
        if (context.Document(request.TextDocument) is not { } document) return [];
        var workspace = context.Snapshot.Workspace;
        var budget = EagerLocations;
        var lenses = new List<LSP.CodeLens>();
        foreach (var lens in Features.CodeLens.Find(workspace, document.CorePath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var range = ToProto.Range(document.Lines, lens.Span);
            if (lens.Use.Citations == 0)
            {
                // An empty command makes the lens a plain label in VS Code: there is nothing to show.
                lenses.Add(new LSP.CodeLens(range, new LSP.Command(lens.Title, "")));
            }
            else if (lens.Use.Citations <= budget)
            {
                budget -= lens.Use.Citations;
                lenses.Add(new LSP.CodeLens(range, Command(workspace, document.Uri, range, lens.Key, lens.Title)));
            }
            else
            {
                budget = 0;
                lenses.Add(new LSP.CodeLens(range, Data: LSP.LspJson.ToElement(new LensData(document.Uri, lens.Key))));
            }
        }
        lenses.AddRange(ZoteroRemarksHandler.Lenses(context, document));
        return [.. lenses];
    }

    internal static LSP.CodeLens Resolve(RequestContext context, LSP.CodeLens lens, CancellationToken cancellationToken)
    {
        if (lens.Command is not null || lens.Data is not { ValueKind: JsonValueKind.Object } data) return lens;
        LensData? read;
        try
        {
            read = data.Deserialize<LensData>(LSP.LspJson.Options);
        }
        catch (JsonException e)
        {
            throw LspErrors.InvalidParams($"This code lens was not made by BibServer: {e.Message}");
        }
        if (read is null) return lens;
        var workspace = context.Snapshot.Workspace;
        var title = Features.References.UseOf(workspace, read.Key).Describe();
        return lens with { Command = Command(workspace, read.Uri, lens.Range, read.Key, title) };
    }

    private static LSP.Command Command(WorkspaceSnapshot workspace, string uri, LSP.Range range, string key, string title)
    {
        var locations = ToProto.Locations(workspace, Features.References.OfKey(workspace, key, includeDeclaration: false));
        return new LSP.Command(title, ShowReferences,
            [LSP.LspJson.ToElement(uri), LSP.LspJson.ToElement(range.Start), LSP.LspJson.ToElement(locations)]);
    }
}
