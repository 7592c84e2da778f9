using System.Text;
using OrleansSignals.Exports.Parquet.Buffers;

namespace OrleansSignals.Exports.Parquet.Thrift;

/// <summary>
/// Encodes Thrift structs with the compact protocol, as Parquet's page headers and footer need.
/// Write a struct as <see cref="BeginStruct"/>, its fields in ascending id order, then
/// <see cref="EndStruct"/>; nested structs start their field-id deltas from zero again.
/// </summary>
internal sealed class ThriftCompactWriter(ByteBuffer output)
{
    private readonly Stack<short> _outerFieldIds = new();
    private short _lastFieldId;

    public void BeginStruct()
    {
        _outerFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    /// <summary>Writes the stop field and returns to the enclosing struct's field ids.</summary>
    public void EndStruct()
    {
        output.WriteByte(0);
        _lastFieldId = _outerFieldIds.Pop();
    }

    public void WriteI16Field(short id, short value)
    {
        WriteFieldHeader(ThriftType.I16, id);
        WriteVarint(ZigZag(value));
    }

    public void WriteI32Field(short id, int value)
    {
        WriteFieldHeader(ThriftType.I32, id);
        WriteVarint(ZigZag(value));
    }

    public void WriteI64Field(short id, long value)
    {
        WriteFieldHeader(ThriftType.I64, id);
        WriteVarint(ZigZag(value));
    }

    /// <summary>A boolean field: the value is the header's type nibble, there are no value bytes.</summary>
    public void WriteBoolField(short id, bool value) =>
        WriteFieldHeader(value ? ThriftType.BooleanTrue : ThriftType.BooleanFalse, id);

    public void WriteBinaryField(short id, ReadOnlySpan<byte> value)
    {
        WriteFieldHeader(ThriftType.Binary, id);
        WriteBinary(value);
    }

    public void WriteStringField(short id, string value)
    {
        WriteFieldHeader(ThriftType.Binary, id);
        WriteString(value);
    }

    /// <summary>Starts a struct-valued field; close it with <see cref="EndStruct"/>.</summary>
    public void BeginStructField(short id)
    {
        WriteFieldHeader(ThriftType.Struct, id);
        BeginStruct();
    }

    /// <summary>Starts a list-valued field; then write <paramref name="count"/> elements.</summary>
    public void BeginListField(short id, ThriftType elementType, int count)
    {
        WriteFieldHeader(ThriftType.List, id);
        WriteListHeader(elementType, count);
    }

    public void WriteListHeader(ThriftType elementType, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count < 15)
        {
            output.WriteByte((byte)(count << 4 | (byte)elementType));
        }
        else
        {
            output.WriteByte((byte)(0xF0 | (byte)elementType));
            WriteVarint((uint)count);
        }
    }

    /// <summary>An i32 list element (enums are i32 on the wire).</summary>
    public void WriteI32(int value) => WriteVarint(ZigZag(value));

    public void WriteI64(long value) => WriteVarint(ZigZag(value));

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        output.Write(value);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    private void WriteFieldHeader(ThriftType type, short id)
    {
        var delta = id - _lastFieldId;
        if (delta is > 0 and <= 15)
        {
            output.WriteByte((byte)(delta << 4 | (byte)type));
        }
        else
        {
            output.WriteByte((byte)type);
            WriteVarint(ZigZag(id));
        }

        _lastFieldId = id;
    }

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }

    private static uint ZigZag(int value) => (uint)(value << 1 ^ value >> 31);

    private static ulong ZigZag(long value) => (ulong)(value << 1 ^ value >> 63);
}
