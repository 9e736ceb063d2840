using System.Text.Json;
using System.Text.Json.Serialization;

namespace BibServer.Protocol;

/// <summary>
/// How LSP messages look as JSON: camelCase members, nulls left out when writing, enums as the numbers the
/// specification gives them. Reading is strict about what the records say is required or non-null, so a
/// malformed message fails at the edge (as InvalidParams) instead of deep inside a handler.
/// </summary>
internal static class LspJson
{
    /// <summary>A fresh, still mutable instance: StreamJsonRpc's formatter adds converters to the one it gets.</summary>
    public static JsonSerializerOptions CreateOptions() => new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        NumberHandling = JsonNumberHandling.Strict,
        // The protocol's types from metadata generated at build time; anything else (StreamJsonRpc's own
        // messages, a handler's private record) by reflection.
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(
            LspJsonContext.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
    };

    /// <summary>The options the server's own (de)serialization uses; read-only once first used.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonElement ToElement<T>(T value) => JsonSerializer.SerializeToElement(value, Options);
}
