import type { Problem } from '../types';

const NUM = String.raw`(\d+(?:[.,]\d+)?)`;
const TIME_UNIT = String.raw`(milliseconds?|millisecs?|msecs?|ms|seconds?|secs?|s|秒)(?![a-z])`;
const MEM_UNIT = String.raw`(kilobytes?|kib|kb|megabytes?|mebibytes?|mib|mb|m|gigabytes?|gibibytes?|gib|gb)(?![a-z])`;
// Between a label and its value: punctuation, Markdown emphasis, line breaks, "per test".
const GAP = String.raw`(?:\s*per\s+test)?[\s:：=*_|\-]*`;

const TIME_RE = new RegExp(String.raw`(?:time\s*limit|実行時間制限)${GAP}${NUM}\s*${TIME_UNIT}`, 'i');
const MEM_RE = new RegExp(String.raw`(?:memory\s*limit|メモリ制限)${GAP}${NUM}\s*${MEM_UNIT}`, 'i');

function toNumber(s: string): number {
  return Number(s.replace(',', '.'));
}

function timeMs(value: string, unit: string): number {
  const n = toNumber(value);
  return Math.round(/^m/i.test(unit) ? n : n * 1000);
}

function memoryMb(value: string, unit: string): number {
  const n = toNumber(value);
  const u = unit.toLowerCase();
  if (u.startsWith('k')) return Math.round(n / 1024);
  if (u.startsWith('g')) return Math.round(n * 1024);
  return Math.round(n);
}

/** "2 seconds", "1 second", "2.5 s", "1000 ms" -> milliseconds; undefined when not a duration. */
export function parseDuration(s: string): number | undefined {
  const m = new RegExp(String.raw`^\s*${NUM}\s*${TIME_UNIT}\.?\s*$`, 'i').exec(s);
  return m ? timeMs(m[1], m[2]) : undefined;
}

/** "256 megabytes", "256 MiB", "1024 MB", "64000 KB" -> megabytes; undefined when not a size. */
export function parseMemory(s: string): number | undefined {
  const m = new RegExp(String.raw`^\s*${NUM}\s*${MEM_UNIT}\.?\s*$`, 'i').exec(s);
  return m ? memoryMb(m[1], m[2]) : undefined;
}

/** Time and memory limits named in a statement ("time limit per test: 2 seconds", AtCoder headers, ...). */
export function findLimits(text: string): { timeLimitMs?: number; memoryLimitMb?: number } {
  const t = TIME_RE.exec(text);
  const m = MEM_RE.exec(text);
  return {
    ...(t ? { timeLimitMs: timeMs(t[1], t[2]) } : {}),
    ...(m ? { memoryLimitMb: memoryMb(m[1], m[2]) } : {}),
  };
}

/** "time 2 s, memory 256 MB"; a missing limit is left out, and "no limits given" when both are. */
export function formatLimits(p: Pick<Problem, 'timeLimitMs' | 'memoryLimitMb'>): string {
  const parts: string[] = [];
  if (p.timeLimitMs !== undefined) parts.push(`time ${p.timeLimitMs / 1000} s`);
  if (p.memoryLimitMb !== undefined) parts.push(`memory ${p.memoryLimitMb} MB`);
  return parts.length ? parts.join(', ') : 'no limits given';
}
