import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from './run';

/** The judge cannot work where it is: its message is one line naming the folder and what moves it. */
export class JudgeSetupError extends Error {
  override name = 'JudgeSetupError';
}

/**
 * Checks, once per judge, that the programs it runs can reach its folder: `cat` of `file` (in `root`) in
 * the sandbox, as a program reads its source. Under root they run as nobody; sandboxPaths hides the
 * closed folders on the way (a 0700 TMPDIR), and this catches what hiding cannot mend (an ACL, a
 * network file system that maps root away), so that the judge stops with one line instead of failing
 * every program with "Permission denied". `setting` names what moves the folder (TMPDIR).
 */
export async function checkProgramsReach(root: string, file: string, expected: string, setting: string, signal?: AbortSignal): Promise<void> {
  const cwd = await mkdtemp(join(root, 'reach-'));
  try {
    const r = await runProcess(['cat', file], { cwd, workDir: root, sandbox: true, wallLimitMs: 10_000, signal });
    // A system without `cat` on PATH (in the sandbox) is one this check cannot speak for.
    if ((r.exitCode === 0 && r.stdout === expected) || /failed to execute cat: No such file/.test(r.spawnError ?? '')) return;
    const why = (r.spawnError ?? r.stderr).trim().split('\n')[0] || (r.timedOut ? 'no answer in 10 s' : `exit ${r.exitCode ?? r.signal}`);
    const who = process.getuid?.() === 0 ? 'they run as nobody' : 'they run as you';
    throw new JudgeSetupError(`The programs the judge runs (${who}) cannot read its folder ${oneLine(root)}: ${why}. Set ${setting} to a folder they may enter (every folder on the way searchable by others, like /tmp).`);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

/** A path with control characters (a newline) quoted, so that the message stays one line. */
function oneLine(text: string): string {
  return /[\x00-\x1f]/.test(text) ? JSON.stringify(text) : text;
}
