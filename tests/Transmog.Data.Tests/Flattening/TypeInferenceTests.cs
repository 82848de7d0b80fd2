namespace Transmog.Data.Tests.Flattening;

public class TypeInferenceTests
{
    private static TransmogColumnType TypeOf(string json, string column, TransmogOptions? options = null)
    {
        using var result = TestData.Flatten(json, options);
        return result.Main.Schema.Columns[result.Main.Schema.IndexOf(column)].Type;
    }

    [Theory]
    [InlineData("""[{"a":1},{"a":2}]""", TransmogColumnType.Int64)]
    [InlineData("""[{"a":1},{"a":2.5}]""", TransmogColumnType.Double)]
    [InlineData("""[{"a":9223372036854775808}]""", TransmogColumnType.Decimal)]
    [InlineData("""[{"a":123456789012345678901234567890123}]""", TransmogColumnType.String)]
    [InlineData("""[{"a":1e400}]""", TransmogColumnType.String)]
    [InlineData("""[{"a":true},{"a":false}]""", TransmogColumnType.Boolean)]
    [InlineData("""[{"a":true},{"a":1}]""", TransmogColumnType.String)]
    [InlineData("""[{"a":1},{"a":"x"}]""", TransmogColumnType.String)]
    [InlineData("""[{"a":9007199254740993},{"a":0.5}]""", TransmogColumnType.String)]
    [InlineData("""[{"a":[1]}]""", TransmogColumnType.Json)]
    public void Types_widen_without_loss(string json, TransmogColumnType expected)
    {
        Assert.Equal(expected, TypeOf(json, "a"));
    }

    [Fact]
    public void Decimal_option_reads_reals_as_decimal()
    {
        var options = new TransmogOptions { RealNumbers = TransmogColumnType.Decimal };
        Assert.Equal(TransmogColumnType.Decimal, TypeOf("""[{"a":0.1},{"a":2}]""", "a", options));
        using var result = TestData.Flatten("""[{"a":0.1}]""", options);
        Assert.Equal(0.1m, result.Main.Rows()[0]["a"]);
    }

    [Fact]
    public void Values_round_trip_exactly()
    {
        using var result = TestData.Flatten("""[{"i":-9223372036854775808,"d":0.1,"big":79228162514264337593543950335,"huge":1e400,"s":"é\u00e9\ud83d\ude00"}]""");
        var row = result.Main.Rows()[0];
        Assert.Equal(long.MinValue, row["i"]);
        Assert.Equal(0.1, row["d"]);
        Assert.Equal(79228162514264337593543950335m, row["big"]);
        Assert.Equal("1e400", row["huge"]);
        Assert.Equal("éé😀", row["s"]);
    }

    [Fact]
    public void Schema_ids_and_timestamps_are_typed()
    {
        using var result = TestData.Flatten("""{"a":1}""");
        var columns = result.Main.Schema.Columns;
        Assert.Equal(TransmogColumnType.Guid, columns[1].Type);
        Assert.Equal(TransmogColumnType.DateTime, columns[2].Type);
    }
}
