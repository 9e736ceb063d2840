using System.Collections.Immutable;
using System.Text.Json;
using BibServer.Server.Logging;
using Microsoft.Extensions.Logging;

namespace BibServer.Server;

/// <summary>
/// The user's settings for the server, from initializationOptions and workspace/didChangeConfiguration.
/// A new settings value replaces the old one whole, and produces a new snapshot.
/// </summary>
internal sealed record ServerSettings
{
    public static ServerSettings Default { get; } = new();

    /// <summary>Library files or globs (absolute, or relative to each workspace root) the server reads papers from.</summary>
    public ImmutableArray<string> Libraries { get; init; } = [];

    /// <summary>The level of the log sent to the client; when null, the LSP trace value decides.</summary>
    public LogLevel? LogLevel { get; init; }

    /// <summary>An LSP trace value ("off", "messages", "verbose") given as a setting.</summary>
    public string? Trace { get; init; }

    /// <summary>Whether inlay hints show each citation's in-text form after its key (off unless turned on).</summary>
    public bool InlayHints { get; init; }

    /// <summary>The editor's <c>bibserver.zotero</c>: true, a path, or { path, collection, library }; null when off.</summary>
    private static Core.Libraries.Zotero.ZoteroSetting? ZoteroSettingOf(JsonElement json, ImmutableArray<string>.Builder problems)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.True:
                return new();
            case JsonValueKind.False or JsonValueKind.Null:
                return null;
            case JsonValueKind.String when json.GetString() is { Length: > 0 } path:
                return new(Path: path);
            case JsonValueKind.Object:
                string? Text(string name) => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                return new(Text("path"), Text("collection"), Text("library"));
            default:
                problems.Add($"The \"zotero\" setting {json.GetRawText()} is not true, a path to zotero.sqlite, or {{ path, collection, library }}, so it was ignored.");
                return null;
        }
    }

    /// <summary>The collection and library the editor's <c>bibserver.zotero</c> database is read with.</summary>
    public Loading.ZoteroScopes Zotero { get; init; } = Loading.ZoteroScopes.Empty;

    /// <summary>The largest file read, in megabytes (<see cref="Loading.FileGuard"/>); null keeps the default.</summary>
    public long? MaxFileSizeMB { get; init; }

    public bool LibrariesEqual(ServerSettings other) =>
        Libraries.SequenceEqual(other.Libraries) && MaxFileSizeMB == other.MaxFileSizeMB && Zotero.SameAs(other.Zotero);

    /// <summary>
    /// Reads settings from the JSON a client sends. Both the bare object and one wrapped in a "bibserver"
    /// section are accepted, because VS Code sends the section and other clients send what they were given.
    /// Never throws: what cannot be read is left at its default and described in the problems.
    /// </summary>
    public static (ServerSettings Settings, ImmutableArray<string> Problems) Parse(JsonElement? json)
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        if (json is not { ValueKind: JsonValueKind.Object } root) return (Default, []);
        if (root.TryGetProperty("bibserver", out var section))
        {
            if (section.ValueKind != JsonValueKind.Object) return (Default, ["The \"bibserver\" settings section is not an object, so it was ignored."]);
            root = section;
        }

        var settings = Default;
        if (root.TryGetProperty("libraries", out var libraries))
        {
            switch (libraries.ValueKind)
            {
                case JsonValueKind.String:
                    settings = settings with { Libraries = [libraries.GetString()!] };
                    break;
                case JsonValueKind.Array:
                    var list = ImmutableArray.CreateBuilder<string>();
                    foreach (var item in libraries.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString())) list.Add(item.GetString()!);
                        else problems.Add($"A \"libraries\" entry is not a file name or glob ({item.GetRawText()}), so it was ignored.");
                    }
                    settings = settings with { Libraries = list.ToImmutable() };
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    problems.Add("The \"libraries\" setting should be a list of files or globs, so it was ignored.");
                    break;
            }
        }

        if (root.TryGetProperty("zotero", out var zotero) && ZoteroSettingOf(zotero, problems) is { } setting)
        {
            // The database is one more library, after the others: the rest of the server reads it as it reads them.
            // It is marked as the editor's Zotero, which a workspace's bibserver.yaml does not replace (ZoteroFiles.PatternsOf).
            // A relative path is taken from the server's folder, as settings have no root of their own; use an absolute one.
            settings = settings with
            {
                Libraries = settings.Libraries.Add(Loading.ZoteroFiles.EditorSettingPrefix + Loading.ZoteroFiles.Resolve(setting, Environment.CurrentDirectory)),
                Zotero = Loading.ZoteroFiles.ScopeOf(setting, Environment.CurrentDirectory),
            };
        }

        if (root.TryGetProperty("logLevel", out var logLevel) && logLevel.ValueKind != JsonValueKind.Null)
        {
            var parsed = logLevel.ValueKind == JsonValueKind.String ? LogLevels.Parse(logLevel.GetString()) : null;
            if (parsed is null) problems.Add($"The \"logLevel\" setting {logLevel.GetRawText()} is not one of trace, debug, information, warning, error, none, so it was ignored.");
            settings = settings with { LogLevel = parsed };
        }

        if (root.TryGetProperty("maxFileSizeMB", out var maxSize) && maxSize.ValueKind != JsonValueKind.Null)
        {
            if (maxSize.ValueKind == JsonValueKind.Number && maxSize.TryGetInt64(out var mb) && mb > 0) settings = settings with { MaxFileSizeMB = mb };
            else problems.Add($"The \"maxFileSizeMB\" setting {maxSize.GetRawText()} is not a positive number of megabytes, so it was ignored.");
        }

        if (root.TryGetProperty("trace", out var trace))
        {
            // VS Code's "<section>.trace.server" setting arrives as { "trace": { "server": "verbose" } }.
            if (trace.ValueKind == JsonValueKind.Object && trace.TryGetProperty("server", out var server)) trace = server;
            var value = trace.ValueKind == JsonValueKind.String ? trace.GetString() : null;
            if (value is Protocol.TraceValue.Off or Protocol.TraceValue.Messages or Protocol.TraceValue.Verbose) settings = settings with { Trace = value };
            else if (trace.ValueKind != JsonValueKind.Null) problems.Add($"The \"trace\" setting {trace.GetRawText()} is not one of off, messages, verbose, so it was ignored.");
        }

        if (root.TryGetProperty("inlayHints", out var hints))
        {
            // VS Code's "bibserver.inlayHints.enabled" arrives as { "inlayHints": { "enabled": true } }.
            if (hints.ValueKind == JsonValueKind.Object && hints.TryGetProperty("enabled", out var enabled)) hints = enabled;
            if (hints.ValueKind is JsonValueKind.True or JsonValueKind.False) settings = settings with { InlayHints = hints.GetBoolean() };
            else if (hints.ValueKind != JsonValueKind.Null) problems.Add($"The \"inlayHints.enabled\" setting {hints.GetRawText()} is not true or false, so it was ignored.");
        }

        return (settings, problems.ToImmutable());
    }
}
