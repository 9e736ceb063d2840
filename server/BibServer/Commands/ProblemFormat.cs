using BibServer.Core.Text;

namespace BibServer.Commands;

/// <summary>The one line format of a problem on the command line, the one compilers use: <c>file:line:col: severity: message</c>.</summary>
internal static class ProblemFormat
{
    public static string Line(string path, LineIndex lines, TextSpan span, Severity severity, string message)
    {
        var pos = lines.GetPosition(span.Start);
        return $"{Display(path)}:{pos.Line + 1}:{pos.Column + 1}: {Name(severity)}: {message}";
    }

    public static string Name(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Information => "info",
        _ => "hint",
    };

    /// <summary>A path relative to the current folder when it is under it, as a person typed it.</summary>
    public static string Display(string path)
    {
        var rel = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }
}
