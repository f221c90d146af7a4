/**
 * Units one pending `modbus_detailed` row costs besides its values: about the row's own size in
 * 8-byte value slots (a row object of some twenty fields).
 */
export const PENDING_ROW_UNITS = 32;

/**
 * Run-wide account of the request/response state Modbus flows hold while waiting for partners
 * (limits.maxPendingModbusValues). One instance is shared by every Modbus analyzer of a run
 * (`createModbusSpec`); each flow's `Transactions` adds a row's cost when the row starts waiting
 * and subtracts the same cost when it leaves (matched, displaced or flushed at the flow's end).
 * Cost of a row, in units: PENDING_ROW_UNITS plus the number of values in its request and
 * response vectors (one unit ≈ 8 bytes). `held` never goes negative and returns to 0 once every
 * flow has ended.
 */
export class PendingBudget {
  /** Units held now by the pending rows of all flows sharing this budget. */
  held = 0;
}
