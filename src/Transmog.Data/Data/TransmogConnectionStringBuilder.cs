using System.Collections;
using System.Collections.ObjectModel;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Transmog.Data;

/// <summary>
/// Builds and checks connection strings of <see cref="TransmogConnection"/>: <c>Data Source</c> names the JSON input,
/// <c>Name</c> the main table, <c>Preset</c> the options to start from, and every other keyword is a
/// <see cref="TransmogOptions"/> setting (keywords, synonyms and value spellings are in the README's option table).
/// </summary>
/// <remarks>
/// As <c>SqliteConnectionStringBuilder</c> does: keywords and synonyms are case-insensitive, a value is parsed and
/// checked when it is set (an <see cref="ArgumentException"/> names the keyword and the value), the typed properties
/// and the indexer read the value the options will have (the preset's, or the default, when a keyword is not set),
/// <see cref="ContainsKey"/> tells whether a keyword is known and <see cref="ShouldSerialize"/> whether it is set.
/// </remarks>
/// <example><c>Data Source=orders.jsonl;Name=orders;Id Generation=hash;Batch Size=5000</c></example>
public sealed class TransmogConnectionStringBuilder : DbConnectionStringBuilder
{
    private const string DataSourceKeyword = "Data Source";
    private const string NameKeyword = "Name";
    private const string PresetKeyword = "Preset";
    private const int FirstOption = 3;
    private const string DefaultName = "data";

    private static readonly string[] ValidKeywords = BuildKeywords();
    private static readonly Dictionary<string, int> KeywordIndex = BuildIndex();
    private static readonly Dictionary<string, int> PropertyIndex = BuildPropertyIndex();

    private readonly object?[] _values = new object?[OptionTable.Entries.Count];
    private readonly bool[] _set = new bool[OptionTable.Entries.Count];
    private string _dataSource = string.Empty;
    private string _name = DefaultName;
    private string? _preset;

    /// <summary>Creates an empty builder.</summary>
    public TransmogConnectionStringBuilder()
    {
    }

    /// <summary>Creates a builder from a connection string.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <exception cref="ArgumentException">A keyword is unknown or a value is invalid.</exception>
    public TransmogConnectionStringBuilder(string? connectionString)
    {
        ConnectionString = connectionString ?? string.Empty;
    }

    /// <summary>The JSON, JSON Lines or gzip file (keyword <c>Data Source</c>; synonyms DataSource, File, Path).</summary>
    public string DataSource
    {
        get => _dataSource;
        set => base[DataSourceKeyword] = _dataSource = value ?? string.Empty;
    }

    /// <summary>The entity name: the main table's name (keyword <c>Name</c>; synonym Entity). Default <c>data</c>.</summary>
    public string Name
    {
        get => _name;
        set => base[NameKeyword] = _name = value ?? DefaultName;
    }

    /// <summary>
    /// A preset the other keywords start from (see <see cref="TransmogOptions.FromPreset"/>): memory, performance,
    /// parquet, csv, simple, tolerant; <c>null</c> or empty for none.
    /// </summary>
    /// <exception cref="ArgumentException">No preset has that name.</exception>
    public string? Preset
    {
        get => _preset;
        set
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Remove(PresetKeyword);
                return;
            }

            try
            {
                _ = TransmogOptions.FromPreset(value);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Connection string keyword '{PresetKeyword}' cannot be '{value}': {ex.Message}", ex);
            }

            base[PresetKeyword] = _preset = value;
        }
    }

    /// <summary>Keyword <c>Array Mode</c>: see <see cref="TransmogOptions.ArrayMode"/>.</summary>
    public ArrayMode ArrayMode
    {
        get => (ArrayMode)Effective(nameof(ArrayMode))!;
        set => SetOption(nameof(ArrayMode), value);
    }

    /// <summary>Keyword <c>Id Generation</c>: see <see cref="TransmogOptions.IdGeneration"/>.</summary>
    public Data.IdGeneration IdGeneration
    {
        get => (Data.IdGeneration)Effective(nameof(IdGeneration))!;
        set => SetOption(nameof(IdGeneration), value);
    }

    /// <summary>Keyword <c>Id Field</c>: see <see cref="TransmogOptions.IdField"/>.</summary>
    public string IdField
    {
        get => (string)Effective(nameof(IdField))!;
        set => SetOption(nameof(IdField), value);
    }

    /// <summary>Keyword <c>Parent Field</c>: see <see cref="TransmogOptions.ParentField"/>.</summary>
    public string ParentField
    {
        get => (string)Effective(nameof(ParentField))!;
        set => SetOption(nameof(ParentField), value);
    }

    /// <summary>Keyword <c>Time Field</c>: see <see cref="TransmogOptions.TimeField"/>.</summary>
    public string? TimeField
    {
        get => (string?)Effective(nameof(TimeField));
        set => SetOption(nameof(TimeField), value);
    }

    /// <summary>Keyword <c>Include Nulls</c>: see <see cref="TransmogOptions.IncludeNulls"/>.</summary>
    public bool IncludeNulls
    {
        get => (bool)Effective(nameof(IncludeNulls))!;
        set => SetOption(nameof(IncludeNulls), value);
    }

    /// <summary>Keyword <c>Stringify</c>: see <see cref="TransmogOptions.StringifyValues"/>.</summary>
    public bool StringifyValues
    {
        get => (bool)Effective(nameof(StringifyValues))!;
        set => SetOption(nameof(StringifyValues), value);
    }

    /// <summary>Keyword <c>Dates</c>: see <see cref="TransmogOptions.InferDates"/>.</summary>
    public bool InferDates
    {
        get => (bool)Effective(nameof(InferDates))!;
        set => SetOption(nameof(InferDates), value);
    }

    /// <summary>Keyword <c>Max Depth</c>: see <see cref="TransmogOptions.MaxDepth"/>.</summary>
    public int MaxDepth
    {
        get => (int)Effective(nameof(MaxDepth))!;
        set => SetOption(nameof(MaxDepth), value);
    }

    /// <summary>Keyword <c>Separator</c>: see <see cref="TransmogOptions.Separator"/>.</summary>
    public string Separator
    {
        get => (string)Effective(nameof(Separator))!;
        set => SetOption(nameof(Separator), value);
    }

    /// <summary>Keyword <c>Batch Size</c>: see <see cref="TransmogOptions.BatchSize"/>.</summary>
    public int BatchSize
    {
        get => (int)Effective(nameof(BatchSize))!;
        set => SetOption(nameof(BatchSize), value);
    }

    /// <summary>Keyword <c>Cache Size</c>: see <see cref="TransmogOptions.CacheSize"/>.</summary>
    public int CacheSize
    {
        get => (int)Effective(nameof(CacheSize))!;
        set => SetOption(nameof(CacheSize), value);
    }

    /// <summary>Keyword <c>Recovery Mode</c>: see <see cref="TransmogOptions.RecoveryMode"/>.</summary>
    public RecoveryMode RecoveryMode
    {
        get => (RecoveryMode)Effective(nameof(RecoveryMode))!;
        set => SetOption(nameof(RecoveryMode), value);
    }

    /// <summary>Keyword <c>Last Write Wins</c>: see <see cref="TransmogOptions.LastWriteWins"/>.</summary>
    public bool LastWriteWins
    {
        get => (bool)Effective(nameof(LastWriteWins))!;
        set => SetOption(nameof(LastWriteWins), value);
    }

    /// <summary>Keyword <c>Array Index</c>: see <see cref="TransmogOptions.IncludeArrayIndex"/>.</summary>
    public bool IncludeArrayIndex
    {
        get => (bool)Effective(nameof(IncludeArrayIndex))!;
        set => SetOption(nameof(IncludeArrayIndex), value);
    }

    /// <summary>Keyword <c>Root Id</c>: see <see cref="TransmogOptions.IncludeRootId"/>.</summary>
    public bool IncludeRootId
    {
        get => (bool)Effective(nameof(IncludeRootId))!;
        set => SetOption(nameof(IncludeRootId), value);
    }

    /// <summary>Keyword <c>Real Numbers</c>: see <see cref="TransmogOptions.RealNumbers"/>.</summary>
    public TransmogColumnType RealNumbers
    {
        get => (TransmogColumnType)Effective(nameof(RealNumbers))!;
        set => SetOption(nameof(RealNumbers), value);
    }

    /// <summary>Keyword <c>Schema Inference</c>: see <see cref="TransmogOptions.SchemaInference"/>.</summary>
    public SchemaInference SchemaInference
    {
        get => (SchemaInference)Effective(nameof(SchemaInference))!;
        set => SetOption(nameof(SchemaInference), value);
    }

    /// <summary>Keyword <c>Inference Window</c>: see <see cref="TransmogOptions.InferenceWindow"/>.</summary>
    public int InferenceWindow
    {
        get => (int)Effective(nameof(InferenceWindow))!;
        set => SetOption(nameof(InferenceWindow), value);
    }

    /// <summary>Keyword <c>Schema Drift</c>: see <see cref="TransmogOptions.SchemaDrift"/>.</summary>
    public RecoveryMode SchemaDrift
    {
        get => (RecoveryMode)Effective(nameof(SchemaDrift))!;
        set => SetOption(nameof(SchemaDrift), value);
    }

    /// <summary>Keyword <c>Max Columns</c>: see <see cref="TransmogOptions.MaxColumns"/>.</summary>
    public int MaxColumns
    {
        get => (int)Effective(nameof(MaxColumns))!;
        set => SetOption(nameof(MaxColumns), value);
    }

    /// <summary>Keyword <c>Max Tables</c>: see <see cref="TransmogOptions.MaxTables"/>.</summary>
    public int MaxTables
    {
        get => (int)Effective(nameof(MaxTables))!;
        set => SetOption(nameof(MaxTables), value);
    }

    /// <summary>Keyword <c>Max Input Bytes</c>: see <see cref="TransmogOptions.MaxInputBytes"/>.</summary>
    public long? MaxInputBytes
    {
        get => (long?)Effective(nameof(MaxInputBytes));
        set => SetOption(nameof(MaxInputBytes), value);
    }

    /// <summary>Keyword <c>Allow Comments</c>: see <see cref="TransmogOptions.AllowComments"/>.</summary>
    public bool AllowComments
    {
        get => (bool)Effective(nameof(AllowComments))!;
        set => SetOption(nameof(AllowComments), value);
    }

    /// <summary>Keyword <c>Allow Trailing Commas</c>: see <see cref="TransmogOptions.AllowTrailingCommas"/>.</summary>
    public bool AllowTrailingCommas
    {
        get => (bool)Effective(nameof(AllowTrailingCommas))!;
        set => SetOption(nameof(AllowTrailingCommas), value);
    }

    /// <summary>Keyword <c>Records Path</c>: see <see cref="TransmogOptions.RecordsPath"/>.</summary>
    public string? RecordsPath
    {
        get => (string?)Effective(nameof(RecordsPath));
        set => SetOption(nameof(RecordsPath), value);
    }

    /// <summary>Keyword <c>Key Field</c>: see <see cref="TransmogOptions.KeyField"/>.</summary>
    public string KeyField
    {
        get => (string)Effective(nameof(KeyField))!;
        set => SetOption(nameof(KeyField), value);
    }

    /// <summary>Keyword <c>Source File Field</c>: see <see cref="TransmogOptions.SourceFileField"/>.</summary>
    public string? SourceFileField
    {
        get => (string?)Effective(nameof(SourceFileField));
        set => SetOption(nameof(SourceFileField), value);
    }

    /// <summary>Keyword <c>Max Degree Of Parallelism</c>: see <see cref="TransmogOptions.MaxDegreeOfParallelism"/>.</summary>
    public int? MaxDegreeOfParallelism
    {
        get => (int?)Effective(nameof(MaxDegreeOfParallelism));
        set => SetOption(nameof(MaxDegreeOfParallelism), value);
    }

    /// <summary>Every keyword, canonical spelling: <c>Data Source</c>, <c>Name</c>, <c>Preset</c>, then the options.</summary>
    public override ICollection Keys => new ReadOnlyCollection<string>(ValidKeywords);

    /// <summary>The value of every keyword of <see cref="Keys"/>, as the indexer reads it.</summary>
    public override ICollection Values
    {
        get
        {
            var values = new object[ValidKeywords.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = GetAt(i);
            }

            return new ReadOnlyCollection<object>(values);
        }
    }

    /// <summary>
    /// The value of a keyword or synonym, the one the options will have: typed (an enum, <see cref="Data.IdGeneration"/>,
    /// a number, a bool, text); a <c>null</c> option reads as its text (<c>none</c>; <c>0</c> for
    /// <c>Max Degree Of Parallelism</c>), and <c>Preset</c> unset as empty. Setting parses and checks the value at once
    /// (text, or a value of the option's type; <see cref="DBNull.Value"/> is <c>null</c>); setting <c>null</c> removes
    /// the keyword.
    /// </summary>
    /// <param name="keyword">A keyword or synonym, case-insensitive.</param>
    /// <exception cref="ArgumentException">The keyword is unknown, or the value is invalid for it.</exception>
    [AllowNull]
    public override object this[string keyword]
    {
        get => GetAt(IndexOf(keyword));
        set
        {
            if (value is null)
            {
                Remove(keyword);
                return;
            }

            int index = IndexOf(keyword);
            switch (index)
            {
                case 0:
                    DataSource = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                    return;
                case 1:
                    Name = Convert.ToString(value, CultureInfo.InvariantCulture) ?? DefaultName;
                    return;
                case 2:
                    Preset = value is DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
                    return;
                default:
                    OptionEntry entry = OptionTable.Entries[index - FirstOption];
                    Store(index - FirstOption, entry.Coerce(value is DBNull ? null : value, Subject(keyword, entry.Keyword)));
                    return;
            }
        }
    }

    /// <summary>The flattening options the connection string describes: the preset (or the defaults) with every set keyword applied.</summary>
    /// <exception cref="ArgumentException">The settings do not fit together (see <see cref="TransmogOptions.Validate"/>).</exception>
    public TransmogOptions ToOptions()
    {
        TransmogOptions options = BaseOptions();
        for (int i = 0; i < _set.Length; i++)
        {
            if (_set[i])
            {
                options = OptionTable.Entries[i].Set(options, _values[i]);
            }
        }

        return options.Validate();
    }

    /// <inheritdoc />
    public override void Clear()
    {
        base.Clear();
        _dataSource = string.Empty;
        _name = DefaultName;
        _preset = null;
        Array.Clear(_values);
        Array.Clear(_set);
    }

    /// <summary>Whether <paramref name="keyword"/> is a known keyword or synonym (set or not).</summary>
    /// <param name="keyword">The keyword.</param>
    public override bool ContainsKey(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return KeywordIndex.ContainsKey(keyword.Trim());
    }

    /// <inheritdoc />
    public override bool Remove(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (!KeywordIndex.TryGetValue(keyword.Trim(), out int index) || !base.Remove(ValidKeywords[index]))
        {
            return false;
        }

        switch (index)
        {
            case 0:
                _dataSource = string.Empty;
                break;
            case 1:
                _name = DefaultName;
                break;
            case 2:
                _preset = null;
                break;
            default:
                _values[index - FirstOption] = null;
                _set[index - FirstOption] = false;
                break;
        }

        return true;
    }

    /// <summary>Whether <paramref name="keyword"/> (or its synonym) is set and so written into <see cref="DbConnectionStringBuilder.ConnectionString"/>.</summary>
    /// <param name="keyword">The keyword.</param>
    public override bool ShouldSerialize(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return KeywordIndex.TryGetValue(keyword.Trim(), out int index) && base.ShouldSerialize(ValidKeywords[index]);
    }

    /// <summary>The value of a known keyword or synonym, as the indexer reads it; <c>false</c> for an unknown keyword.</summary>
    /// <param name="keyword">The keyword.</param>
    /// <param name="value">The value.</param>
    public override bool TryGetValue(string keyword, [NotNullWhen(true)] out object? value)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (!KeywordIndex.TryGetValue(keyword.Trim(), out int index))
        {
            value = null;
            return false;
        }

        value = GetAt(index);
        return true;
    }

    private TransmogOptions BaseOptions() => _preset is { } preset ? TransmogOptions.FromPreset(preset) : TransmogOptions.Default;

    private object? Effective(string property)
    {
        int i = PropertyIndex[property];
        return _set[i] ? _values[i] : OptionTable.Entries[i].Get(BaseOptions());
    }

    private void SetOption(string property, object? value)
    {
        int i = PropertyIndex[property];
        OptionEntry entry = OptionTable.Entries[i];
        Store(i, entry.Coerce(value, Subject(entry.Keyword, entry.Keyword)));
    }

    private void Store(int i, object? value)
    {
        base[OptionTable.Entries[i].Keyword] = OptionTable.Entries[i].Format(value);
        _values[i] = value;
        _set[i] = true;
    }

    private object GetAt(int index) => index switch
    {
        0 => _dataSource,
        1 => _name,
        2 => _preset ?? string.Empty,
        _ => Effective(OptionTable.Entries[index - FirstOption].Property) ?? OptionTable.Entries[index - FirstOption].Format(null),
    };

    private static string Subject(string given, string canonical) =>
        string.Equals(given.Trim(), canonical, StringComparison.OrdinalIgnoreCase)
            ? $"Connection string keyword '{canonical}'"
            : $"Connection string keyword '{given.Trim()}' ({canonical})";

    private static int IndexOf(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return KeywordIndex.TryGetValue(keyword.Trim(), out int index)
            ? index
            : throw new ArgumentException($"Unknown connection string keyword '{keyword}'. Known keywords: {string.Join(", ", ValidKeywords)}.", nameof(keyword));
    }

    private static string[] BuildKeywords()
    {
        var keywords = new string[FirstOption + OptionTable.Entries.Count];
        keywords[0] = DataSourceKeyword;
        keywords[1] = NameKeyword;
        keywords[2] = PresetKeyword;
        for (int i = 0; i < OptionTable.Entries.Count; i++)
        {
            keywords[FirstOption + i] = OptionTable.Entries[i].Keyword;
        }

        return keywords;
    }

    private static Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            [DataSourceKeyword] = 0, ["DataSource"] = 0, ["File"] = 0, ["Path"] = 0,
            [NameKeyword] = 1, ["Entity"] = 1,
            [PresetKeyword] = 2,
        };
        for (int i = 0; i < OptionTable.Entries.Count; i++)
        {
            OptionEntry entry = OptionTable.Entries[i];
            index.Add(entry.Keyword, FirstOption + i);
            foreach (string synonym in entry.Synonyms)
            {
                index.Add(synonym, FirstOption + i);
            }
        }

        return index;
    }

    private static Dictionary<string, int> BuildPropertyIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < OptionTable.Entries.Count; i++)
        {
            index.Add(OptionTable.Entries[i].Property, i);
        }

        return index;
    }
}
