import { checkCommand } from './cli/check';
import { judgeCommand } from './cli/judge';
import { samplesCommand } from './cli/samples';
import { solveCommand } from './cli/solve';
import { evalCommand } from './cli/eval';
import { dataCommand } from './cli/data';
import { distillCommand } from './cli/distill';
import { listenCommand } from './cli/listen';
import { serveCommand } from './cli/serve';
import { engineCommand } from './cli/engine';
import { UsageError } from './cli/args';
import { ProblemError } from './core/problem';
import { PromptError } from './core/agents/prompts';
import { JudgeSetupError } from './core/judge/reach';
import { version } from '../package.json';
import { printable } from './core/printable';

const USAGE = `mapcoder-lite: solve competitive-programming problems with four LLM agents on a local endpoint

Usage:
  mapcoder-lite solve FILE [options]          retrieval, planning, coding, debugging; writes the program
  mapcoder-lite samples FILE [--json]         the samples and limits found in a statement
  mapcoder-lite judge FILE SOLUTION [--lang L] [--json]   run a program on the samples
  mapcoder-lite check [endpoint options]      is the endpoint up, and does it serve each agent's adapter?
  mapcoder-lite eval --dataset NAME|FILE [--mode direct|mapcoder|lite ...]   pass@1 tables like the paper's
  mapcoder-lite data fetch [humaneval|mbpp|apps|xcodeeval|all]   the benchmarks, from their public homes
  mapcoder-lite distill collect|supervise|export [options]   training data and configs for the four adapters
  mapcoder-lite listen [--port N] [--dir DIR] [--lang L]   save problems sent by Competitive Companion
  mapcoder-lite serve --model M [--lora AGENT=A ...]   the product's own local endpoint (node-llama-cpp)
  mapcoder-lite engine install|status|stop     the engine's runtime, and the engine this machine shares
  mapcoder-lite --version

Run "mapcoder-lite COMMAND --help" for a command's options.`;

type Command = (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  solve: solveCommand,
  samples: (argv, out) => samplesCommand(argv, out),
  judge: judgeCommand,
  check: (argv, out, _err, signal) => checkCommand(argv, out, signal),
  eval: evalCommand,
  data: dataCommand,
  distill: distillCommand,
  listen: listenCommand,
  serve: serveCommand,
  engine: engineCommand,
};

/** Runs one CLI invocation; returns the exit code. Exported for tests. */
export async function main(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    out.write(`${version}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    err.write(`mapcoder-lite: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  // Everything said on stderr quotes the outside (servers, models, programs): escaped as it goes.
  err = printableStream(err);
  try {
    return await command(rest, out, err, signal);
  } catch (e) {
    // Ctrl-C, SIGTERM or SIGHUP stopped whatever was running (streams closed, programs killed).
    if (signal.aborted) {
      err.write(`mapcoder-lite ${name}: cancelled.\n`);
      return 130;
    }
    const known = e instanceof UsageError || e instanceof ProblemError || e instanceof PromptError || e instanceof JudgeSetupError;
    const help = e instanceof UsageError && e.pointToHelp ? `; see "mapcoder-lite ${name} --help"` : '';
    err.write(`mapcoder-lite ${name}: ${e instanceof Error ? e.message : String(e)}${help}\n`);
    return known ? 2 : 1;
  }
}

/** `stream` with every string written to it made printable (see core/printable); the rest is the stream's. */
function printableStream(stream: NodeJS.WritableStream): NodeJS.WritableStream {
  const escaped: NodeJS.WritableStream = Object.create(stream);
  escaped.write = ((chunk: unknown, ...rest: unknown[]) =>
    (stream.write as (...a: unknown[]) => boolean).call(stream, typeof chunk === 'string' ? printable(chunk) : chunk, ...rest)) as NodeJS.WritableStream['write'];
  return escaped;
}

if (require.main === module) {
  const abort = new AbortController();
  // First Ctrl-C cancels the run (streams closed, child processes killed); a second one exits at once.
  process.once('SIGINT', () => {
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  // A closed terminal (SIGHUP) or a kill (SIGTERM) ends the run the same way: nothing is left running.
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      abort.abort();
      process.once(sig, () => process.exit(130));
    });
  }
  // A reader that stopped reading (`| head -1`) ends the run quietly: it is cancelled (programs killed),
  // the rest of the output dropped, never an unhandled EPIPE with its stack.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    abort.abort();
    process.stdout.destroy();
  });
  // main reports every failure itself; a rejection would be a bug, and Node ends with its stack.
  void main(process.argv.slice(2), process.stdout, process.stderr, abort.signal).then((code) => {
    process.exitCode = code;
  });
}
