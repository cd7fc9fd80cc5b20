import { basename } from 'node:path';
import * as vscode from 'vscode';
import { addUserTest, userTestsPath } from '../../core/problem/user-tests';
import type { Services } from '../services';

/** The counterexample of a run's stress check, added to the problem's tests file (once); `added` refreshes the Tests view. */
export async function keepStressTest(s: Services, runId: string, check: number, added: () => void): Promise<void> {
  const run = s.store.get(runId);
  const x = run?.stress?.[check]?.counterexample;
  if (!run?.meta.file || !x) return;
  const path = userTestsPath(run.meta.file);
  const isNew = await addUserTest(path, { input: x.input, outputs: [x.expected] });
  added();
  void vscode.window.showInformationMessage(isNew ? `MapCoder-Lite: the input stress tests found is now a test in ${basename(path)}.` : `MapCoder-Lite: ${basename(path)} already has that test.`);
}
