using System.ComponentModel.DataAnnotations;
using System.IO.Compression;

namespace OrleansSignals.Exports.Parquet;

/// <summary>Options of a <see cref="ParquetFileWriter"/>; defaults in <see cref="ParquetWriterDefaults"/>.</summary>
public sealed class ParquetWriterOptions
{
    /// <summary>Page codec. Default GZIP.</summary>
    [EnumDataType(typeof(ParquetCompression))]
    public ParquetCompression Compression { get; set; } = ParquetWriterDefaults.Compression;

    /// <summary>Codec effort. Default <see cref="CompressionLevel.Fastest"/>: the export is CPU bound.</summary>
    [EnumDataType(typeof(CompressionLevel))]
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>Rows per row group. Default 131,072.</summary>
    [Range(ParquetWriterDefaults.MinRowGroupRows, ParquetWriterDefaults.MaxRowGroupRows)]
    public int RowGroupRows { get; set; } = ParquetWriterDefaults.RowGroupRows;

    /// <summary>
    /// A row group is written once its buffered (compressed) pages reach this many bytes, even
    /// before <see cref="RowGroupRows"/>: this bounds the writer's memory. Default 128 MiB.
    /// </summary>
    [Range(ParquetWriterDefaults.MinRowGroupBytes, ParquetWriterDefaults.MaxRowGroupBytes)]
    public int RowGroupBytes { get; set; } = ParquetWriterDefaults.RowGroupBytes;

    /// <summary>Target uncompressed size of a data page. Default 1 MiB.</summary>
    [Range(ParquetWriterDefaults.MinPageSize, ParquetWriterDefaults.MaxPageSize)]
    public int PageSize { get; set; } = ParquetWriterDefaults.PageSize;

    /// <summary>Write min/max statistics for INT64, DOUBLE and TIMESTAMP columns (null counts are always written).</summary>
    public bool WriteStatistics { get; set; } = true;

    /// <summary>The file's created_by string.</summary>
    [Required]
    public string CreatedBy { get; set; } = ParquetWriterDefaults.CreatedBy;

    internal void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
}
