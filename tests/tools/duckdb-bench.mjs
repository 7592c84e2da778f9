// DuckDB's side of bench/OrleansSignals.Bench.Parquet (lives here because the DuckDB install does).
//   node duckdb-bench.mjs copy <uncompressed|snappy|gzip|zstd|brotli> <rows> <file.parquet>
//       COPY the lifecycle-history rows (same formulas as LifecycleRows.cs) to Parquet; prints
//       {"Rows","Seconds","FileBytes","PeakWorkingSetBytes","CpuSeconds"} with the COPY's wall time,
//       max RSS and the process's CPU time.
//   node duckdb-bench.mjs copy-csv <uncompressed|gzip|brotli> <out.parquet> <file.csv>...
//       Loads CSV files (an export of lifecycle-event-history) into an in-memory table, then COPYs the
//       table to Parquet; prints {"Rows","LoadSeconds","Seconds","FileBytes","PeakWorkingSetBytes"}, Seconds
//       being the COPY alone (bench/OrleansSignals.Bench.Exports).
//   node duckdb-bench.mjs fingerprint <file.parquet>
//       Prints aggregates over every column but the random ids, to check two files hold the same data.
import { statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [command, ...args] = process.argv.slice(2);
// User + system CPU time of this process so far (DuckDB's threads included), in seconds.
const cpuSeconds = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1e6; };
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(`SET TimeZone = 'UTC'`);

if (command === 'copy') {
  const [codec, rows, file] = args;
  const sql = `
    COPY (
      SELECT uuid()::VARCHAR AS id,
             TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_microseconds(i * 37003) AS occurred_at,
             'acct_' || (i * 7919 % 50000) AS account_id,
             ['signup', 'login', 'plan_changed', 'seat_added', 'health_changed', 'churn_risk'][i * 31 % 6 + 1] AS type,
             CASE WHEN i % 4 <> 0 THEN ['plan', 'seats', 'owner', 'stage', 'health'][i // 4 % 5 + 1] END AS key,
             CASE WHEN i % 4 <> 0 AND i % 3 <> 0 THEN 'v' || (i % 977) END AS old_value,
             CASE WHEN i % 4 <> 0 THEN 'v' || (i * 13 % 977) END AS new_value,
             CASE WHEN i % 7 <> 0 THEN i * 17 % 101 END AS health_score
        FROM range(${BigInt(rows)}) t(i)
    ) TO ${quote(file)} (FORMAT parquet, COMPRESSION ${quote(codec)}, ROW_GROUP_SIZE 131072)`;
  const started = process.hrtime.bigint();
  await connection.run(sql);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({
    Rows: Number(rows),
    Seconds: seconds,
    FileBytes: statSync(file).size,
    PeakWorkingSetBytes: process.resourceUsage().maxRSS * 1024,
    CpuSeconds: cpuSeconds(),
  }));
} else if (command === 'copy-csv') {
  const [codec, file, ...csvFiles] = args;
  const loadStarted = process.hrtime.bigint();
  await connection.run(`
    CREATE TABLE history AS SELECT * FROM read_csv([${csvFiles.map(quote).join(', ')}], header = true,
      columns = {'id': 'VARCHAR', 'occurred_at': 'TIMESTAMPTZ', 'account_id': 'VARCHAR', 'type': 'VARCHAR',
                 'key': 'VARCHAR', 'old_value': 'VARCHAR', 'new_value': 'VARCHAR', 'health_score': 'BIGINT'})`);
  const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
  const rows = (await connection.runAndReadAll('SELECT count(*) FROM history')).getRows()[0][0];
  const started = process.hrtime.bigint();
  await connection.run(`COPY history TO ${quote(file)} (FORMAT parquet, COMPRESSION ${quote(codec)}, ROW_GROUP_SIZE 131072)`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({
    Rows: Number(rows),
    LoadSeconds: loadSeconds,
    Seconds: seconds,
    FileBytes: statSync(file).size,
    PeakWorkingSetBytes: process.resourceUsage().maxRSS * 1024,
  }));
} else if (command === 'fingerprint') {
  const reader = await connection.runAndReadAll(`
    SELECT count(*) AS rows, min(length(id)) AS id_min_length, max(length(id)) AS id_max_length,
           sum(epoch_us(occurred_at)) AS occurred_at_sum,
           sum(hash(account_id, type, key, old_value, new_value)) AS text_hash_sum,
           count(key) AS keys, count(old_value) AS old_values, count(new_value) AS new_values,
           count(health_score) AS health_scores, sum(health_score) AS health_score_sum
      FROM read_parquet(${quote(args[0])})`);
  const row = reader.getRowObjects()[0];
  console.log(JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]))));
} else {
  console.error('usage: node duckdb-bench.mjs copy <codec> <rows> <file> | copy-csv <codec> <out> <csv>... | fingerprint <file>');
  process.exit(2);
}
