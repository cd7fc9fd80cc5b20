// The kinds of value a `mapcoderLite.*` setting holds, each with how package.json declares it and how a
// value is read: a bad value gives the setting's default and one line saying so, so one typo never
// stops a solve. vscode-free: the reader gets the raw values through a getter.
import { durationProblem } from '../../core/timer';

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

/** What one read gives: the value to use and, when the user's value could not be used, why. */
export interface Reading<T> {
  value: T;
  /** Said after the setting's name: "mapcoderLite.k must be an integer >= 1 ...". */
  problem?: string;
}

/** One setting, declared once: its key, its package.json type and default, and its reader. */
export interface Setting<T> {
  /** Below `mapcoderLite.`. */
  readonly key: string;
  readonly type: JsonType;
  /** package.json's default (what VS Code hands over when nothing is set). */
  readonly default: string | number | boolean | readonly string[] | Readonly<Record<string, string>>;
  /** package.json's `enum`, when it has one. */
  readonly enum?: readonly string[];
  readonly minimum?: number;
  /** Larger values are taken as this one (package.json's `maximum`). */
  readonly maximum?: number;
  /** Reads the raw value (undefined or null: nothing set). */
  read(raw: unknown): Reading<T>;
}

const unset = (v: unknown): v is undefined | null => v === undefined || v === null;

/** Text, trimmed. `blankIsDefault`: an empty value means the default (a model name, the endpoint). */
export function text(key: string, fallback: string, opts: { blankIsDefault?: boolean } = {}): Setting<string> {
  return {
    key, type: 'string', default: fallback,
    read(v) {
      if (unset(v)) return { value: fallback };
      if (typeof v !== 'string') return { value: fallback, problem: `must be a string; using "${fallback}".` };
      return { value: opts.blankIsDefault ? v.trim() || fallback : v.trim() };
    },
  };
}

/** A number at least `minimum`; larger than `maximum` is taken as `maximum`. */
export function numeric(key: string, type: 'integer' | 'number', fallback: number, bounds: { minimum: number; maximum?: number }): Setting<number> {
  const { minimum, maximum } = bounds;
  const integer = type === 'integer';
  return {
    key, type, default: fallback, minimum, maximum,
    read(v) {
      if (unset(v)) return { value: fallback };
      if (typeof v === 'number' && Number.isFinite(v) && v >= minimum && (!integer || Number.isInteger(v))) return { value: maximum === undefined ? v : Math.min(v, maximum) };
      return { value: fallback, problem: `must be ${integer ? 'an integer' : 'a number'} >= ${minimum} (got ${JSON.stringify(v)}); using ${fallback}.` };
    },
  };
}

/** A time-out in seconds that a timer can hold (core/timer.ts): a longer one would end every request at once. */
export function duration(key: string, fallback: number): Setting<number> {
  return {
    key, type: 'number', default: fallback, minimum: 1,
    read(v) {
      if (unset(v)) return { value: fallback };
      const problem = typeof v === 'number' ? durationProblem(v) : 'must be a number of seconds';
      return problem ? { value: fallback, problem: `${problem} (got ${JSON.stringify(v)}); using ${fallback}.` } : { value: v as number };
    },
  };
}

export function flag(key: string, fallback: boolean): Setting<boolean> {
  return {
    key, type: 'boolean', default: fallback,
    read(v) {
      if (unset(v)) return { value: fallback };
      if (typeof v === 'boolean') return { value: v };
      return { value: fallback, problem: `must be true or false; using ${fallback}.` };
    },
  };
}

/**
 * One of `choices`. `legacy` maps values of an older form of the setting onto a choice (the booleans
 * `speculativePlans` once took).
 */
export function choice<C extends string>(key: string, choices: readonly C[], fallback: C, legacy?: (v: unknown) => C | undefined): Setting<C> {
  return {
    key, type: 'string', default: fallback, enum: choices,
    read(v) {
      if (unset(v)) return { value: fallback };
      const old = legacy?.(v);
      if (old) return { value: old };
      const name = typeof v === 'string' ? v.trim() : v;
      if (choices.includes(name as C)) return { value: name as C };
      return { value: fallback, problem: `must be one of ${choices.join(', ')} (got ${JSON.stringify(v)}); using ${fallback}.` };
    },
  };
}

/** A command as a list (program, then arguments); empty or unset: undefined, the built-in command. */
export function argv(key: string): Setting<string[] | undefined> {
  return {
    key, type: 'array', default: [],
    read(v) {
      if (unset(v) || (Array.isArray(v) && v.length === 0)) return { value: undefined };
      if (Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '')) return { value: v as string[] };
      return { value: undefined, problem: 'must be a list of non-empty strings (program, then arguments); using the built-in command.' };
    },
  };
}

/** Text per name, for the names in `names` only (an agent's adapter); unset or empty: none. */
export function textByName(key: string, names: readonly string[]): Setting<Record<string, string>> {
  return {
    key, type: 'object', default: {},
    read(v) {
      if (unset(v)) return { value: {} };
      const entries = typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as object) : undefined;
      const bad = entries ? entries.find(([name, text]) => !names.includes(name) || typeof text !== 'string') : undefined;
      if (!entries || bad) {
        return { value: {}, problem: `must map ${names.join(', ')} to text${bad ? ` (not ${JSON.stringify(bad[0])}: ${JSON.stringify(bad[1])})` : ''}; using none.` };
      }
      return { value: Object.fromEntries(entries.map(([name, text]) => [name, (text as string).trim()]).filter(([, text]) => text)) };
    },
  };
}

/** A setting whose read goes on from another kind's: `then` may refine the value or find a problem. */
export function refined<T, U>(base: Setting<T>, then: (value: T) => Reading<U>, declared: Partial<Pick<Setting<U>, 'enum'>> = {}): Setting<U> {
  return {
    ...base, ...declared,
    read(v) {
      const first = base.read(v);
      const next = then(first.value);
      return { value: next.value, problem: first.problem ?? next.problem };
    },
  };
}
