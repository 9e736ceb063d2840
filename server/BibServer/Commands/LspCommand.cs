namespace BibServer.Commands;

internal static class LspCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("bibserver: 'lsp' is being built (placeholder until its issue lands).");
        return Task.FromResult(2);
    }
}
