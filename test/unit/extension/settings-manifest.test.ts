import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allSettings } from '../../../src/extension/settings/table';

// Each setting is declared once, in the settings table; package.json's `contributes.configuration` is
// the manifest VS Code shows. These checks keep the two the same setting for setting.
const ROOT = resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { type: string; default: unknown; enum?: unknown[]; minimum?: number; maximum?: number }> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const declared = pkg.contributes.configuration.properties;

describe('settings table against package.json', () => {
  it('every entry has package.json\'s key, type and default', () => {
    for (const s of allSettings()) {
      const p = declared[`mapcoderLite.${s.key}`];
      assert.ok(p, `package.json declares mapcoderLite.${s.key}`);
      assert.equal(s.type, p.type, s.key);
      assert.deepEqual(s.default, p.default, s.key);
    }
  });

  it('package.json declares nothing the table lacks, and no key twice in the table', () => {
    const keys = allSettings().map((s) => `mapcoderLite.${s.key}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual(Object.keys(declared).filter((k) => !keys.includes(k)), []);
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.filter((k) => !keys.includes(k)), []);
  });

  it('enums and bounds are package.json\'s', () => {
    for (const s of allSettings()) {
      const p = declared[`mapcoderLite.${s.key}`];
      if (s.enum || p.enum) assert.deepEqual(s.enum, p.enum, `${s.key} enum`);
      if (s.minimum !== undefined || p.minimum !== undefined) assert.equal(s.minimum, p.minimum, `${s.key} minimum`);
      // The settings editor bounds k, t and temperature; the reader clamps only what the table says it does.
      if (s.maximum !== undefined) assert.equal(s.maximum, p.maximum, `${s.key} maximum`);
    }
  });

  it('each default reads as itself, with no problem', () => {
    for (const s of allSettings()) {
      const fromDefault = s.read(s.default);
      assert.equal(fromDefault.problem, undefined, s.key);
      assert.deepEqual(fromDefault.value, s.read(undefined).value, s.key);
    }
  });
});
