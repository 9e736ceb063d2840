using BibServer.Core.Libraries;

namespace BibServer.Loading;

internal enum FileChangeKind
{
    Created,
    Changed,
    Deleted,
}

/// <summary>
/// A file that changed on disk, with what was read of it: its text, or its bytes for a library format that
/// reads bytes (<see cref="LibraryFormat.ReadsBytes"/>). Neither for a deleted or unreadable file.
/// </summary>
internal sealed record FileChange(string Path, FileChangeKind Kind, string? Text = null)
{
    public ReadOnlyMemory<byte>? Bytes { get; init; }

    /// <summary>The file itself, open to be read by place (a BibTeX library: <see cref="FileContent.File"/>).</summary>
    public Core.Text.ByteSource? File { get; init; }

    /// <summary>When the file was last written (UTC), asked when it was read: a note's passages are ordered by it.</summary>
    public DateTime? Time { get; init; }

    /// <summary>What was read, or null when nothing was (deleted, missing or unreadable).</summary>
    public FileContent? Content => Text is not null ? FileContent.FromText(Text) : File is { } file ? FileContent.FromFile(file)
        : Bytes is { } bytes ? FileContent.FromBytes(bytes) : null;

    /// <summary>A change carrying what was read of a file, or nothing for a file that could not be read.</summary>
    public static FileChange Of(string path, FileChangeKind kind, FileContent? content) =>
        new(path, kind, content?.Text)
        {
            Bytes = content is { Text: null, File: null } c ? c.Bytes : (ReadOnlyMemory<byte>?)null,
            File = content?.File,
        };
}
