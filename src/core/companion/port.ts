// The listener's port, apart so settings read it without the listener.

/**
 * Competitive Companion's built-in ports (src/hosts/hosts.ts in its repository) and the tool each one
 * belongs to. Our default is none of them: taking one would starve that tool of problems.
 */
export const COMPANION_TOOL_PORTS: ReadonlyMap<number, string> = new Map([
  [1327, 'cpbooster'],
  [4243, 'CHelper or JHelper'],
  [4244, 'Hightail'],
  [6174, 'Mind Sport'],
  [10042, 'acmX'],
  [10043, 'Caide'],
  [10045, 'CP Editor'],
  [27121, 'Competitive Programming Helper (cph) or another editor plugin on its port (CPH-NG, competitest.nvim)'],
]);

/**
 * Our own default port: not one Companion posts to by itself, so the user adds it once in Companion's
 * options ("Custom ports"), and cph on 27121 keeps getting every problem beside us.
 */
export const COMPANION_PORT = 27233;

/** What Companion's options page needs for our port, in one sentence (README, settings, messages). */
export function addPortHint(port: number): string {
  return `add ${port} to "Custom ports" in Competitive Companion's options (right-click its icon, Options)`;
}
