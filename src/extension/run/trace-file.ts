import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TraceWriter } from '../../core/trace';
import type { Services } from '../services';
import type { Settings } from '../settings/read';

// One JSONL trace file per run (the setting's folder, else the extension's global storage); the last
// one written is remembered for "Show Last Trace".

const LAST_TRACE_KEY = 'mapcoderLite.lastTrace';

export function openTrace(s: Services, settings: Settings, runId: string): TraceWriter | undefined {
  const dir = settings.traceDir || join(s.context.globalStorageUri.fsPath, 'traces');
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${runId}.jsonl`);
  try {
    mkdirSync(dir, { recursive: true });
    return new TraceWriter(file);
  } catch (err) {
    s.log.warn(`No trace for run ${runId}: cannot write ${file}: ${String(err)}`);
    return undefined;
  }
}

/** Closes a run's trace and remembers it as the last one. */
export function closeTrace(s: Services, trace: TraceWriter): void {
  try {
    trace.close();
    void s.context.globalState.update(LAST_TRACE_KEY, trace.file);
  } catch (err) {
    s.log.warn(`Could not finish the trace file: ${String(err)}`);
  }
}

export function lastTraceFile(s: Services): string | undefined {
  return s.context.globalState.get<string>(LAST_TRACE_KEY);
}
