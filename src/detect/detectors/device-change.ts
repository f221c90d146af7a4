import { IDENTITY_FIELDS, IDENTITY_READERS, type DeviceIdentity } from '../../assets/identity.js';
import { fieldNumber, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';

/** Devices whose first identity is remembered; beyond it new devices are not followed. */
const MAX_DEVICES = 10_000;

/** What a changed identity field suggests (ATT&CK for ICS v17). */
const TECHNIQUES: Readonly<Record<keyof DeviceIdentity, readonly IcsTechnique[]>> = {
  firmware: [Technique.SYSTEM_FIRMWARE, Technique.MODULE_FIRMWARE],
  vendor: [Technique.MASQUERADING],
  product: [Technique.MASQUERADING],
  model: [Technique.MASQUERADING],
  serial: [Technique.MASQUERADING],
};

/** The field as a person reads it. */
const FIELD_TEXT: Readonly<Record<keyof DeviceIdentity, string>> = {
  firmware: 'firmware revision',
  vendor: 'vendor',
  product: 'product',
  model: 'model',
  serial: 'serial number',
};

/**
 * A controller whose identity answer changes during the capture (identity streams of
 * assets/identity.ts: Modbus Read Device Identification, CIP identity, S7 component identification):
 * a new firmware revision — an update, planned or not, of the PLC's firmware — or a new vendor,
 * product, model or serial number behind the same address — the device was swapped, or something
 * answers in its name. One finding per device and field, the first value and the new one in the
 * explanation; inside a maintenance window of the device's crane the change is planned work and is
 * not reported. Severity high (critical for a new serial or product outside maintenance: a different
 * device). ATT&CK for ICS: T0857 System Firmware and T0839 Module Firmware for firmware, T0849
 * Masquerading for the others. Bounded: the first identity of MAX_DEVICES devices.
 */
export function deviceChangeDetector(policy: SitePolicy): Detector {
  const first = new Map<string, { identity: DeviceIdentity; ts: number; stream: string }>();
  return {
    name: 'device_change',
    streams: [...IDENTITY_READERS.keys()],
    observe(stream: string, r: LogRecord, out: FindingWriter): void {
      const fact = IDENTITY_READERS.get(stream)?.(r) ?? null;
      if (fact === null) return;
      const ts = fieldNumber(r, 'ts');
      let known = first.get(fact.host);
      if (known === undefined) {
        if (first.size >= MAX_DEVICES) return;
        known = { identity: { vendor: '', product: '', model: '', firmware: '', serial: '' }, ts, stream };
        first.set(fact.host, known);
      }
      const asset = policy.assetByIp(fact.host);
      const crane = asset?.crane ?? policy.craneOfPlc(fact.host)?.id;
      for (const f of IDENTITY_FIELDS) {
        const v = fact.fields[f];
        if (v === undefined || v === '') continue;
        const was = known.identity[f];
        if (was === '') {
          known.identity[f] = v;
          continue;
        }
        if (was === v) continue;
        if (crane !== undefined && policy.inMaintenance(crane, ts)) continue;
        const who = asset !== undefined ? `${fact.host} (${asset.name})` : fact.host;
        const swapped = f === 'serial' || f === 'product';
        out.report({
          key: `${fact.host}:${f}`,
          ts,
          severity: swapped ? 'critical' : 'high',
          title: f === 'firmware' ? `Firmware of ${who} changed` : `${who} now identifies as another device`,
          explanation:
            `${who} answered with ${FIELD_TEXT[f]} ${v} (${stream}); it had answered ${was} at ` +
            `${new Date(known.ts * 1000).toISOString()}${crane !== undefined ? `, outside any maintenance window of ${crane}` : ''}.`,
          techniques: [...TECHNIQUES[f]],
          hosts: [fact.host],
          cranes: crane !== undefined ? [crane] : [],
          evidence: { stream, uid: fieldString(r, 'uid') },
          action:
            f === 'firmware'
              ? `Check with the crane's maintenance records that a firmware update of ${who} was planned; if not, isolate it and compare its firmware and program with the vendor's and the engineering copy.`
              : `Find the device now answering at ${fact.host}: check its MAC, cabinet and label against the inventory before it is trusted again.`,
        });
      }
    },
    finish(): void {},
  };
}
