namespace BibServer.Documents;

/// <summary>Converts between file: URIs, which the protocol speaks, and paths, which the core and the disk use.</summary>
internal static class DocumentUris
{
    public static string? ToPath(string uri)
    {
        if (!uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) return null;
        return Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : null;
    }

    public static string FromPath(string path) => new Uri(System.IO.Path.GetFullPath(path)).AbsoluteUri;

    /// <summary>The URI of a path the core knows: a file's URI, or the URI itself for an unsaved buffer.</summary>
    public static string UriOf(string path) => System.IO.Path.IsPathRooted(path) ? FromPath(path) : path;
}
