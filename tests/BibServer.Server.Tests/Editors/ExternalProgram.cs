using System.Diagnostics;
using System.Text;

namespace BibServer.Server.Tests.Editors;

/// <summary>What a program run to its end printed, and how it ended.</summary>
internal sealed record ProgramRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- standard output:\n{Stdout}\n--- standard error:\n{Stderr}";
}

/// <summary>
/// Runs the real programs the editor tests need (nvim, dotnet pack, an installed bibserver) with a time limit,
/// so that a program that hangs fails its test with what it printed instead of stopping the test run.
/// </summary>
internal static class ExternalProgram
{
    public static async Task<ProgramRun> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s and was ended.\n"
                + new ProgramRun(-1, Text(stdout), Text(stderr)));
        }
        // WaitForExitAsync returns once the streams are drained, so the output is whole here.
        return new ProgramRun(process.ExitCode, Text(stdout), Text(stderr));
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>A copy of examples/ in a fresh temporary folder, so that nothing a test does reaches the repository.</summary>
    public static string CopyExamples(string temp)
    {
        var target = Path.Combine(temp, "examples");
        CopyDirectory(Path.Combine(TestData.Root, "examples"), target);
        return target;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder) return builder.ToString();
    }
}

/// <summary>A temporary folder that is deleted with the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("bibserver-editors-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A program that was ended may still hold a file for a moment; the system's temp cleaning gets it later.
        }
    }
}
