using BibServer.Core.Features;
using BibServer.Core.Text;
using BibServer.Core.Workspace;
using BibServer.Loading;
using BibServer.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace BibServer.Commands;

/// <summary>
/// <c>bibserver check PATH...</c>: the language server's diagnostics on the command line, for CI. Each
/// path is a note or a folder of notes; its workspace is the nearest folder above it with a
/// bibserver.yaml, else the folder itself. Exits 1 when a citation is broken. With <c>--unused</c>, each paper
/// of the workspace's libraries that no note of the workspace cites is reported as information at its entry
/// (docs/annotations.md); the exit status does not change for them. A citation style that cannot be used (a note's
/// <c>csl:</c>, a Quarto project's, bibserver.yaml's) is a warning at its value, as the editor shows it.
/// </summary>
internal static class CheckCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var unused = args.Contains("--unused");
        args = [.. args.Where(a => a != "--unused")];
        if (args.Length == 0 || args.Any(a => a.StartsWith('-')))
        {
            stderr.WriteLine("usage: bibserver check [--unused] PATH...   (notes, or folders holding notes)");
            return 2;
        }

        var errors = 0;
        var warnings = 0;
        var notesChecked = 0;
        var citations = 0;
        foreach (var group in args.Select(Path.GetFullPath).GroupBy(WorkspaceFiles.RootOf))
        {
            var missing = group.Where(p => !WorkspaceFiles.Exists(p)).ToList();
            foreach (var m in missing)
            {
                stderr.WriteLine($"{ProblemFormat.Display(m)}: error: no such file or folder");
                errors++;
            }
            var files = WorkspaceFiles.Find(group.Key, []);
            var notes = group.Except(missing)
                .SelectMany(p => WorkspaceFiles.IsFolder(p)
                    ? files.Notes.Where(n => n.StartsWith(p.TrimEnd('/') + "/", StringComparison.Ordinal))
                    : [p])
                .Distinct(StringComparer.Ordinal)
                .ToList();
            // Whether a paper is cited is a question about every note of the workspace, not only those checked.
            var snapshot = WorkspaceLoader.Load(files, WorkspaceRoots.PathContext([files.Root]), unused ? notes.Union(files.Notes, StringComparer.Ordinal) : notes);

            // The engine is loaded only when a style is named: citeproc-js's own complaint about a style (well-formed
            // XML it cannot build) is part of what the editor reports.
            var styles = new StyleService(NullLogger.Instance);
            var namesStyle = files.Config.Csl is not null || snapshot.Libraries.QuartoProjects.Any(p => p.NamedStyles.Any())
                || notes.Any(n => snapshot.Note(n)?.FrontMatter?.Csl is not null);
            if (namesStyle && styles.IsAvailable) styles.Load().Wait(StyleService.LoadWait);

            var configPath = Path.Combine(files.Root, WorkspaceConfig.FileName);
            var configProblems = files.Config.Problems;
            if (styles.WorkspaceStyleProblem(files.Root, files.Config) is { } workspaceStyle) configProblems = configProblems.Add(workspaceStyle);
            if (!configProblems.IsEmpty)
            {
                var configLines = new LineIndex(FileReading.ReadFile(configPath) ?? "");
                foreach (var problem in configProblems)
                    Print(stdout, configPath, configLines, problem.Span, problem.Severity, problem.Message, ref errors, ref warnings);
            }
            foreach (var (style, problem) in styles.QuartoProblems(snapshot))
                Print(stdout, style.File, new LineIndex(style.Text), problem.Span, problem.Severity, problem.Message, ref errors, ref warnings);
            foreach (var path in snapshot.Libraries.WorkspaceLibraries)
            {
                if (snapshot.Libraries.Missing.Contains(path))
                {
                    stdout.WriteLine($"{ProblemFormat.Display(path)}: warning: library named in the workspace settings was not found");
                    warnings++;
                    continue;
                }
                var lines = snapshot.Library(path)!.Lines;
                foreach (var d in Diagnostics.ForLibrary(snapshot, path))
                    Print(stdout, path, lines, d.Span, d.Severity, d.Message, ref errors, ref warnings);
            }
            foreach (var path in notes)
            {
                if (snapshot.Note(path) is not { } note) continue;
                notesChecked++;
                citations += note.Citations.Length;
                foreach (var d in Diagnostics.ForNote(snapshot, note))
                    Print(stdout, path, note.Lines, d.Span, d.Severity, d.Message, ref errors, ref warnings);
                if (note.FrontMatter?.Csl is not null && styles.ProblemOf(snapshot, note, [files.Root]) is { } style)
                    Print(stdout, path, note.Lines, style.Span, style.Severity, style.Message, ref errors, ref warnings);
            }
            if (unused)
            {
                var uncited = Core.Annotations.Coverage.Uncited(snapshot);
                foreach (var paper in uncited)
                {
                    if (snapshot.Library(paper.Location.Path) is not { } library) continue;
                    stdout.WriteLine(ProblemFormat.Line(paper.Location.Path, library.Lines, paper.Location.FocusSpan, Severity.Information,
                        $"`{paper.Key}` is not cited by any note: {paper.Title}"));
                }
                stderr.WriteLine($"{ProblemFormat.Display(files.Root)}: {uncited.Length} of {snapshot.Libraries.Workspace.Papers.Length} papers not cited yet");
            }
            stderr.WriteLine($"{ProblemFormat.Display(files.Root)}: {snapshot.Libraries.Workspace.Papers.Length} papers in {snapshot.Libraries.WorkspaceLibraries.Length} libraries ({files.Source switch { LibrarySource.ConfigFile => "from bibserver.yaml", LibrarySource.Settings => "from settings", _ => "found in the folder" }})");
        }
        stderr.WriteLine($"checked {notesChecked} notes, {citations} citations: {errors} errors, {warnings} warnings");
        return errors > 0 ? 1 : 0;
    }

    private static void Print(TextWriter w, string path, LineIndex lines, TextSpan span, Severity severity, string message, ref int errors, ref int warnings)
    {
        w.WriteLine(ProblemFormat.Line(path, lines, span, severity, message));
        if (severity == Severity.Error) errors++;
        else if (severity == Severity.Warning) warnings++;
    }
}
