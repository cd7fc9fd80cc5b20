import * as vscode from 'vscode';
import type { RunLifecycle } from '../run/lifecycle';

/** Cancel from the palette: the only run, or pick one. */
export async function cancelFromPalette(runs: RunLifecycle): Promise<void> {
  const active = runs.active();
  if (active.length <= 1) {
    active[0]?.abort.abort();
    return;
  }
  const pick = await vscode.window.showQuickPick(active.map((r) => ({ label: r.target.title, description: r.tracker.text, r })), { title: 'MapCoder-Lite: cancel which run?' });
  pick?.r.abort.abort();
}
