using ZoteroSetting = BibServer.Core.Libraries.Zotero.ZoteroSetting;
using System.Collections.Immutable;
using BibServer.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BibServer.Core.Workspace;

/// <summary>
/// What a workspace says about itself in <c>bibserver.yaml</c> at its root:
/// <c>libraries:</c>, a list of files or globs relative to the root (a single string is taken as a one-item list);
/// <c>csl:</c>, the citation style of notes that name none (a path relative to the root, or a shipped style's name).
/// <c>literature-notes:</c>, the glob of the notes about one paper each (docs/annotations.md).
/// <c>zotero:</c>, a Zotero database read as one more library (<see cref="ZoteroSetting"/>).
/// </summary>
public sealed record WorkspaceConfig(ImmutableArray<string> Libraries, ImmutableArray<Problem> Problems, string? Csl = null, TextSpan? CslSpan = null)
{
    /// <summary>The <c>literature-notes:</c> glob, or null for the default.</summary>
    public string? LiteratureNotes { get; init; }

    /// <summary>The Zotero database the workspace names, after its <c>libraries:</c>; null when none.</summary>
    public ZoteroSetting? Zotero { get; init; }

    public const string FileName = "bibserver.yaml";

    public static WorkspaceConfig Empty { get; } = new(ImmutableArray<string>.Empty, ImmutableArray<Problem>.Empty);

    public static WorkspaceConfig Parse(string text)
    {
        var problems = ImmutableArray.CreateBuilder<Problem>();
        var libraries = ImmutableArray.CreateBuilder<string>();
        string? csl = null;
        TextSpan? cslSpan = null;
        string? literatureNotes = null;
        ZoteroSetting? zotero = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
                return Empty;
            foreach (var (keyNode, value) in root.Children)
            {
                if (keyNode is YamlScalarNode { Value: "zotero" })
                {
                    var (setting, problem) = ZoteroSetting.FromYaml(value);
                    zotero = setting;
                    if (problem is not null) problems.Add(new Problem(Severity.Warning, problem, SpanOf(value, text)));
                    continue;
                }
                if (keyNode is YamlScalarNode { Value: "csl" } && value is YamlScalarNode { Value: { Length: > 0 } style })
                {
                    csl = style;
                    cslSpan = SpanOf(value, text);
                    continue;
                }
                if (keyNode is YamlScalarNode { Value: "literature-notes" })
                {
                    if (value is YamlScalarNode { Value: { Length: > 0 } glob }) literatureNotes = glob;
                    else problems.Add(new Problem(Severity.Warning, "`literature-notes:` should be a glob such as `notes/papers/*.md`.", SpanOf(value, text)));
                    continue;
                }
                if (keyNode is not YamlScalarNode { Value: "libraries" }) continue;
                switch (value)
                {
                    case YamlScalarNode { Value: { Length: > 0 } one }:
                        libraries.Add(one);
                        break;
                    case YamlSequenceNode list:
                        foreach (var item in list)
                        {
                            if (item is YamlScalarNode { Value: { Length: > 0 } s }) libraries.Add(s);
                            else problems.Add(new Problem(Severity.Warning, "Each item of `libraries:` should be a file name or a glob.", SpanOf(item, text)));
                        }
                        break;
                    default:
                        problems.Add(new Problem(Severity.Warning, "`libraries:` should be a list of files or globs.", SpanOf(value, text)));
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            var start = (int)Math.Clamp(e.Start.Index, 0, text.Length);
            var end = (int)Math.Clamp(e.End.Index, start, text.Length);
            problems.Add(new Problem(Severity.Error, $"{FileName} is not valid YAML: {e.InnerException?.Message ?? e.Message}", TextSpan.FromBounds(start, end)));
        }
        return new WorkspaceConfig(libraries.ToImmutable(), problems.ToImmutable(), csl, cslSpan) { LiteratureNotes = literatureNotes, Zotero = zotero };
    }

    private static TextSpan SpanOf(YamlNode node, string text)
    {
        var start = (int)Math.Clamp(node.Start.Index, 0, text.Length);
        var end = (int)Math.Clamp(node.End.Index, start, text.Length);
        return TextSpan.FromBounds(start, end);
    }
}
