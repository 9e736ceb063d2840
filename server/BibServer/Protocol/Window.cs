using System.Text.Json;
using System.Text.Json.Serialization;

namespace BibServer.Protocol;

internal enum MessageType
{
    Error = 1,
    Warning = 2,
    Info = 3,
    Log = 4,
}

internal sealed record LogMessageParams(MessageType Type, string Message);

internal sealed record ShowMessageParams(MessageType Type, string Message);

/// <summary>The server always makes string tokens; a client's tokens may be numbers, so they stay JSON.</summary>
internal sealed record WorkDoneProgressCreateParams(string Token);

internal sealed record ProgressParams(JsonElement Token, JsonElement Value);

/// <summary>The values of $/progress for work-done progress; "kind" tells them apart.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(WorkDoneProgressBegin), "begin")]
[JsonDerivedType(typeof(WorkDoneProgressReport), "report")]
[JsonDerivedType(typeof(WorkDoneProgressEnd), "end")]
internal abstract record WorkDoneProgressValue;

internal sealed record WorkDoneProgressBegin(string Title, bool? Cancellable = null, string? Message = null, int? Percentage = null)
    : WorkDoneProgressValue;

internal sealed record WorkDoneProgressReport(bool? Cancellable = null, string? Message = null, int? Percentage = null)
    : WorkDoneProgressValue;

internal sealed record WorkDoneProgressEnd(string? Message = null) : WorkDoneProgressValue;

internal sealed record WorkDoneProgressCancelParams(JsonElement Token);
