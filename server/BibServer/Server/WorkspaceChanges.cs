using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Workspace;
using BibServer.Documents;
using BibServer.Loading;

namespace BibServer.Server;

/// <summary>
/// How each change moves the core's workspace snapshot: the workspace half of <see cref="Snapshots.Next"/>.
/// Pure like it: file contents arrive inside the change. An open document's buffer always wins over the disk.
/// </summary>
internal static class WorkspaceChanges
{
    public static bool IsNote(string path, string languageId = "") =>
        languageId is "markdown" or "quarto" || WorkspaceFiles.IsNote(path);

    /// <summary>
    /// A note's buffer is parsed (a few milliseconds), or, after an edit below its front matter, parsed when
    /// first asked for (<see cref="NoteParser.Reparse"/>); a library's buffer replaces that library, unless its
    /// format reads bytes (a database's buffer is not what the format reads).
    /// </summary>
    public static WorkspaceSnapshot WithOpenDocument(WorkspaceSnapshot workspace, OpenDocument document, bool edited = false)
    {
        var path = document.CorePath;
        if (IsNote(path, document.LanguageId))
            return workspace.WithNote(edited ? NoteParser.Reparse(path, document.Text, workspace.Note(path)) : NoteParser.Parse(path, document.Text));
        if (workspace.Library(path) is { Format.ReadsBytes: false })
            return workspace.WithLibraries(workspace.Libraries.With(documents: [LibraryReader.Read(path, document.Text)]));
        return workspace;
    }

    /// <summary>
    /// A workspace read from disk, with the open buffers laid over it (a note's buffer already parsed in
    /// <paramref name="previous"/> is not parsed again). A load reads the notes on disk after its libraries
    /// (<see cref="WithDiskNotes"/>): until then the previous notes on disk stay.
    /// </summary>
    public static WorkspaceSnapshot Loaded(WorkspaceSnapshot loaded, DocumentStore open, WorkspaceSnapshot previous)
    {
        var notes = new List<NoteDocument>();
        var libraries = new List<LibraryDocument>();
        var openPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in open.All)
        {
            var path = document.CorePath;
            openPaths.Add(path);
            if (IsNote(path, document.LanguageId))
                notes.Add(previous.Note(path) is { } parsed && ReferenceEquals(parsed.Text, document.Text) ? parsed : NoteParser.Parse(path, document.Text));
            else if (loaded.Library(path) is { Format.ReadsBytes: false }) libraries.Add(LibraryReader.Read(path, document.Text));
        }
        // The load was made with the paths of the roots it read; the session's own are the ones that count.
        loaded = loaded.WithPaths(previous.Paths);
        if (loaded.Notes.IsEmpty) loaded = loaded.WithNotes(previous.Notes.Values.Where(n => !openPaths.Contains(n.Path))).WithNoteTimes(previous.NoteTimes);
        var result = loaded.WithNotes(notes);
        // A library an open note names that the load did not read (the note opened while it ran) but that was
        // read meanwhile is kept: without it the note would briefly see its bibliography as missing.
        foreach (var path in notes.SelectMany(n => result.BibliographyOf(n)).Distinct(StringComparer.Ordinal))
        {
            if (result.Library(path) is null && !libraries.Exists(l => l.Path == path) && previous.Library(path) is { } kept) libraries.Add(kept);
        }
        return libraries.Count == 0 ? result : result.WithLibraries(result.Libraries.With(documents: libraries));
    }

    /// <summary>
    /// The notes on disk, read after a load's libraries, in place of those known before (open buffers win),
    /// and the libraries they name that had not been read (null text: missing).
    /// </summary>
    public static WorkspaceSnapshot WithDiskNotes(WorkspaceSnapshot workspace, ImmutableArray<NoteDocument> notes, ImmutableArray<FileChange> libraries, DocumentStore open,
        ImmutableArray<KeyValuePair<string, DateTime>> times = default)
    {
        var openPaths = open.All.Select(document => document.CorePath).ToHashSet(StringComparer.Ordinal);
        foreach (var path in workspace.Notes.Keys)
            if (!openPaths.Contains(path)) workspace = workspace.WithoutNote(path);
        workspace = workspace.WithNotes(notes.Where(n => !openPaths.Contains(n.Path)));
        if (!times.IsDefaultOrEmpty) workspace = workspace.WithNoteTimes(times);
        return libraries.IsEmpty ? workspace : WithFiles(workspace, libraries, open, fillInUnread: true);
    }

    /// <summary>
    /// Files changed on disk. Notes are parsed (for references across the workspace); libraries the
    /// workspace has read, or knows missing, or that a note names, are read again; open buffers are skipped.
    /// With <paramref name="fillInUnread"/> the files are libraries that notes name, read for the first time: they
    /// only fill in those not known yet (neither read nor known missing), and what is known already is left.
    /// </summary>
    public static WorkspaceSnapshot WithFiles(WorkspaceSnapshot workspace, ImmutableArray<FileChange> files, DocumentStore open, bool fillInUnread = false)
    {
        var named = fillInUnread ? null : workspace.Notes.Values.SelectMany(n => workspace.BibliographyOf(n)).ToHashSet(StringComparer.Ordinal);
        var notes = new List<NoteDocument>();
        var times = new List<KeyValuePair<string, DateTime>>();
        var gone = new List<string>();
        var read = new List<LibraryDocument>();
        var removed = new List<string>();
        var missing = new List<string>();
        foreach (var file in files)
        {
            // An open buffer stands for its file: a note's, or a library's the workspace has read. A library
            // named for the first time whose file is open (the note naming it and the file opened together,
            // before the workspace was read) is read from its buffer, never from the disk.
            // A library read because a note names it only fills in what is not known yet: read on an earlier
            // keystroke, such a read can land after a file event that brought newer news of the same file.
            if (fillInUnread && !IsNote(file.Path) && workspace.Libraries.IsKnown(file.Path)) continue;
            // A library whose format reads bytes has no buffer that stands for it: the disk's bytes count.
            var buffer = LibraryFormats.ByExtension(file.Path) is { ReadsBytes: true } ? null : open.Get(DocumentUris.FromPath(file.Path));
            if (buffer is not null && (IsNote(file.Path) || workspace.Libraries.Document(file.Path) is not null)) continue;
            var content = buffer is not null ? FileContent.FromText(buffer.Text) : file.Content;
            var deleted = buffer is null && (file.Kind == FileChangeKind.Deleted || content is null);
            if (IsNote(file.Path))
            {
                if (deleted) gone.Add(file.Path);
                else notes.Add(NoteParser.Parse(file.Path, content!.Value.Text ?? ""));
                if (!deleted && file.Time is { } time) times.Add(KeyValuePair.Create(file.Path, time));
                continue;
            }
            var libs = workspace.Libraries;
            var isNamed = named is null || named.Contains(file.Path) || libs.WorkspaceLibraries.Contains(file.Path);
            if (libs.Document(file.Path) is null && !libs.Missing.Contains(file.Path) && !isNamed) continue;
            if (!deleted) read.Add(LibraryReader.Read(file.Path, content!.Value));
            else if (isNamed) missing.Add(file.Path);
            else removed.Add(file.Path);
        }
        foreach (var path in gone) workspace = workspace.WithoutNote(path);
        workspace = workspace.WithNotes(notes);
        if (times.Count > 0) workspace = workspace.WithNoteTimes(times);
        return read.Count + removed.Count + missing.Count == 0
            ? workspace
            : workspace.WithLibraries(workspace.Libraries.With(documents: read, removed: removed, missing: missing));
    }
}
