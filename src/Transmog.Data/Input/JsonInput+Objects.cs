using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Transmog.Data.Input;

namespace Transmog.Data;

public abstract partial class JsonInput
{
    /// <summary>
    /// .NET objects as records, serialized with System.Text.Json one at a time as they are flattened (no list is built,
    /// nothing is held but the record at hand). Each object must serialize to a JSON object.
    /// </summary>
    /// <typeparam name="T">The records' type.</typeparam>
    /// <param name="records">The records. A collection (<see cref="IReadOnlyCollection{T}"/> or <see cref="ICollection{T}"/>) can be read twice (an exact schema scan); any other sequence once.</param>
    /// <param name="typeInfo">How to serialize them, for instance from a source-generated <c>JsonSerializerContext</c>; <c>null</c> for System.Text.Json's defaults (reflection).</param>
#pragma warning disable RS0026 // The two overloads differ by their sequence type (sync or async), never by the optional argument.
    public static JsonInput FromObjects<T>(IEnumerable<T> records, JsonTypeInfo<T>? typeInfo = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        return new ObjectsInput<T>(records, typeInfo);
    }

    /// <summary>.NET objects arriving asynchronously as records, serialized with System.Text.Json one at a time; read once.</summary>
    /// <typeparam name="T">The records' type.</typeparam>
    /// <param name="records">The records; each must serialize to a JSON object.</param>
    /// <param name="typeInfo">How to serialize them; <c>null</c> for System.Text.Json's defaults.</param>
    public static JsonInput FromObjects<T>(IAsyncEnumerable<T> records, JsonTypeInfo<T>? typeInfo = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        return new ObjectsInput<T>(AsyncRecordsInput.Blocking(records), typeInfo, once: true);
    }
#pragma warning restore RS0026

    internal sealed class ObjectsInput<T>(IEnumerable<T> records, JsonTypeInfo<T>? typeInfo, bool once = false) : JsonInput, IJsonLinesSource
    {
        public override string Description => "objects";

        public override bool CanReopen => !once && records is IReadOnlyCollection<T> or ICollection<T>;

        internal override Stream OpenBytes()
        {
            JsonTypeInfo<T> info = typeInfo ?? (JsonTypeInfo<T>)JsonSerializerOptions.Default.GetTypeInfo(typeof(T));
            return new RecordsStream<T>(records.GetEnumerator(), (writer, record) => JsonSerializer.Serialize(writer, record, info));
        }
    }

    /// <summary>An input whose bytes are JSON Lines by construction.</summary>
    internal interface IJsonLinesSource
    {
    }
}
