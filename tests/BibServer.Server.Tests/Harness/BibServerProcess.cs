using System.Diagnostics;

namespace BibServer.Server.Tests.Harness;

/// <summary>Runs the built server (<see cref="LspTestClient.ServerCommand"/>) as a person or CI would: a process, its output and its exit code.</summary>
public static class BibServerProcess
{
    public sealed record Result(int Code, string Stdout, string Stderr)
    {
        public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Task<Result> RunAsync(string workingDirectory, params string[] arguments) => RunAsync(LspTestClient.ServerCommand[0], [.. LspTestClient.ServerCommand.Skip(1), .. arguments], workingDirectory);

    /// <summary>Any program, with a bounded wait: a hung process fails the test instead of hanging it.</summary>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in time.");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
