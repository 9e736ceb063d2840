namespace BibServer.Commands;

internal static class ExportCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("bibserver: 'export' is being built (placeholder until its issue lands).");
        return 2;
    }
}
