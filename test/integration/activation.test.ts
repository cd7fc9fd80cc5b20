// Runs first (see index.ts): no test has touched the extension yet (it activates after startup, for the
// Competitive Companion listener, without delaying the window).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { extension } from './helpers';

// The ids every part of the extension agreed on (commands, palette titles, keybindings, CodeLens).
const AGREED_COMMANDS = [
  'mapcoderLite.solve', 'mapcoderLite.solveSelection', 'mapcoderLite.cancel', 'mapcoderLite.runSamples',
  'mapcoderLite.checkEndpoint', 'mapcoderLite.accept', 'mapcoderLite.reject', 'mapcoderLite.showLastTrace',
  'mapcoderLite.setApiKey', 'mapcoderLite.debugCurrentCode', 'mapcoderLite.showHistory',
];

describe('activation', () => {
  it('activates only once startup has finished (the Companion listener), never with the window', () => {
    assert.deepEqual(extension().packageJSON.activationEvents, ['onStartupFinished']);
  });

  it('contributes every agreed command under the MapCoder-Lite category', () => {
    const contributed: { command: string; category?: string }[] = extension().packageJSON.contributes?.commands ?? [];
    assert.deepEqual(AGREED_COMMANDS.filter((id) => !contributed.some((c) => c.command === id)), []);
    assert.deepEqual(contributed.filter((c) => c.category !== 'MapCoder-Lite').map((c) => c.command), []);
  });

  it('registers every contributed command once activated', async () => {
    await extension().activate();
    assert.equal(extension().isActive, true);
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: { command: string }[] = extension().packageJSON.contributes.commands;
    assert.deepEqual(contributed.map((c) => c.command).filter((id) => !registered.has(id)), []);
  });

  it('contributes the Agents webview view in its own activity-bar container', () => {
    const c = extension().packageJSON.contributes;
    assert.ok(c.viewsContainers?.activitybar?.some((v: { id: string }) => v.id === 'mapcoderLite'));
    assert.ok(c.views?.mapcoderLite?.some((v: { id: string; type?: string }) => v.id === 'mapcoderLite.steps' && v.type === 'webview'));
  });
});
