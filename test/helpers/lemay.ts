import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateLabelled, type LabelledCapture, type LabelledResult } from '../../src/eval/labelled-run.js';

/** The labelled scenario captures of the Lemay & Fernandez Modbus data set present in ../shared/data/lemay-modbus. */
export const LEMAY_SCENARIOS = [
  { name: 'characterization_modbus_6RTU_with_operate', scenario: 'Modbus register scan (reconnaissance)' },
  { name: 'exploit_ms08_netapi_modbus_6RTU_with_operate', scenario: 'MS08-067 exploit and listener on 4444' },
  { name: 'CnC_uploading_exe_modbus_6RTU_with_operate', scenario: 'C2 uploading an executable' },
  { name: 'moving_two_files_modbus_6RTU', scenario: 'moving two files between hosts' },
] as const;

/** UN/LOCODE placeholder for the learned site (the data set comes from a lab, not a port). */
const LAB_UNLOCODE = 'USXXX';

/** Each scenario's result, learned from the label-0 packets of every capture ('all') or of the other captures ('leave-one-out'). */
export async function runLemay(dataDir: string, mode: 'all' | 'leave-one-out'): Promise<Array<LabelledResult & { scenario: string }>> {
  const cases: LabelledCapture[] = LEMAY_SCENARIOS.map((s) => ({ capture: join(dataDir, `${s.name}.pcap`), labels: join(dataDir, `${s.name}_labeled.csv`) }));
  const work = mkdtempSync(join(tmpdir(), 'cw-lemay-'));
  try {
    const out: Array<LabelledResult & { scenario: string }> = [];
    for (let i = 0; i < cases.length; i++) {
      const learnFrom = mode === 'all' ? cases : cases.filter((_, j) => j !== i);
      const [r] = await evaluateLabelled([cases[i]], learnFrom, work, LAB_UNLOCODE);
      out.push({ ...r, scenario: LEMAY_SCENARIOS[i].scenario });
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
