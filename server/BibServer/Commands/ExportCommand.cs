using BibServer.Core.Export;
using BibServer.Core.Libraries;
using BibServer.Loading;

namespace BibServer.Commands;

/// <summary><c>bibserver export [--format csljson|bibtex] FILE...</c>: one merged library on standard output.</summary>
internal static class ExportCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Contains("--annotated")) return AnnotatedExport.Run([.. args.Where(a => a != "--annotated")], stdout, stderr);
        var format = "csljson";
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--format" && i + 1 < args.Length) format = args[++i];
            else if (a.StartsWith("--format=", StringComparison.Ordinal)) format = a["--format=".Length..];
            else if (a.StartsWith('-') && a != "-") return Usage(stderr, $"unknown option {a}");
            else files.Add(a);
        }
        if (format is not ("csljson" or "bibtex")) return Usage(stderr, $"unknown format {format}: csljson or bibtex");
        if (files.Count == 0) return Usage(stderr, "name at least one library file");

        var documents = new List<LibraryDocument>();
        var unreadable = false;
        foreach (var file in files)
        {
            var path = Path.GetFullPath(file);
            if (FileReading.ReadLibrary(path) is { } content) documents.Add(LibraryReader.Read(path, content));
            else
            {
                stderr.WriteLine($"{file}: error: cannot read this file");
                unreadable = true;
            }
        }

        var set = LibrarySet.Build(documents);
        foreach (var doc in documents)
            foreach (var p in set.ProblemsFor(doc.Path))
                stderr.WriteLine(ProblemFormat.Line(doc.Path, doc.Lines, p.Span, p.Severity, p.Message));

        stdout.Write(format == "bibtex" ? BibtexWriter.Write(set.Papers) : CslJsonWriter.Write(set.Papers));
        stdout.Flush();
        return unreadable ? 2 : 0;
    }

    private static int Usage(TextWriter stderr, string why)
    {
        stderr.WriteLine($"bibserver export: {why}");
        stderr.WriteLine("usage: bibserver export [--format csljson|bibtex] FILE...");
        stderr.WriteLine("       bibserver export --annotated [--format markdown] PATH...");
        return 2;
    }
}
