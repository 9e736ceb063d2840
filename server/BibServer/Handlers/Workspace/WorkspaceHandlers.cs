using System.Text.Json;
using BibServer.Conversion;
using BibServer.Loading;
using BibServer.Server;
using BibServer.Documents;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Handlers;

/// <summary>Settings, watched files and workspace folders: the notifications that change the world around the notes.</summary>
internal static class WorkspaceHandlers
{
    public static void Register(LspRouter router)
    {
        router.Announce((capabilities, _) => capabilities with
        {
            Workspace = new LSP.WorkspaceServerCapabilities(new LSP.WorkspaceFoldersServerCapabilities(Supported: true, ChangeNotifications: true)),
        });
        router.Notification<LSP.DidChangeConfigurationParams>(LSP.Methods.WorkspaceDidChangeConfiguration, DidChangeConfiguration);
        router.Notification<LSP.DidChangeWatchedFilesParams>(LSP.Methods.WorkspaceDidChangeWatchedFiles, DidChangeWatchedFiles);
        router.Notification<LSP.DidChangeWorkspaceFoldersParams>(LSP.Methods.WorkspaceDidChangeWorkspaceFolders, DidChangeWorkspaceFolders);
    }

    private static void DidChangeConfiguration(ServerHost host, LSP.DidChangeConfigurationParams request)
    {
        var empty = request.Settings is not { ValueKind: JsonValueKind.Object } settings || !settings.EnumerateObject().Any();
        if (empty && host.ClientCapabilities.Workspace?.Configuration == true)
        {
            // Clients of the pull model send an empty notification to say "ask me".
            _ = host.Effects.PullSettingsAsync();
            return;
        }
        host.Effects.ApplySettings(request.Settings);
    }

    private static void DidChangeWatchedFiles(ServerHost host, LSP.DidChangeWatchedFilesParams request)
    {
        var changes = request.Changes
            .Select(change => (Path: DocumentUris.ToPath(change.Uri), Kind: FromProto.FileChangeKind(change.Type)))
            .Where(change => change.Path is not null)
            .Select(change => (change.Path!, change.Kind))
            .ToArray();
        if (changes.Length > 0) _ = host.OnFilesChanged(changes);
    }

    private static void DidChangeWorkspaceFolders(ServerHost host, LSP.DidChangeWorkspaceFoldersParams request)
    {
        var removed = request.Event.Removed.Select(folder => DocumentUris.ToPath(folder.Uri)).OfType<string>().ToHashSet();
        var added = request.Event.Added.Select(folder => DocumentUris.ToPath(folder.Uri)).OfType<string>();
        var roots = host.State.Current.Roots.Where(root => !removed.Contains(root)).Concat(added).Distinct().ToArray();
        host.Apply(new Change.RootsChanged([.. roots], WorkspaceRoots.PathContext([.. roots])));
        host.Logger.LogInformation("Workspace folders are now {Roots}.", string.Join(", ", roots));
    }
}
