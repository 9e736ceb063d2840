using YamlDotNet.RepresentationModel;

namespace BibServer.Core.Libraries.Zotero;

/// <summary>
/// The <c>zotero:</c> setting of bibserver.yaml (or the editor's <c>bibserver.zotero</c>): <c>true</c> for the
/// default data directory's database, a path to a database, or a mapping with <c>path:</c>, <c>collection:</c>
/// (a path of collection names, sub-collections included) and <c>library:</c> (a group library's name). The
/// server resolves the path (the default one depends on the environment, which the core never reads).
/// </summary>
public sealed record ZoteroSetting(string? Path = null, string? Collection = null, string? Library = null)
{
    /// <summary>The setting from YAML, or null when it is absent or false; a problem message when it cannot be read.</summary>
    public static (ZoteroSetting? Setting, string? Problem) FromYaml(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode { Value: var value }:
                if (value is null or "" or "false" or "no" or "off") return (null, null);
                if (value is "true" or "yes" or "on") return (new ZoteroSetting(), null);
                return (new ZoteroSetting(Path: value), null);
            case YamlMappingNode map:
                string? path = null, collection = null, library = null;
                foreach (var (k, v) in map.Children)
                {
                    var name = (k as YamlScalarNode)?.Value;
                    var text = (v as YamlScalarNode)?.Value;
                    if (text is null) return (null, $"`zotero: {{{name}: ...}}` should be a string.");
                    switch (name)
                    {
                        case "path": path = text; break;
                        case "collection": collection = text; break;
                        case "library": library = text; break;
                        default: return (null, $"`zotero:` takes `path:`, `collection:` and `library:`, not `{name}:`.");
                    }
                }
                return (new ZoteroSetting(path, collection, library), null);
            default:
                return (null, "`zotero:` should be `true`, a path to zotero.sqlite, or a mapping with `path:`, `collection:` and `library:`.");
        }
    }
}
