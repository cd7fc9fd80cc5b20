import * as vscode from 'vscode';
import type { Services } from '../services';
import { ensureTrusted } from '../user-guards';

/** Checks the endpoint and the agents' adapters; the answer is a quick pick (with a way to the settings). */
export async function checkEndpoint(s: Services): Promise<void> {
  if (!ensureTrusted()) return;
  const cfg = await s.config.endpoint();
  const { LlmClient } = await import('../../core/llm');
  const check = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `MapCoder-Lite: checking ${cfg.baseUrl}…`, cancellable: true },
    async (_p, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      try {
        return await new LlmClient(cfg).check(ac.signal);
      } catch (err) {
        if (ac.signal.aborted) return undefined;
        throw err;
      }
    },
  );
  if (!check) return;
  s.log.info(`Endpoint check: ${check.message}`);
  const items: vscode.QuickPickItem[] = [
    { label: `${check.ok ? '$(pass)' : '$(error)'} ${check.baseUrl} (${check.backend})`, detail: check.message },
    ...check.agents.map((a) => ({ label: `${a.available ? '$(check)' : '$(close)'} ${a.agent}`, description: a.model, detail: a.note })),
  ];
  if (check.reachable) items.push({ label: '$(server) server models', detail: check.serverModels.join(', ') || '(none)' });
  const pick = await vscode.window.showQuickPick([...items, { label: '$(gear) Open MapCoder-Lite settings' }], {
    title: check.ok ? 'MapCoder-Lite: endpoint ready' : 'MapCoder-Lite: endpoint problem',
    placeHolder: check.message,
  });
  if (pick?.label.startsWith('$(gear)')) void vscode.commands.executeCommand('workbench.action.openSettings', 'mapcoderLite');
}
