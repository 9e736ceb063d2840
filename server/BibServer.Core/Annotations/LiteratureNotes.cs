using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using BibServer.Core.Notes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BibServer.Core.Annotations;

/// <summary>
/// Where a workspace keeps its literature notes, one note per paper: <c>literature-notes:</c> in
/// bibserver.yaml, a glob relative to the workspace's root whose file name part has a <c>*</c> that stands
/// for the key (<c>notes/papers/*.md</c>, the default). New literature notes are made where the glob says.
/// </summary>
public sealed record LiteratureNoteSettings
{
    public const string DefaultGlob = "notes/papers/*.md";

    private readonly Regex _pattern;

    public LiteratureNoteSettings(ImmutableArray<string> roots, string? glob = null)
    {
        Roots = roots.IsDefault ? [] : [.. roots.Select(r => r.TrimEnd('/') + "/")];
        Glob = string.IsNullOrWhiteSpace(glob) ? DefaultGlob : glob.Trim().TrimStart('/');
        _pattern = new Regex("^" + ToRegex(Glob) + "$", RegexOptions.CultureInvariant);
    }

    public static LiteratureNoteSettings Default { get; } = new([]);

    /// <summary>The workspace's roots (each ending in <c>/</c>); with none, the glob matches the end of a path.</summary>
    public ImmutableArray<string> Roots { get; }

    public string Glob { get; }

    /// <summary>The key a path stands for by its file name, if the path is one of the glob's.</summary>
    public string? KeyOfPath(string path)
    {
        path = path.Replace('\\', '/');
        foreach (var relative in Relative(path))
            if (_pattern.Match(relative) is { Success: true } m)
                return m.Groups["key"].Success ? m.Groups["key"].Value : Path.GetFileNameWithoutExtension(path);
        return null;
    }

    /// <summary>
    /// Where a new literature note for a key goes: the glob with its wildcard folders dropped and the
    /// file name's <c>*</c> replaced by the key, under the first root (or the note's own root when given).
    /// </summary>
    public string NewNotePath(string key, string? root = null)
    {
        root ??= Roots.FirstOrDefault() ?? "/";
        // A key may hold characters a file name cannot (pandoc allows "/" and ":" inside keys).
        key = string.Concat(key.Select(c => c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c) ? '_' : c));
        var parts = Glob.Split('/').ToList();
        var name = parts[^1];
        var folders = parts.Take(parts.Count - 1).Where(p => p.IndexOfAny(['*', '?', '[', '{']) < 0);
        var star = name.IndexOf('*');
        var file = star < 0 ? key + ".md" : name[..star] + key + name[(star + 1)..].Replace("*", "");
        if (file.IndexOfAny(['?', '[', '{']) >= 0) file = key + ".md";
        // String work only (GetFullPath would read the current directory for a path that is not rooted).
        return Workspace.PathContext.Normalize(Path.Combine([root, .. folders, file]));
    }

    private IEnumerable<string> Relative(string path)
    {
        if (Roots.IsEmpty)
        {
            // No root known: try every tail of the path, from the longest.
            for (var i = path.IndexOf('/'); i >= 0; i = path.IndexOf('/', i + 1)) yield return path[(i + 1)..];
            yield break;
        }
        foreach (var root in Roots)
            if (path.StartsWith(root, StringComparison.Ordinal)) yield return path[root.Length..];
    }

    /// <summary><c>**/</c> any folders, <c>*</c> any name part, <c>?</c> one character, <c>{a,b}</c> either; the file name's first <c>*</c> is the key.</summary>
    private static string ToRegex(string glob)
    {
        var sb = new StringBuilder();
        var lastSlash = glob.LastIndexOf('/');
        var keyTaken = false;
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                if (i > lastSlash && !keyTaken)
                {
                    sb.Append("(?<key>[^/]+)");
                    keyTaken = true;
                }
                else sb.Append("[^/]*");
            }
            else if (c == '?') sb.Append("[^/]");
            else if (c == '{')
            {
                var close = glob.IndexOf('}', i);
                if (close < 0) { sb.Append(Regex.Escape("{")); continue; }
                sb.Append("(?:").Append(string.Join('|', glob[(i + 1)..close].Split(',').Select(Regex.Escape))).Append(')');
                i = close;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}

/// <summary>
/// Notes about one paper. A note is a literature note when its front matter names the paper (<c>key:</c>,
/// <c>citekey:</c> or <c>id:</c>, with or without an <c>@</c>) or, failing that, when its path is one of the
/// literature-note glob's; its whole body is that paper's annotation.
/// </summary>
public static class LiteratureNotes
{
    private static readonly string[] KeyFields = ["key", "citekey", "id"];

    // Front matter is read once per parsed note; a keystroke below the front matter shares the note's front
    // matter memos with its previous version, so the key is read again only when the front matter changes.
    private static readonly MemoKey<StrongBox<string?>> FrontMatterKeyMemo = new("literature note key");

    /// <summary>The paper a note is about, or null.</summary>
    public static string? KeyOf(NoteDocument note, LiteratureNoteSettings settings) =>
        FrontMatterKey(note) ?? settings.KeyOfPath(note.Path);

    /// <summary>The key the front matter names, or null.</summary>
    public static string? FrontMatterKey(NoteDocument note) =>
        note.FrontMatter is { } fm ? note.FrontMatterMemos.Get(FrontMatterKeyMemo, fm, static f => new StrongBox<string?>(ReadKey(f.Yaml))).Value : null;

    /// <summary>The body: everything after the front matter.</summary>
    public static Text.TextSpan Body(NoteDocument note)
    {
        var start = note.FrontMatter?.Span.End ?? 0;
        var end = note.Text.Length;
        while (start < end && char.IsWhiteSpace(note.Text[start])) start++;
        while (end > start && char.IsWhiteSpace(note.Text[end - 1])) end--;
        return Text.TextSpan.FromBounds(start, end);
    }

    private static string? ReadKey(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return null;
            foreach (var field in KeyFields)
                if (root.Children.TryGetValue(new YamlScalarNode(field), out var value) && value is YamlScalarNode { Value: { Length: > 0 } s })
                {
                    var key = s.Trim().TrimStart('@');
                    if (key.StartsWith('{') && key.EndsWith('}')) key = key[1..^1];
                    if (key.Length > 0) return key;
                }
        }
        catch (YamlException)
        {
            // Broken front matter is reported by the note's diagnostics; it names no paper.
        }
        return null;
    }
}
