using System.Text.Json;

namespace BibServer.Protocol;

/// <summary>Settings is whatever JSON the client sends: an object, or null when the client wants to be asked.</summary>
internal sealed record DidChangeConfigurationParams(JsonElement? Settings = null);

internal sealed record ConfigurationItem(string? ScopeUri = null, string? Section = null);

internal sealed record ConfigurationParams(IReadOnlyList<ConfigurationItem> Items);

internal enum FileChangeType
{
    Created = 1,
    Changed = 2,
    Deleted = 3,
}

internal sealed record FileEvent(string Uri, FileChangeType Type);

internal sealed record DidChangeWatchedFilesParams(IReadOnlyList<FileEvent> Changes);

[Flags]
internal enum WatchKind
{
    Create = 1,
    Change = 2,
    Delete = 4,
}

internal sealed record FileSystemWatcher(string GlobPattern, WatchKind? Kind = null);

internal sealed record DidChangeWatchedFilesRegistrationOptions(IReadOnlyList<FileSystemWatcher> Watchers);

/// <summary>RegisterOptions depends on the method, so it is carried as JSON made by the caller.</summary>
internal sealed record Registration(string Id, string Method, JsonElement? RegisterOptions = null);

internal sealed record RegistrationParams(IReadOnlyList<Registration> Registrations);

internal sealed record Unregistration(string Id, string Method);

internal sealed record UnregistrationParams(IReadOnlyList<Unregistration> Unregisterations);

internal sealed record WorkspaceFoldersChangeEvent(IReadOnlyList<WorkspaceFolder> Added, IReadOnlyList<WorkspaceFolder> Removed);

internal sealed record DidChangeWorkspaceFoldersParams(WorkspaceFoldersChangeEvent Event);

internal sealed record ApplyWorkspaceEditParams(WorkspaceEdit Edit, string? Label = null);

internal sealed record ApplyWorkspaceEditResult(bool Applied, string? FailureReason = null);
