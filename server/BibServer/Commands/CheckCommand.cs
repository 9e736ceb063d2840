namespace BibServer.Commands;

internal static class CheckCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("bibserver: 'check' is being built (placeholder until its issue lands).");
        return 2;
    }
}
