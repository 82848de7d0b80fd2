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

/// <summary>What happens to a record that arrives after the schema was fixed and does not fit it.</summary>
public enum SchemaDriftPolicy
{
    /// <summary>Stop with a <see cref="TransmogSchemaDriftException"/> naming the record, the column and the type.</summary>
    Error = 0,

    /// <summary>The whole record goes to the rejects sink with the reason; nothing of it is written to the tables.</summary>
    Reject = 1,
}

/// <summary>The CLR type that JSON numbers with a fraction or exponent are read as.</summary>
public enum RealNumberType
{
    /// <summary><see cref="double"/> (the default). Numbers beyond the range of <see cref="double"/> are kept as their exact text.</summary>
    Double = 0,

    /// <summary><see cref="decimal"/>; numbers that do not fit exactly are kept as their exact text.</summary>
    Decimal = 1,
}
