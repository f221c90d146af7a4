import type Database from 'better-sqlite3';

/**
 * Indexes the console's hot filters need, created when a table exists and the index does not:
 * findings by incident and by (time, id) and incidents by (time, id) — the lists' order, newest first, so a
 * deep page walks the index instead of sorting the table — moves by container / crane and (time, id),
 * each crane's telemetry series (covering: crane, time and the four charted signals), the map's
 * `conn(id_orig_h, id_resp_h, service)` grouping (covering: with proto and byte counts, so the GROUP BY
 * streams through the index without touching the table), and `uid` lookups of the evidence streams. Plain
 * `CREATE INDEX IF NOT EXISTS` (the same statements work in PostgreSQL). Run on the write connection at
 * start and after an upload replaced the results. Throws what better-sqlite3 throws (disk full, locked).
 */
export const CONSOLE_INDEXES: readonly { readonly table: string; readonly name: string; readonly columns: readonly string[] }[] = [
  { table: 'findings', name: 'console_findings_incident', columns: ['incident_id'] },
  { table: 'findings', name: 'console_findings_ts_id', columns: ['ts', 'finding_id'] },
  { table: 'incidents', name: 'console_incidents_ts_id', columns: ['ts', 'incident_id'] },
  { table: 'container_move', name: 'console_move_container', columns: ['container'] },
  { table: 'container_move', name: 'console_move_crane_ts', columns: ['crane', 'ts'] },
  { table: 'container_move', name: 'console_move_ts_id', columns: ['ts', 'move_id'] },
  { table: 'crane_state', name: 'console_crane_state_series', columns: ['crane', 'ts', 'hoist_position_mm', 'trolley_position_mm', 'load_kg', 'wind_speed_ms'] },
  { table: 'conn', name: 'console_conn_map', columns: ['id_orig_h', 'id_resp_h', 'service', 'proto', 'orig_bytes', 'resp_bytes'] },
  { table: 'modbus', name: 'console_modbus_uid', columns: ['uid'] },
  { table: 'modbus_detailed', name: 'console_modbus_detailed_uid', columns: ['uid'] },
  { table: 'container_data', name: 'console_container_data_uid', columns: ['uid'] },
  { table: 'dns', name: 'console_dns_uid', columns: ['uid'] },
  { table: 'http', name: 'console_http_uid', columns: ['uid'] },
];

/** Creates the CONSOLE_INDEXES whose table exists (with all the named columns). */
export function ensureConsoleIndexes(db: Database.Database): void {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  for (const ix of CONSOLE_INDEXES) {
    if (!tables.has(ix.table)) continue;
    const cols = new Set((db.prepare(`PRAGMA table_info("${ix.table}")`).all() as { name: string }[]).map((c) => c.name));
    if (!ix.columns.every((c) => cols.has(c))) continue;
    db.exec(`CREATE INDEX IF NOT EXISTS "${ix.name}" ON "${ix.table}" (${ix.columns.map((c) => `"${c}"`).join(', ')})`);
  }
}
