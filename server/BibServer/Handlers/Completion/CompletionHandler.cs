using System.Text.Json;
using BibServer.Documents;
using BibServer.Conversion;
using BibServer.Core.Text;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>
/// textDocument/completion of citation keys, triggered by the characters that start or separate citations,
/// and completionItem/resolve, which fills in an item's documentation when the client shows it.
/// </summary>
internal static class CompletionHandler
{
    /// <summary>"@" starts a citation, "[" a bracketed group, ";" the next citation in a group.</summary>
    public static IReadOnlyList<string> TriggerCharacters { get; } = ["@", "[", ";"];

    public const string ResolveMethod = "completionItem/resolve";

    /// <summary>What a deferred item carries, so that resolving it finds its paper again.</summary>
    private sealed record ResolveData(string Uri, string Key, int Offset = -1);

    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with
        {
            CompletionProvider = new LSP.CompletionOptions { TriggerCharacters = TriggerCharacters, ResolveProvider = true },
        });
        router.Request<LSP.CompletionParams, LSP.CompletionList>(LSP.Methods.TextDocumentCompletion, Handle);
        router.AsyncRequest<LSP.CompletionItem, LSP.CompletionItem>(ResolveMethod, Resolve);
    }

    internal static LSP.CompletionList Handle(RequestContext context, LSP.CompletionParams request, CancellationToken cancellationToken)
    {
        var empty = new LSP.CompletionList(IsIncomplete: false, []);
        if (context.Document(request.TextDocument) is not { } document) return empty;
        var offset = FromProto.Offset(document, request.Position);
        if (Features.Completion.Find(context.Snapshot.Workspace, document.CorePath, offset) is not { } result) return empty;
        // A hundred abstracts are most of an answer's size (some 150 KB): a client that can ask for an item's
        // documentation when it shows it gets none up front, so the list arrives at once on every keystroke.
        var later = context.ClientCapabilities.TextDocument?.Completion?.CompletionItem?.ResolveSupport?.Properties.Contains("documentation") == true;
        return new LSP.CompletionList(result.IsIncomplete || context.Incomplete, result.Items.Select(item => new LSP.CompletionItem(item.Key)
        {
            Kind = LSP.CompletionItemKind.Reference,
            Detail = item.Detail,
            Documentation = later ? null : ToProto.Markdown(item.Documentation),
            SortText = item.SortText,
            FilterText = item.FilterText,
            TextEdit = new LSP.TextEdit(ToProto.Range(document.Lines, item.ReplaceSpan), item.NewText),
            Data = later ? LSP.LspJson.ToElement(new ResolveData(document.Uri, item.Key, offset)) : null,
        }).ToList());
    }

    /// <summary>
    /// Adds the documentation of a deferred item, the paper's reference in the note's citation style first;
    /// any other item comes back as it was.
    /// </summary>
    internal static async Task<LSP.CompletionItem> Resolve(RequestContext context, LSP.CompletionItem item, CancellationToken cancellationToken)
    {
        if (item.Documentation is not null || item.Data is not { ValueKind: JsonValueKind.Object } json) return item;
        ResolveData? data;
        try
        {
            data = json.Deserialize<ResolveData>(LSP.LspJson.Options);
        }
        catch (JsonException)
        {
            return item;
        }
        if (data is null || context.Document(new LSP.TextDocumentIdentifier(data.Uri)) is not { } document) return item;
        var workspace = context.Snapshot.Workspace;
        if (workspace.Note(document.CorePath) is not { } note || workspace.ScopeOf(note).Find(data.Key) is not { } paper) return item;
        var at = new Features.FileSpan(note.Path, new TextSpan(Math.Max(0, data.Offset), 0));
        // The reference rendered within a bound (StyleService.RenderWait), else the fields now and it next time.
        var documentation = await context.Host.Styles.WithinRenderWaitAsync(context.Snapshot, document,
            style => Features.Completion.Documentation(workspace, paper, at, Features.StyledText.Of(style, paper)), cancellationToken);
        return item with { Documentation = ToProto.Markdown(documentation) };
    }
}
