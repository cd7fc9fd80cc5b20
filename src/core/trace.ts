import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { PipelineEvent } from './events';

/**
 * The trajectory of one run as JSONL: every pipeline event except streamed tokens (each
 * `agent-finished` record already holds the whole reply, and `agent-started` the messages sent).
 * Training data and evaluation are built from these files.
 *
 * Written to `<file>.partial` as the run goes and renamed over `<file>` when closed, so a crash
 * mid-run never leaves a half-written trace where a complete one used to be; the data is flushed to
 * disk before the rename, so a power loss after it does not leave an empty file either.
 */
export class TraceWriter {
  private fd: number | undefined;
  private readonly partial: string;

  constructor(readonly file: string) {
    this.partial = `${file}.partial`;
    this.fd = openSync(this.partial, 'w');
  }

  /** A pipeline listener: pass `trace.write` as (part of) `onEvent`. */
  readonly write = (e: PipelineEvent): void => {
    if (e.type === 'token' || this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify({ ...e, t: Date.now() })}\n`);
  };

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.partial, this.file);
  }
}

export type TraceRecord = Exclude<PipelineEvent, { type: 'token' }> & { t: number };

/** Reads a trace back; a torn final line (a crash mid-write) is ignored. */
export function readTrace(file: string): TraceRecord[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const records: TraceRecord[] = [];
  for (const line of lines) {
    try {
      records.push(JSON.parse(line) as TraceRecord);
    } catch {
      break;
    }
  }
  return records;
}
