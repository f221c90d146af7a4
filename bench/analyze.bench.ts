/**
 * `npm run bench`: throughput and peak memory of `cranewatch analyze` against `tshark -T fields`
 * extracting the same Modbus fields from the same capture, in the same run (ratios, not absolute
 * times, are what count on a shared machine). Writes bench/RESULTS.md.
 *
 * Env: BENCH_BYTES (capture size, default 1.1e9), BENCH_CRANES (default 100), BENCH_SKIP_TSHARK=1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePollingCapture } from './gen-polling.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const work = join(here, 'work');
const targetBytes = Number(process.env.BENCH_BYTES ?? 1.1e9);
const cranes = Number(process.env.BENCH_CRANES ?? 100);
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
/** The V8 flags of the `cranewatch` entry point's shebang line (src/cli/main.ts): a larger young generation. */
const nodeFlags = ['--max-semi-space-size=32'];

interface Run {
  label: string;
  seconds: number;
  peakRssMB: number;
  exit: number;
}

/** Run a command under /usr/bin/time, stdout discarded; wall seconds and peak RSS (MB) from GNU time. */
function timed(label: string, cmd: string, args: string[]): Run {
  const timeFile = join(work, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %M', cmd, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [sec, kb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return { label, seconds: sec, peakRssMB: kb / 1024, exit: r.status ?? -1 };
}

mkdirSync(work, { recursive: true });
if (!existsSync('/usr/bin/time')) throw new Error('bench needs GNU time (apt-get install time)');
spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

const pcap = join(work, `polling-${cranes}.pcap`);
let packets: number;
const metaFile = pcap + '.json';
if (existsSync(pcap) && existsSync(metaFile) && statSync(pcap).size >= targetBytes) {
  packets = JSON.parse(readFileSync(metaFile, 'utf8')).packets;
} else {
  const t0 = process.hrtime.bigint();
  const g = writePollingCapture(pcap, targetBytes, cranes);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  writeFileSync(metaFile, JSON.stringify(g));
  packets = g.packets;
  console.log(`generated ${pcap}: ${g.packets} packets, ${(g.bytes / 1e6).toFixed(0)} MB, ${g.durationSec} s of traffic, in ${s.toFixed(1)} s (${(g.bytes / 1e6 / s).toFixed(0)} MB/s)`);
}
const size = statSync(pcap).size;

const runs: Run[] = [];
const outDir = join(work, 'out');
rmSync(outDir, { recursive: true, force: true });
runs.push(timed('cranewatch analyze (summary only)', process.execPath, [...nodeFlags, cli, 'analyze', '--no-progress', '--json', pcap]));
runs.push(timed('cranewatch analyze --out (all logs as JSON lines)', process.execPath, [...nodeFlags, cli, 'analyze', '--no-progress', '--json', '--out', outDir, pcap]));
rmSync(outDir, { recursive: true, force: true });
if (process.env.BENCH_SKIP_TSHARK !== '1') {
  const fields = ['frame.number', 'mbtcp.trans_id', 'mbtcp.unit_id', 'modbus.func_code', 'modbus.exception_code', 'modbus.reference_num', 'modbus.word_cnt'];
  runs.push(timed('tshark -T fields (same Modbus fields)', 'tshark', ['-r', pcap, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]));
}

const tshark = runs.find((r) => r.label.startsWith('tshark'));
const lines = [
  '| run | exit | seconds | packets/s | MB/s | peak RSS MB | × tshark |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...runs.map((r) => {
    const ratio = tshark ? (tshark.seconds / r.seconds).toFixed(1) : '-';
    return `| ${r.label} | ${r.exit} | ${r.seconds.toFixed(1)} | ${Math.round(packets / r.seconds).toLocaleString('en-US')} | ${(size / 1e6 / r.seconds).toFixed(1)} | ${r.peakRssMB.toFixed(0)} | ${ratio} |`;
  }),
];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'tshark absent'}`;
const report = [
  '# Benchmark results',
  '',
  'Produced by `npm run bench` (bench/analyze.bench.ts); the last run replaces this file.',
  '',
  `- Date: ${new Date().toISOString().slice(0, 10)}`,
  `- Machine: ${machine}`,
  `- Capture: ${packets.toLocaleString('en-US')} packets, ${(size / 1e6).toFixed(0)} MB: a crane management server polling ${cranes} crane PLCs over Modbus/TCP (function 3) every 250 ms (bench/gen-polling.ts).`,
  '- Targets: at least 20× tshark\'s throughput; peak RSS under 300 MB whatever the capture size.',
  '',
  ...lines,
  '',
].join('\n');
console.log('\n' + lines.join('\n'));
writeFileSync(join(here, 'RESULTS.md'), report);
