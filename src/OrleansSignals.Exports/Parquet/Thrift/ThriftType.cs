namespace OrleansSignals.Exports.Parquet.Thrift;

/// <summary>Type codes of the Thrift compact protocol (field headers and list headers).</summary>
internal enum ThriftType : byte
{
    /// <summary>A boolean field whose value is true; the value lives in the header.</summary>
    BooleanTrue = 1,

    /// <summary>A boolean field whose value is false; also the element type of a list of booleans.</summary>
    BooleanFalse = 2,
    Byte = 3,
    I16 = 4,
    I32 = 5,
    I64 = 6,
    Double = 7,
    Binary = 8,
    List = 9,
    Set = 10,
    Map = 11,
    Struct = 12,
}
