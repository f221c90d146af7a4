#!/usr/bin/env -S node --max-semi-space-size=32
import { Command, CommanderError, Option } from 'commander';
import { CHECKSUM_MODES, type ChecksumMode } from '../decode/checksum-policy.js';
import { CwError } from '../errors.js';
import { runAnalyze } from './analyze.js';
import { runDemo } from './demo.js';
import { runBaseline } from './baseline.js';
import { runEval } from './eval.js';
import { runListScenarios, runSimulate } from './simulate.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

/**
 * The `cranewatch` command line. Every command resolves to an exit code (cli/exit-codes.ts);
 * user errors print one line `cranewatch: <message>` on stderr and never a stack trace.
 */
function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('cranewatch')
    .description('Passive security monitor for container-terminal crane OT networks')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`cranewatch: ${str.replace(/^error: /, '')}`) });

  program
    .command('analyze')
    .description('analyze pcap/pcapng captures: logs, asset inventory and a summary')
    .argument('<capture...>', 'capture files (pcap or pcapng, chosen by content), merged in time order')
    .option('-o, --out <dir>', 'write one Zeek-JSON log file per stream into <dir>')
    .option('--db <file>', 'write the same records into a SQLite database')
    .option('--site <file>', 'site file (YAML): zones, conduits, assets, cranes; turns on the detectors')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--no-progress', 'never draw a progress bar')
    .addOption(new Option('--color', 'colour the text summary (default: on a terminal, unless NO_COLOR is set)').default(undefined))
    .option('--no-color', 'never colour the text summary')
    .addOption(
      new Option('--checksums <mode>', 'checksum verification: auto (verify, except hosts that look like checksum offloading), verify (as zeek), ignore (as zeek -C)')
        .choices(CHECKSUM_MODES)
        .default('auto'),
    )
    .action(async (captures: string[], o: { out?: string; db?: string; site?: string; json?: boolean; progress: boolean; color?: boolean; checksums: ChecksumMode }) => {
      const r = await runAnalyze(captures, o);
      setExit(r.exitCode);
    });

  program
    .command('eval')
    .description("score detections against the twin's ground truth: per scenario detected, time to detect, false positives per hour")
    .argument('[capture...]', 'captures to analyze against --site (or give --findings)')
    .requiredOption('--truth <file>', 'ground truth JSON written by cranewatch simulate --truth')
    .option('--site <file>', 'site file to analyze the captures against')
    .option('--findings <file>', 'findings.log of an earlier analyze --site --out run, instead of captures')
    .option('--json', 'print the score as JSON on stdout')
    .action(async (captures: string[], o: { truth: string; site?: string; findings?: string; json?: boolean }) => {
      setExit(await runEval(captures, o));
    });

  program
    .command('baseline')
    .description('learn a draft site file (zones, assets, conduits, PLC clients, flows) from clean captures')
    .argument('<capture...>', 'captures of normal traffic (pcap or pcapng), merged in time order')
    .requiredOption('-o, --out <file>', 'site file (YAML) to write')
    .requiredOption('--unlocode <code>', "the terminal's UN/LOCODE, e.g. NLRTM")
    .option('--force', 'replace the site file if it exists')
    .option('--json', 'print what was learned as JSON on stdout')
    .option('--no-progress', 'never draw a progress bar')
    .action(async (captures: string[], o: { out: string; unlocode: string; force?: boolean; json?: boolean; progress: boolean }) => {
      setExit(await runBaseline(captures, o));
    });

  program
    .command('simulate')
    .description('digital twin: write a realistic capture of a terminal\'s cranes with ground truth')
    .option('-o, --out <file>', 'capture file to write (pcapng when the name ends in .pcapng, else pcap; required unless --list-scenarios)')
    .addOption(new Option('--format <format>', 'capture format (default: from the file name)').choices(['pcap', 'pcapng']))
    .option('--cranes <n>', 'ship-to-shore cranes, 1-100 (default 4)')
    .option('--duration <time>', 'simulated time: seconds or 30m, 2h, 1d (default 1h)')
    .option('--seed <n>', 'random seed; the same seed gives the same bytes (default 1)')
    .option('--truth <file>', 'write the ground truth (moves, commands, hosts) as JSON')
    .option('--site-out <file>', 'write the simulated terminal\'s site file (YAML)')
    .option('--site <file>', 'simulate the terminal described by this site file')
    .option('--edi-out <dir>', 'write each vessel call\'s BAPLIE bay plan there as <vessel>-<voyage>.baplie.edi')
    .option('--scenario <spec>', 'play an attack/fault/benign scenario: name or name:key=value,... (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--list-scenarios', 'list the scenarios, their ATT&CK techniques and parameters, and exit')
    .option('--json', 'print the run summary as JSON on stdout')
    .option('--force', 'replace output files that already exist')
    .option('--speed <factor>', 'emit frames in step with capture time: 1 real time, 10 ten times faster (default: as fast as possible)')
    .option('--no-progress', 'never draw a progress bar')
    .action(async (o: { out?: string; format?: string; cranes?: string; duration?: string; seed?: string; truth?: string; siteOut?: string; site?: string; ediOut?: string; json?: boolean; force?: boolean; speed?: string; progress: boolean; scenario: string[]; listScenarios?: boolean }) => {
      if (o.listScenarios) {
        setExit(runListScenarios(o.json));
        return;
      }
      setExit(await runSimulate({ ...o, out: o.out ?? '', durationSec: o.duration, scenarios: o.scenario }));
    });

  program
    .command('demo')
    .description('write a small demo capture of a crane network, analyze it and print the summary')
    .option('--dir <dir>', 'where the demo capture, logs and database go', 'cranewatch-demo')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (o: { dir: string; json?: boolean }) => {
      setExit(await runDemo(o));
    });
  return program;
}

/**
 * An error message on one line: control characters (a newline in a file name, say) are shown as
 * JSON escapes (`\\n`, `\\u001b`), so the message stays one line and cannot move the terminal's cursor.
 */
function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.OK;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (e instanceof CwError) {
      process.stderr.write(`cranewatch: ${oneLine(e.message)}\n`);
      return exitCodeFor(e.code);
    }
    process.stderr.write(`cranewatch: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return ExitCode.INTERNAL;
  }
}

// Standard output closed early (`| head`) ends the run quietly; any other failure to write it is an
// output error (exit 5). Errors writing standard error have nowhere to be reported.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') process.stderr.write(`cranewatch: cannot write to standard output: ${e.message}\n`);
  process.exit(e.code === 'EPIPE' ? (Number(process.exitCode) || ExitCode.OK) : ExitCode.OUTPUT);
});
process.stderr.on('error', () => undefined);

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`cranewatch: internal error: ${String(e)}\n`);
    process.exitCode = ExitCode.INTERNAL;
  },
);
