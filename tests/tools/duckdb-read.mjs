// Reads a Parquet file with DuckDB, an independent reader, and prints what the .NET tests check:
//   node duckdb-read.mjs <file.parquet>
// Output (JSON on stdout):
//   file:     parquet_file_metadata (row count, row-group count, created_by)
//   schema:   parquet_schema rows (physical, converted and logical types, repetition)
//   metadata: parquet_metadata rows (one per column chunk: row group, codec, encodings, statistics)
//   columns:  [{ name, type }] of read_parquet
//   rows:     every row of read_parquet as an array in column order. BIGINTs are strings,
//             timestamps ISO-8601 strings with microseconds ("1969-12-31T23:59:59.999999Z"),
//             non-finite doubles "NaN" / "Infinity" / "-Infinity", negative zero "-0".
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
if (!path) {
  console.error('usage: node duckdb-read.mjs <file.parquet>');
  process.exit(2);
}

const literal = `'${path.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const connection = await instance.connect();
// Statistics of TIMESTAMP WITH TIME ZONE columns are rendered in the session time zone.
await connection.run(`SET TimeZone = 'UTC'`);

async function query(sql) {
  return connection.runAndReadAll(sql);
}

function isoFromMicros(micros) {
  const seconds = micros >= 0n ? micros / 1000000n : -((-micros + 999999n) / 1000000n);
  const fraction = micros - seconds * 1000000n;
  const iso = new Date(Number(seconds) * 1000).toISOString(); // ...T..:..:..(.000)Z
  return `${iso.slice(0, iso.lastIndexOf('.'))}.${fraction.toString().padStart(6, '0')}Z`;
}

function toJson(value) {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      if (Object.is(value, -0)) return '-0';
      return Number.isFinite(value) ? value : String(value);
    case 'string':
    case 'boolean':
      return value;
    default:
      if (typeof value.micros === 'bigint') return isoFromMicros(value.micros);
      return String(value);
  }
}

function rowObjects(reader) {
  return reader.getRowObjects().map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJson(v)])));
}

const file = rowObjects(await query(
  `SELECT num_rows, num_row_groups, created_by, format_version FROM parquet_file_metadata(${literal})`))[0];
const schema = rowObjects(await query(
  `SELECT name, type, repetition_type, num_children, converted_type, logical_type, duckdb_type
     FROM parquet_schema(${literal})`));
const metadata = rowObjects(await query(
  `SELECT row_group_id, row_group_num_rows, column_id, path_in_schema, type, num_values, compression,
          encodings, stats_min_value, stats_max_value, stats_null_count, data_page_offset,
          total_compressed_size, total_uncompressed_size
     FROM parquet_metadata(${literal}) ORDER BY row_group_id, column_id`));
const data = await query(`SELECT * FROM read_parquet(${literal})`);
const columns = data.columnNames().map((name, i) => ({ name, type: data.columnTypes()[i].toString() }));
const rows = data.getRows().map((row) => row.map(toJson));

process.stdout.write(JSON.stringify({ file, schema, metadata, columns, rows }));
