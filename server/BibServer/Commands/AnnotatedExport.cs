using BibServer.Core.Export;
using BibServer.Loading;
using BibServer.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace BibServer.Commands;

/// <summary>
/// <c>bibserver export --annotated [--format markdown] PATH...</c>: the annotated bibliography of some notes
/// (files or folders) on standard output, with the annotations of every note of their workspace
/// (docs/annotations.md). The workspace is found as <c>bibserver check</c> finds it. Each reference is written in
/// the notes' citation style (<see cref="StyleService.ForNotes"/>), rendered by citeproc-js as hover renders it.
/// </summary>
internal static class AnnotatedExport
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var format = "markdown";
        var paths = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--format" && i + 1 < args.Length) format = args[++i];
            else if (a.StartsWith("--format=", StringComparison.Ordinal)) format = a["--format=".Length..];
            else if (a.StartsWith('-')) return Usage(stderr, $"unknown option {a}");
            else paths.Add(Path.GetFullPath(a));
        }
        if (format != "markdown") return Usage(stderr, $"unknown format {format} for --annotated: markdown");
        if (paths.Count == 0) return Usage(stderr, "name at least one note or folder of notes");
        var missing = paths.Where(p => !WorkspaceFiles.Exists(p)).ToList();
        foreach (var m in missing) stderr.WriteLine($"{ProblemFormat.Display(m)}: error: no such file or folder");
        if (missing.Count > 0) return 2;
        var roots = paths.Select(WorkspaceFiles.RootOf).Distinct(StringComparer.Ordinal).ToList();
        if (roots.Count > 1) return Usage(stderr, $"the paths belong to {roots.Count} workspaces ({string.Join(", ", roots.Select(ProblemFormat.Display))}): export one at a time");

        var files = WorkspaceFiles.Find(roots[0], []);
        var notes = paths
            .SelectMany(p => WorkspaceFiles.IsFolder(p) ? files.Notes.Where(n => n.StartsWith(p.TrimEnd('/') + "/", StringComparison.Ordinal)) : [p])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        // Every note of the workspace is read: a paper's annotations are all the workspace says of it.
        var snapshot = WorkspaceLoader.Load(files, WorkspaceRoots.PathContext([files.Root]), notes.Union(files.Notes, StringComparer.Ordinal));
        var styles = new StyleService(NullLogger.Instance);
        var renderer = styles.IsAvailable && styles.Load().Wait(StyleService.LoadWait) ? styles.Load().Result : null;
        var style = styles.ForNotes(renderer, snapshot, notes, [files.Root]);
        stdout.Write(AnnotatedBibliography.Markdown(snapshot, notes, ProblemFormat.Display, style: style));
        stdout.Flush();
        stderr.WriteLine($"{AnnotatedBibliography.Papers(snapshot, notes).Length} papers from {notes.Count} notes");
        return 0;
    }

    private static int Usage(TextWriter stderr, string why)
    {
        stderr.WriteLine($"bibserver export: {why}");
        stderr.WriteLine("usage: bibserver export --annotated [--format markdown] PATH...");
        return 2;
    }
}
