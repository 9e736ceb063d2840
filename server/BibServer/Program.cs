using BibServer.Commands;

// The command line: one verb per job. Each verb lives in Commands/ and owns its own argument parsing.
return args.Length == 0 ? Usage(Console.Error) : args[0] switch
{
    "export" => ExportCommand.Run(args[1..], Console.Out, Console.Error),
    "check" => CheckCommand.Run(args[1..], Console.Out, Console.Error),
    "lsp" or "--stdio" => await LspCommand.RunAsync(args[1..]),
    "--version" or "version" => Version(Console.Out),
    "-h" or "--help" or "help" => Usage(Console.Out),
    _ => Usage(Console.Error),
};

static int Usage(TextWriter w)
{
    w.WriteLine("""
        bibserver: knows the papers your Markdown notes cite.

        usage:
          bibserver export [--format csljson|bibtex] FILE...   merge libraries into one, on standard output
          bibserver check [--unused] PATH...                   lint notes (files or folders); exit 1 on a broken citation
                                                               (--unused: also each paper no note cites, as info)
          bibserver export --annotated PATH...                 the annotated bibliography of notes, as Markdown
          bibserver lsp [--stdio]                              the language server, over standard input/output
        """);
    return w == Console.Out ? 0 : 2;
}

static int Version(TextWriter w)
{
    w.WriteLine(typeof(ExportCommand).Assembly.GetName().Version?.ToString(3));
    return 0;
}
