using BibServer.Conversion;
using BibServer.Server;
using Features = BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>textDocument/completion of citation keys, triggered by the characters that start or separate citations.</summary>
internal static class CompletionHandler
{
    /// <summary>"@" starts a citation, "[" a bracketed group, ";" the next citation in a group.</summary>
    public static IReadOnlyList<string> TriggerCharacters { get; } = ["@", "[", ";"];

    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with
        {
            CompletionProvider = new LSP.CompletionOptions { TriggerCharacters = TriggerCharacters, ResolveProvider = false },
        });
        router.Request<LSP.CompletionParams, LSP.CompletionList>(LSP.Methods.TextDocumentCompletion, Handle);
    }

    internal static LSP.CompletionList Handle(RequestContext context, LSP.CompletionParams request, CancellationToken cancellationToken)
    {
        var empty = new LSP.CompletionList(IsIncomplete: false, []);
        if (context.Document(request.TextDocument) is not { } document) return empty;
        var offset = FromProto.Offset(document, request.Position);
        if (Features.Completion.Find(context.Snapshot.Workspace, WorkspaceChanges.PathOf(document), offset) is not { } result) return empty;
        return new LSP.CompletionList(result.IsIncomplete, result.Items.Select(item => new LSP.CompletionItem(item.Key)
        {
            Kind = LSP.CompletionItemKind.Reference,
            Detail = item.Detail,
            Documentation = ToProto.Markdown(item.Documentation),
            SortText = item.SortText,
            FilterText = item.FilterText,
            TextEdit = new LSP.TextEdit(ToProto.Range(document.Lines, item.ReplaceSpan), item.NewText),
        }).ToList());
    }
}
