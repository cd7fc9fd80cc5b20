import { relative } from 'node:path';
import { ProblemSaver } from '../core/companion/files';
import { holderText, portHolder } from '../core/companion/holder';
import { COMPANION_PORT, listenForCompanion } from '../core/companion/listener';
import { addPortHint } from '../core/companion/port';
import { parse, intOption, UsageError } from './args';
import { chooseLang } from './problem-file';

export const LISTEN_HELP = `Usage: mapcoder-lite listen [--port N] [--dir DIR] [--lang L]
Receives problems from the Competitive Companion browser extension and saves each as files: a
statement file with the samples, limits, URL, interactive flag and input/output file names (paste the
statement text into it: Companion does not send it) and an empty source file, in a folder per contest
under DIR. The same problem sent again refreshes its samples and limits and keeps your statement text,
program and tests. Runs until Ctrl-C. Companion does not post to ${COMPANION_PORT} by itself:
${addPortHint(COMPANION_PORT)}.

Options:
  --port N    the port Companion posts to (default ${COMPANION_PORT})
  --dir DIR   where the contest folders go (default: the current folder)
  --lang L    the source file's language (default python3)`;

export async function listenCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, dir: { type: 'string' }, lang: { type: 'string' } });
  if (values.help) return out.write(`${LISTEN_HELP}\n`), 0;
  const port = intOption(values.port, 'port', 1, 65535) ?? COMPANION_PORT;
  const root = values.dir ?? process.cwd();
  const lang = chooseLang(values.lang, undefined) ?? 'python3';
  const saver = new ProblemSaver();
  let listener;
  try {
    listener = await listenForCompanion({
      port,
      onTask: async (task) => {
        const saved = await saver.save(root, task, lang);
        const shown = (path: string) => relative(root, path) || path;
        out.write(`${task.name}: ${shown(saved.statement)}${saved.status === 'updated' ? ' (updated)' : ''}, ${shown(saved.source)}${saved.sourceCreated ? '' : ' (exists, kept)'}\n`);
        return saved.status;
      },
      onError: (message) => err.write(`mapcoder-lite listen: could not save a problem: ${message}\n`),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`${holderText(port, await portHolder(port))}; pass --port`);
    throw e;
  }
  err.write(`Listening for Competitive Companion on 127.0.0.1:${listener.port}; saving problems under ${root}. Ctrl-C stops.\n`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await listener.close();
  return 130;
}
