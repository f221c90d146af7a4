#!/usr/bin/env -S node --max-semi-space-size=32
import { Command, CommanderError, Option } from 'commander';
import { CHECKSUM_MODES, type ChecksumMode } from '../decode/checksum-policy.js';
import { CwError } from '../errors.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

/**
 * The `cranewatch` command line. Every command resolves to an exit code (cli/exit-codes.ts);
 * user errors print one line `cranewatch: <message>` on stderr and never a stack trace. Each
 * command's module is imported when the command runs, so a command loads only what it uses (the
 * analyzer never loads the web server, the twin or the report's chart library).
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
    .addOption(
      new Option('--threads <n>', 'threads: 1, 2 (read, decode and track sessions in a second thread while the analyzers run in the first) or auto (2 on a multi-core machine for inputs of 32 MiB or more)')
        .choices(['auto', '1', '2'])
        .default('auto'),
    )
    .action(async (captures: string[], o: { out?: string; db?: string; site?: string; json?: boolean; progress: boolean; color?: boolean; checksums: ChecksumMode; threads: 'auto' | '1' | '2' }) => {
      const { runAnalyze } = await import('./analyze.js');
      const r = await runAnalyze(captures, { ...o, threads: o.threads === 'auto' ? 'auto' : o.threads === '2' ? 2 : 1 });
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
      const { runEval } = await import('./eval.js');
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
      const { runBaseline } = await import('./baseline.js');
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
      const { runListScenarios, runSimulate } = await import('./simulate.js');
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
    .option('--serve', 'then serve the results in the console (user demo, a random password printed) until interrupted')
    .option('--port <n>', 'console port with --serve (default 8080)')
    .action(async (o: { dir: string; json?: boolean; serve?: boolean; port?: string }) => {
      const { runDemo } = await import('./demo.js');
      setExit(await runDemo(o));
    });
  program
    .command('serve')
    .description('serve the console (HTTP API and dashboard) for a database written by analyze --db')
    .requiredOption('--db <file>', 'CraneWatch database to serve')
    .option('--site <file>', 'site file used to analyze captures uploaded in the console')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'TCP port to listen on', '8080')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--max-upload-mb <n>', 'largest capture upload in MiB (default 2048)')
    .option('--web <dir>', 'built dashboard folder (default dist/web)')
    .option('--rate-per-minute <n>', 'requests per minute per client address over all routes (default 1200; login: 10)')
    .action(async (o: { db: string; site?: string; host: string; port: string; tlsCert?: string; tlsKey?: string; maxUploadMb?: string; web?: string; ratePerMinute?: string }) => {
      const { runServe } = await import('./serve.js');
      setExit(await runServe(o));
    });

  program
    .command('report')
    .description('write the story of a database as one self-contained HTML file or a PDF, for port management')
    .requiredOption('--db <file>', 'CraneWatch database (written by analyze --db)')
    .requiredOption('-o, --out <file>', 'report file: .html, or .pdf (printed by Chromium)')
    .action(async (o: { db: string; out: string }) => {
      const { runReport } = await import('./report.js');
      setExit(await runReport(o));
    });

  const user = program.command('user').description('manage console users (stored in the database)');
  user
    .command('add')
    .description('add a console user; the password is read as one line from standard input')
    .argument('<name>', 'user name')
    .requiredOption('--role <role>', 'viewer, analyst or admin')
    .requiredOption('--db <file>', 'CraneWatch database')
    .option('--password-stdin', 'read the password from standard input (the default; never from the command line)')
    .action(async (name: string, o: { role: string; db: string }) => {
      const { runUserAdd } = await import('./user.js');
      setExit(await runUserAdd(name, o));
    });
  user
    .command('list')
    .description('list console users')
    .requiredOption('--db <file>', 'CraneWatch database')
    .option('--json', 'print JSON')
    .action(async (o: { db: string; json?: boolean }) => {
      const { runUserList } = await import('./user.js');
      setExit(runUserList(o));
    });
  user
    .command('remove')
    .description('remove a console user and end their sessions')
    .argument('<name>', 'user name')
    .requiredOption('--db <file>', 'CraneWatch database')
    .action(async (name: string, o: { db: string }) => {
      const { runUserRemove } = await import('./user.js');
      setExit(runUserRemove(name, o));
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
