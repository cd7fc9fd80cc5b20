// The settings as one plain object, read through the table (table.ts); vscode-free, so the reading and
// every fallback are unit-tested in Node. The editor's side is user-settings.ts.
import type { LangCommands } from '../../core/judge/compile';
import type { AgentName, Lang } from '../../core/types';
import type { Setting } from './kinds';
import { COMMAND_SETTINGS, MODEL_SETTINGS, SETTINGS } from './table';

type ValueOf<S> = S extends Setting<infer T> ? T : never;

export type Settings = { -readonly [F in keyof typeof SETTINGS]: ValueOf<(typeof SETTINGS)[F]> } & {
  models: Record<AgentName, string>;
  /** Only the languages with a command set. */
  languages: Partial<Record<Lang, LangCommands>>;
};

/** Reads one setting by its key below `mapcoderLite.` (undefined when unset). */
export type SettingsGetter = (key: string) => unknown;

/** Every setting's value, and a line for each that could not be used (its default was). */
export function readSettings(get: SettingsGetter): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const read = <T>(s: Setting<T>): T => {
    const { value, problem } = s.read(get(s.key));
    if (problem) problems.push(`mapcoderLite.${s.key} ${problem}`);
    return value;
  };
  const scalars = Object.fromEntries(Object.entries(SETTINGS).map(([field, s]) => [field, read(s as Setting<unknown>)]));
  const models = Object.fromEntries(Object.entries(MODEL_SETTINGS).map(([agent, s]) => [agent, read(s)]));
  const languages: Partial<Record<Lang, LangCommands>> = {};
  for (const [lang, c] of Object.entries(COMMAND_SETTINGS) as [Lang, (typeof COMMAND_SETTINGS)[Lang]][]) {
    const compile = read(c.compile);
    const run = read(c.run);
    if (compile || run) languages[lang] = { ...(compile && { compile }), ...(run && { run }) };
  }
  return { settings: { ...scalars, models, languages } as Settings, problems };
}
