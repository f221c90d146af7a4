// tshark helpers for the simulator tests (tests skip where tshark is absent).
import { spawnSync } from 'node:child_process';

/** True when a tshark binary answers `-v`. */
export function haveTshark(): boolean {
  const r = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}

/** Checksum validation on for IPv4, TCP and UDP, so a bad checksum becomes an expert error. */
const CHECK = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];

/** Rows of `tshark -r file -Y filter -T fields -e …` (tab-separated), checksum validation on. */
export function tsharkFields(file: string, filter: string, fields: string[]): string[][] {
  const args = ['-r', file, ...CHECK, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

/** Summary lines of frames that are malformed or carry an expert item of warning severity or worse. */
export function tsharkProblems(file: string): string[] {
  const r = spawnSync('tshark', ['-r', file, ...CHECK, '-Y', '_ws.malformed || _ws.expert.severity >= warning'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim().length > 0);
}
