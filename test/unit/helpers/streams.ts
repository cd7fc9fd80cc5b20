import { PassThrough } from 'node:stream';

/** A stream that keeps what is written to it. */
export function sink(): { s: PassThrough; text: () => string } {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c) => (text += c));
  return { s, text: () => text };
}

type Command = (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal) => Promise<number>;

/** Runs a CLI command in this process: its exit code and what it wrote. */
export async function runCommand(command: Command, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await command(argv, out.s, err.s, new AbortController().signal);
  return { code, out: out.text(), err: err.text() };
}
