using System.Collections.Immutable;
using BibServer.Core.Features;
using BibServer.Core.Text;
using BibServer.Core.Workspace;
using BibServer.Loading;

namespace BibServer.Server;

/// <summary>
/// The problems of the workspace's settings files, which are neither notes nor libraries: each root's
/// bibserver.yaml (what it cannot parse, a citation style it names that cannot be used) and the Quarto files that
/// name a citation style that cannot be used, each at its line. Pushed with the libraries' problems
/// (<see cref="LibraryDiagnostics"/>) or pulled with the workspace's (workspace/diagnostic), so both kinds of
/// client see the same.
/// </summary>
internal static class WorkspaceFileProblems
{
    public sealed record File(string Path, LineIndex Lines, ImmutableArray<FileDiagnostic> Diagnostics);

    public static IReadOnlyList<File> Of(ServerHost host, ServerSnapshot snapshot)
    {
        var files = new List<File>();
        foreach (var root in snapshot.Roots)
        {
            var path = Path.Combine(root, WorkspaceConfig.FileName);
            if (FileReading.ReadFile(path) is not { } text) continue;
            var config = WorkspaceConfig.Parse(text);
            var problems = config.Problems.Select(p => new FileDiagnostic(p, DiagnosticCodes.Settings)).ToImmutableArray();
            if (host.Styles.WorkspaceStyleProblem(root, config) is { } style) problems = problems.Add(new FileDiagnostic(style, "csl-style"));
            if (!problems.IsEmpty) files.Add(new File(path, new LineIndex(text), problems));
        }
        foreach (var file in host.Styles.QuartoProblems(snapshot.Workspace).GroupBy(p => p.Style.File, StringComparer.Ordinal))
            files.Add(new File(file.Key, new LineIndex(file.First().Style.Text),
                [.. file.Select(p => new FileDiagnostic(p.Problem, "csl-style"))]));
        return files;
    }
}
