/**
 * `npm run bench`: throughput and peak memory of `cranewatch analyze` against `tshark -T fields`
 * extracting the same fields from the same capture, in the same run (ratios, not absolute times, are
 * what count on a shared machine), on two captures: the Modbus/TCP polling capture (gen-polling.ts)
 * and the mixed-protocol capture replayed from the shared data set (gen-mixed.ts; skipped with a note
 * when the data folder is absent). Writes bench/RESULTS.md.
 *
 * Env: BENCH_BYTES (polling capture size, default 1.1e9), BENCH_CRANES (default 100),
 * BENCH_MIXED_BYTES (mixed capture size, default 300e6), BENCH_SKIP_TSHARK=1,
 * BENCH_SKIP_POLLING=1 (keep the polling section of the last RESULTS.md as it is),
 * BENCH_SKIP_MIXED=1, BENCH_MIXED_REPEAT (runs of each command on the mixed capture, default 3),
 * CRANEWATCH_SHARED_DATA (data folder, default ../shared/data).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIXED_SOURCES, writeMixedCapture, type MixedCaptureResult } from './gen-mixed.js';
import { writePollingCapture } from './gen-polling.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const work = join(here, 'work');
const targetBytes = Number(process.env.BENCH_BYTES ?? 1.1e9);
const cranes = Number(process.env.BENCH_CRANES ?? 100);
const mixedBytes = Number(process.env.BENCH_MIXED_BYTES ?? 300e6);
/** Runs of each command on the mixed capture (interleaved; the median counts). */
const mixedRepeat = Math.max(1, Number(process.env.BENCH_MIXED_REPEAT ?? 3));
const skipTshark = process.env.BENCH_SKIP_TSHARK === '1';
const sharedData = process.env.CRANEWATCH_SHARED_DATA ?? resolve(root, '..', 'shared', 'data');
const resultsFile = join(here, 'RESULTS.md');
/** Heading of the mixed-protocol section of RESULTS.md; everything before it is the polling section. */
const MIXED_HEADING = '## Mixed-protocol capture';
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
/** The V8 flags of the `cranewatch` entry point's shebang line (src/cli/main.ts): a larger young generation. */
const nodeFlags = ['--max-semi-space-size=32'];
/** What `--threads auto` (the default) takes for these captures (pipeline/analyze.ts ThreadsOption): both exceed its 32 MiB. */
const AUTO_THREADS = availableParallelism() >= 2 ? 'default --threads auto: 2 threads' : 'default --threads auto: 1 thread on this one-CPU machine';

interface Run {
  label: string;
  /** Wall-clock seconds (the median when the command ran several times). */
  seconds: number;
  /** Wall-clock seconds of every repetition, in run order (one entry for a single run). */
  all: number[];
  /** CPU time of all threads (user + system), seconds: above `seconds` when a run uses more than one core. */
  cpuSeconds: number;
  peakRssMB: number;
  exit: number;
}

/** Run a command under /usr/bin/time, stdout discarded; wall and CPU seconds and peak RSS (MB) from GNU time. */
function timed(label: string, cmd: string, args: string[]): Run {
  const timeFile = join(work, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', cmd, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [sec, user, sys, kb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  return { label, seconds: sec, all: [sec], cpuSeconds: user + sys, peakRssMB: kb / 1024, exit: r.status ?? -1 };
}

/**
 * Each command `times` times, the commands interleaved (a b c a b c …) so that a noisy spell of a
 * shared machine touches them alike; per command the run of median wall time, with every time kept.
 */
function timedInterleaved(times: number, commands: readonly { label: string; cmd: string; args: string[] }[]): Run[] {
  const runs: Run[][] = commands.map(() => []);
  for (let k = 0; k < times; k++) commands.forEach((c, i) => runs[i].push(timed(c.label, c.cmd, c.args)));
  return runs.map((rs) => {
    const sorted = [...rs].sort((a, b) => a.seconds - b.seconds);
    const median = sorted[(sorted.length - 1) >> 1];
    return { ...median, exit: Math.max(...rs.map((r) => r.exit)), all: rs.map((r) => r.seconds) };
  });
}

/**
 * Results table rows: throughput of each run (wall clock; a repeated command's median, its times in
 * brackets) and its ratio to the tshark run; CPU time and peak RSS of the (median) run beside it.
 */
function table(runs: readonly Run[], packets: number, size: number): string[] {
  const tshark = runs.find((r) => r.label.startsWith('tshark'));
  return [
    '| run | exit | seconds | CPU seconds | packets/s | MB/s | peak RSS MB | × tshark |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map((r) => {
      const ratio = tshark ? (tshark.seconds / r.seconds).toFixed(1) : '-';
      const seconds = r.all.length > 1 ? `${r.seconds.toFixed(1)} (${r.all.map((s) => s.toFixed(1)).join(', ')})` : r.seconds.toFixed(1);
      return `| ${r.label} | ${r.exit} | ${seconds} | ${r.cpuSeconds.toFixed(1)} | ${Math.round(packets / r.seconds).toLocaleString('en-US')} | ${(size / 1e6 / r.seconds).toFixed(1)} | ${r.peakRssMB.toFixed(0)} | ${ratio} |`;
    }),
  ];
}

/** The polling capture's runs; returns the section of RESULTS.md after its title (Date, Machine … table). */
function pollingSection(machine: string): string[] {
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
  runs.push(timed(`cranewatch analyze (summary only, ${AUTO_THREADS})`, process.execPath, [...nodeFlags, cli, 'analyze', '--no-progress', '--json', pcap]));
  runs.push(timed('cranewatch analyze --threads 1 (summary only)', process.execPath, [...nodeFlags, cli, 'analyze', '--no-progress', '--json', '--threads', '1', pcap]));
  runs.push(timed(`cranewatch analyze --out (all logs as JSON lines, ${AUTO_THREADS})`, process.execPath, [...nodeFlags, cli, 'analyze', '--no-progress', '--json', '--out', outDir, pcap]));
  rmSync(outDir, { recursive: true, force: true });
  if (!skipTshark) {
    const fields = ['frame.number', 'mbtcp.trans_id', 'mbtcp.unit_id', 'modbus.func_code', 'modbus.exception_code', 'modbus.reference_num', 'modbus.word_cnt'];
    runs.push(timed('tshark -T fields (same Modbus fields)', 'tshark', ['-r', pcap, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]));
  }
  const lines = table(runs, packets, size);
  console.log('\n' + lines.join('\n'));
  return [
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Machine: ${machine}`,
    `- Capture: ${packets.toLocaleString('en-US')} packets, ${(size / 1e6).toFixed(0)} MB: a crane management server polling ${cranes} crane PLCs over Modbus/TCP (function 3) every 250 ms (bench/gen-polling.ts).`,
    "- Targets: at least 20× tshark's throughput; peak RSS under 300 MB whatever the capture size.",
    '- Throughput is wall-clock time. With two threads one reads, decodes and tracks sessions while the other runs the analyzers (pipeline/threaded-run.ts); CPU seconds count both. tshark -r runs one thread.',
    '',
    ...lines,
    '',
  ];
}

/**
 * Key fields of every protocol of the mixed capture, one `tshark -T fields` pass (Wireshark display-filter
 * names): Modbus (mbtcp / modbus), DNP3 application function, S7comm function, EtherNet/IP command and
 * CIP service, OPC UA service node id, MQTT message type, DNS query name, HTTP method / status, TLS
 * handshake type and SNI — what CraneWatch's logs carry for each.
 */
const MIXED_FIELDS = [
  'frame.number',
  'mbtcp.trans_id',
  'modbus.func_code',
  'dnp3.al.func',
  's7comm.param.func',
  'enip.command',
  'cip.sc',
  'opcua.servicenodeid.numeric',
  'mqtt.msgtype',
  'dns.qry.name',
  'http.request.method',
  'http.response.code',
  'tls.handshake.type',
  'tls.handshake.extensions_server_name',
];
/** Non-default ports tshark must be told about: the twin's TOS HTTP endpoint (8080 is a default HTTP port). */
const MIXED_DECODE_AS = ['-d', 'tcp.port==4080,http'];

/** The mixed capture's runs; returns its RESULTS.md section (heading included), or a note when skipped. */
async function mixedSection(machine: string): Promise<string[]> {
  if (process.env.BENCH_SKIP_MIXED === '1') return [MIXED_HEADING, '', 'Not run (BENCH_SKIP_MIXED=1).', ''];
  if (!existsSync(sharedData)) {
    console.log(`mixed-protocol case skipped: shared data folder ${sharedData} is absent`);
    return [MIXED_HEADING, '', `Not run: the shared data folder was absent on this machine.`, ''];
  }
  const pcap = join(work, `mixed-${Math.round(mixedBytes / 1e6)}MB.pcap`);
  const metaFile = pcap + '.json';
  let g: MixedCaptureResult;
  if (existsSync(pcap) && existsSync(metaFile) && statSync(pcap).size >= mixedBytes) {
    g = JSON.parse(readFileSync(metaFile, 'utf8')) as MixedCaptureResult;
  } else {
    const t0 = process.hrtime.bigint();
    g = await writeMixedCapture(pcap, mixedBytes, sharedData, work);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    writeFileSync(metaFile, JSON.stringify(g));
    console.log(`generated ${pcap}: ${g.packets} packets, ${(g.bytes / 1e6).toFixed(0)} MB, ${g.passes} passes, in ${s.toFixed(1)} s`);
  }
  for (const k of g.skipped) console.log(`mixed capture: skipped ${k}`);
  const size = statSync(pcap).size;
  const runs = timedInterleaved(mixedRepeat, [
    { label: `cranewatch analyze (summary only, ${AUTO_THREADS})`, cmd: process.execPath, args: [...nodeFlags, cli, 'analyze', '--no-progress', '--json', pcap] },
    { label: 'cranewatch analyze --threads 1 (summary only)', cmd: process.execPath, args: [...nodeFlags, cli, 'analyze', '--no-progress', '--json', '--threads', '1', pcap] },
    ...(skipTshark ? [] : [{ label: 'tshark -T fields (key fields of every protocol, one pass)', cmd: 'tshark', args: ['-n', '-r', pcap, ...MIXED_DECODE_AS, '-T', 'fields', ...MIXED_FIELDS.flatMap((f) => ['-e', f])] }]),
  ]);
  const lines = table(runs, g.packets, size);
  console.log('\n' + lines.join('\n'));
  const carried = [...new Set(MIXED_SOURCES.flatMap((s) => s.carries.replace(/ \([^)]*\)/g, '').split(', ')))];
  return [
    MIXED_HEADING,
    '',
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Machine: ${machine}`,
    `- Capture: ${g.packets.toLocaleString('en-US')} packets, ${(size / 1e6).toFixed(0)} MB, ${g.passes} passes over ${g.sources.length} sources (bench/gen-mixed.ts): public captures of the shared data set carrying ${carried.join(', ')}, and a digital-twin run for HTTP; addresses shifted per pass, checksums updated (RFC 1624), timestamps laid back to back.`,
    ...(g.skipped.length > 0 ? [`- Left out: ${g.skipped.join('; ')}.`] : []),
    `- tshark: \`tshark -n -r FILE ${MIXED_DECODE_AS.join(' ')} -T fields ${MIXED_FIELDS.map((f) => `-e ${f}`).join(' ')}\``,
    "- Target: at least 20× tshark's throughput on the same fields (wall clock; CPU seconds beside it).",
    `- Each command ran ${mixedRepeat} times, interleaved with the others; the table gives the median run and every time in brackets.`,
    '',
    ...lines,
    '',
  ];
}

mkdirSync(work, { recursive: true });
if (!existsSync('/usr/bin/time')) throw new Error('bench needs GNU time (apt-get install time)');
spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'tshark absent'}`;
const head = ['# Benchmark results', '', 'Produced by `npm run bench` (bench/analyze.bench.ts); the last run replaces this file.', ''];
let polling: string[];
if (process.env.BENCH_SKIP_POLLING === '1' && existsSync(resultsFile)) {
  // The last run's polling section, unchanged (everything between the title paragraph and the mixed section).
  const old = readFileSync(resultsFile, 'utf8');
  const start = old.indexOf('\n- Date:');
  const end = old.indexOf(MIXED_HEADING);
  polling = start < 0 ? [] : old.slice(start + 1, end < 0 ? undefined : end).replace(/\n+$/, '\n').split('\n');
} else polling = pollingSection(machine);
const mixed = await mixedSection(machine);
writeFileSync(resultsFile, [...head, ...polling, ...(mixed.length > 0 ? ['', ...mixed] : [])].join('\n').replace(/\n{3,}/g, '\n\n'));
