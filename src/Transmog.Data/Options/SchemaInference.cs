namespace Transmog.Data;

/// <summary>Where the schema of the tables comes from when no explicit schema is given.</summary>
public enum SchemaInference
{
    /// <summary>
    /// <see cref="FullScan"/> for inputs that can be read twice (files, strings, byte arrays, collections),
    /// <see cref="Window"/> for streams that can be read once.
    /// </summary>
    Auto = 0,

    /// <summary>An exact scan of the whole input before the first row is served: every column and type is known.</summary>
    FullScan = 1,

    /// <summary>
    /// Inference over the first <see cref="TransmogOptions.InferenceWindow"/> records, which are held in memory;
    /// anything later that does not fit the schema follows <see cref="TransmogOptions.SchemaDrift"/>.
    /// </summary>
    Window = 2,
}
