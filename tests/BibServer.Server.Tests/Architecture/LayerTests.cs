using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace BibServer.Server.Tests.Architecture;

/// <summary>
/// The layers as docs/architecture.md draws them, checked on what the code refers to (metadata and IL), not on
/// its <c>using</c> lines: the server's folders form no loop, and the core does no IO, reads no environment and
/// keeps no memo in static state.
/// </summary>
public class LayerTests
{
    /// <summary>The server's folders (namespaces) from the bottom up: each may refer only to those before it.</summary>
    private static readonly string[] ServerLayers =
    [
        "BibServer.Protocol",
        "BibServer.Documents",
        "BibServer.Loading",
        "BibServer.Conversion",
        "BibServer.Server",
        "BibServer.Handlers",
        "BibServer.Hosting",
        "BibServer.Commands",
        "BibServer",
    ];

    /// <summary>The layer of a namespace: the longest layer name it is or is inside of (BibServer.Server.Logging is Server's).</summary>
    private static int LayerOf(string? ns)
    {
        var best = -1;
        for (var i = 0; i < ServerLayers.Length; i++)
        {
            var layer = ServerLayers[i];
            if ((ns == layer || ns?.StartsWith(layer + ".", StringComparison.Ordinal) == true) && (best < 0 || layer.Length > ServerLayers[best].Length)) best = i;
        }
        return best;
    }

    [Fact]
    public void Each_folder_of_the_server_refers_only_to_the_folders_below_it()
    {
        var server = typeof(ServerHost).Assembly;
        var wrong = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (type, members) in IlReferences.Of(server))
        {
            var from = LayerOf(type.Namespace);
            if (type.Namespace is null) continue;
            Assert.True(from >= 0, $"{type.FullName} is in a namespace no layer names: {type.Namespace}.");
            foreach (var used in members.SelectMany(IlReferences.TypesOf))
            {
                if (used.Assembly != server || used.Namespace is null) continue;
                var to = LayerOf(used.Namespace);
                seen.Add($"{ServerLayers[from]} -> {ServerLayers[to]}");
                if (to > from) wrong.Add($"{type.Namespace} -> {used.Namespace} ({Outer(type).Name} uses {used.Name})");
            }
        }
        Assert.Empty(wrong);
        // The walk does read method bodies: the server is assembled, and its handlers registered, only in one.
        Assert.Contains("BibServer.Hosting -> BibServer.Handlers", seen);
    }

    /// <summary>What reads the disk, the environment or the current directory: none of it may appear in the core.</summary>
    private static readonly string[] ForbiddenInCore =
    [
        "System.IO.File", "System.IO.FileInfo", "System.IO.Directory", "System.IO.DirectoryInfo", "System.IO.FileStream",
        "System.IO.FileSystemWatcher", "System.IO.StreamReader", "System.IO.StreamWriter", "System.IO.RandomAccess", "System.Console",
        "System.Environment.GetEnvironmentVariable", "System.Environment.GetEnvironmentVariables", "System.Environment.get_CurrentDirectory",
        "System.Environment.GetFolderPath", "System.IO.Path.GetFullPath", "System.IO.Path.GetTempPath", "System.IO.Path.GetTempFileName",
    ];

    [Fact]
    public void The_core_reads_no_file_no_environment_variable_and_no_current_directory()
    {
        var core = typeof(Core.Workspace.WorkspaceSnapshot).Assembly;
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pathWork = false;
        foreach (var (type, members) in IlReferences.Of(core))
        {
            foreach (var member in members)
            {
                var name = member is Type t ? t.FullName : $"{member.DeclaringType?.FullName}.{member.Name}";
                pathWork |= name == "System.IO.Path.GetDirectoryName";
                if (name is not null && ForbiddenInCore.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal)))
                    found.Add($"{Outer(type).FullName} uses {name}");
            }
            foreach (var used in members.SelectMany(IlReferences.TypesOf))
            {
                if (used.Namespace is { } ns && (ns.StartsWith("BibServer.Protocol", StringComparison.Ordinal) || ns.StartsWith("StreamJsonRpc", StringComparison.Ordinal)))
                    found.Add($"{Outer(type).FullName} uses {used.FullName}");
            }
        }
        Assert.Empty(found);
        // The walk sees calls inside method bodies: the core's string work on paths is one.
        Assert.True(pathWork, "the walk found no call of Path.GetDirectoryName, which the core makes");
    }

    [Fact]
    public void The_core_keeps_no_memo_table_in_static_state()
    {
        var core = typeof(Core.Workspace.WorkspaceSnapshot).Assembly;
        var statics = core.GetTypes()
            .Where(type => !type.IsDefined(typeof(CompilerGeneratedAttribute)))
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            // Per-thread scratch buffers ([ThreadStatic]) hold nothing from one call to the next.
            .Where(field => !field.IsLiteral && !field.IsDefined(typeof(CompilerGeneratedAttribute)) && !field.IsDefined(typeof(ThreadStaticAttribute)))
            .Where(field => !field.IsInitOnly || IsMemoTable(field.FieldType))
            .Select(field => $"{field.DeclaringType!.FullName}.{field.Name}")
            .ToList();
        // The one process-wide cache: the transliteration of a single code point, a pure function of a character
        // that holds nothing of any workspace (docs/architecture.md, Invariants).
        Assert.Equal(["BibServer.Core.Libraries.Keys.TextFold.Folded"], statics);
    }

    private static bool IsMemoTable(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(ConditionalWeakTable<,>) || definition == typeof(ConcurrentDictionary<,>));

    private static Type Outer(Type type) => type.DeclaringType is { } outer ? Outer(outer) : type;
}
