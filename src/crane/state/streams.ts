import { defineStream, type StreamSchema } from '../../events/schema.js';

/**
 * `crane_state`: what each crane's PLC reports, decoded with the site's register map
 * (crane/state/signal-decoder.ts) and sampled by crane/state/crane-tracker.ts — at most once per
 * sample period (1 s of capture time by default) per crane while values change, and once a minute
 * while they stay the same. Units are in the field names; an unset field is a signal the map lacks
 * or the wire never showed. Field names follow Zeek style (`ts`, `uid`, `*_h` addresses).
 */
export const CRANE_STATE_STREAM: StreamSchema = defineStream({
  name: 'crane_state',
  doc: "Each crane's decoded process values (positions, load, twistlocks, wind, mode), sampled from its PLC's Modbus replies.",
  key: ['crane', 'ts'],
  fields: [
    { name: 'ts', type: 'time', doc: 'capture time of the Modbus transaction whose values this sample shows, seconds since the epoch' },
    { name: 'crane', type: 'string', doc: 'crane id (site file cranes[].id)' },
    { name: 'plc_h', type: 'addr', doc: "address of the crane's PLC (Modbus server)" },
    { name: 'unit', type: 'count', doc: 'Modbus unit identifier of the PLC (MBAP unit id)' },
    { name: 'uid', type: 'string', doc: 'flow uid of the modbus_detailed row that last updated the values (evidence)' },
    { name: 'hoist_position_mm', type: 'double', doc: 'spreader height above quay level, mm (negative inside a hold)' },
    { name: 'trolley_position_mm', type: 'double', doc: 'trolley position from the landside end stop, mm (seaward positive)' },
    { name: 'gantry_position_mm', type: 'double', doc: 'crane position along the quay rail, mm' },
    { name: 'hoist_speed_mm_s', type: 'double', doc: 'hoist speed, mm/s, positive up' },
    { name: 'trolley_speed_mm_s', type: 'double', doc: 'trolley speed, mm/s, positive seaward' },
    { name: 'load_kg', type: 'double', doc: 'load-cell weight under the headblock, kg (spreader included)' },
    { name: 'twistlock_locked', type: 'bool', doc: 'T when the twistlocks report locked' },
    { name: 'spreader_landed', type: 'bool', doc: 'T when the spreader reports landed on a box or the ground' },
    { name: 'spreader_size_ft', type: 'count', doc: 'spreader telescope setting, ft (20, 40, 45)' },
    { name: 'wind_speed_ms', type: 'double', doc: 'boom-top anemometer, m/s' },
    { name: 'operating_mode', type: 'count', doc: 'raw operating mode code (0 off, 1 manual, 2 semi-automatic, 3 remote, 4 maintenance)' },
    { name: 'operating_mode_name', type: 'string', doc: 'name of the mode code (off, manual, semi_automatic, remote, maintenance, unknown-N)' },
    { name: 'emergency_stop', type: 'bool', doc: 'T when an emergency stop is active' },
    { name: 'move_counter', type: 'count', doc: "the PLC's count of completed container moves" },
    { name: 'wind_stop_threshold_ms', type: 'double', doc: 'wind-stop setpoint the PLC holds, m/s' },
    { name: 'spreader_kg', type: 'double', doc: "load-cell reading of the empty spreader (its tare), kg, learned from the empty leg before the last lock; unset before" },
    { name: 'other_signals', type: 'vector[string]', doc: 'mapped signals without a crane role, as name=value (engineering units of the map)' },
  ],
});

/**
 * `container_move`: one record per container move reconstructed from a crane's PLC values by
 * crane/state/crane-tracker.ts: twistlocks lock with the spreader landed, the box is lifted (spreader
 * hanging with the twistlocks locked), the twistlocks unlock (DESIGN.md "container move"); joined with the
 * TOS link's HTTP bodies (`http_body`: OCR read, job-done record, COARRI report; crane/state/move-join.ts),
 * so a record is written when its job-done record and ports are in, or when their wait ends (60 s without a
 * job-done record, 2400 s without ports) or at the end of input.
 */
export const CONTAINER_MOVE_STREAM: StreamSchema = defineStream({
  name: 'container_move',
  doc: 'Container moves reconstructed from the cranes\u2019 twistlock, load and position signals.',
  key: ['move_id'],
  fields: [
    { name: 'ts', type: 'time', doc: 'twistlock lock time, seconds since the epoch (same as lock_ts)' },
    { name: 'move_id', type: 'string', doc: "deterministic id ('M' + base62 of SHA-1 over crane and lock time)" },
    { name: 'crane', type: 'string', doc: 'crane id' },
    { name: 'plc_h', type: 'addr', doc: "address of the crane's PLC" },
    { name: 'uid', type: 'string', doc: 'flow uid of the modbus_detailed row that showed the unlock (evidence)' },
    { name: 'lock_ts', type: 'time', doc: 'first poll showing the twistlocks locked (within one poll interval of the lock)' },
    { name: 'unlock_ts', type: 'time', doc: 'first poll showing them unlocked again' },
    { name: 'duration', type: 'interval', doc: 'unlock_ts − lock_ts, seconds' },
    { name: 'kind', type: 'enum', doc: 'discharge (trolley moved landside between lock and unlock), load (seaward), restow (the job-done record says so) or unknown' },
    { name: 'gross_kg', type: 'double', doc: "container gross mass: mean hanging load minus the spreader's tare, kg; unset without a load signal" },
    { name: 'load_kg', type: 'double', doc: 'mean load-cell reading while the box hung, kg (spreader included)' },
    { name: 'spreader_kg', type: 'double', doc: 'spreader tare subtracted, kg: learned from the empty leg before the lock, else the configured spreader mass (15 000 kg by default)' },
    { name: 'hoist_lock_mm', type: 'double', doc: 'hoist position at lock, mm' },
    { name: 'trolley_lock_mm', type: 'double', doc: 'trolley position at lock, mm' },
    { name: 'gantry_lock_mm', type: 'double', doc: 'gantry position at lock, mm' },
    { name: 'hoist_unlock_mm', type: 'double', doc: 'hoist position at unlock, mm' },
    { name: 'trolley_unlock_mm', type: 'double', doc: 'trolley position at unlock, mm' },
    { name: 'gantry_unlock_mm', type: 'double', doc: 'gantry position at unlock, mm' },
    { name: 'spreader_size_ft', type: 'count', doc: 'spreader setting during the move, ft' },
    { name: 'move_counter', type: 'count', doc: "the PLC's move counter at unlock" },
    { name: 'container', type: 'string', doc: "ISO 6346 container number: the CMS's job-done record of the same crane and lock time (within 5 s), else the crane OCR's read between lock and unlock (HTTP bodies to the TOS)" },
    { name: 'iso_type', type: 'string', doc: 'ISO 6346 size and type code (e.g. 45G1) from the same job-done record or OCR read' },
    { name: 'from', type: 'string', doc: "where the box was picked up, from the job-done record: vessel BBBRRTT (ISO 9711-1 bay-row-tier), 'truck lane N', or 'yard …'" },
    { name: 'to', type: 'string', doc: 'where the box was set down, same form as from' },
    { name: 'yard', type: 'string', doc: "yard block-bay-row-tier the box goes to (discharge) or came from (load), from the job-done record, e.g. 'C17-04-2'" },
    { name: 'tos_move_id', type: 'string', doc: "the job-done record's move id as the CMS posted it" },
    { name: 'port_of_loading', type: 'string', doc: 'UN/LOCODE of the port of loading: LOC+9 of the container in an EDIFACT COARRI report seen on the wire (AS2 over HTTP); unset before one reports it' },
    { name: 'port_of_discharge', type: 'string', doc: 'UN/LOCODE of the port of discharge: LOC+11 of the same COARRI report' },
    { name: 'vessel', type: 'string', doc: "name of the vessel the box was loaded on or discharged from: the TOS work order's vessel, else TDT C222 8212 of the COARRI report or BAPLIE plan that listed the box" },
  ],
});
