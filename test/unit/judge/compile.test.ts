import { strict as assert } from 'node:assert';
import { expandArgv, javaMainClass, relativeToBuild } from '../../../src/core/judge/compile';
import { scrubbedEnv } from '../../../src/core/judge/env';

describe('judge/compile helpers', () => {
  it('javaMainClass: the public class, whatever its modifiers', () => {
    assert.equal(javaMainClass('import java.util.*;\npublic class Solution {\n public static void main(String[] a) {}\n}'), 'Solution');
    assert.equal(javaMainClass('public final class Fast { }'), 'Fast');
    assert.equal(javaMainClass('class Helper {}\npublic class App { static class Inner {} }'), 'App');
  });

  it('javaMainClass: without a public class, the class that declares main; else Main', () => {
    assert.equal(javaMainClass('class Helper { }\nclass Runner {\n  public static void main(String[] args) { }\n}'), 'Runner');
    assert.equal(javaMainClass('class Helper { int x; }'), 'Main');
    assert.equal(javaMainClass(''), 'Main');
  });

  it('javaMainClass: ignores classes named in comments', () => {
    assert.equal(javaMainClass('// public class Wrong\n/* public class AlsoWrong */\npublic class Right {}'), 'Right');
  });

  it('expandArgv fills placeholders inside arguments and leaves unknown ones', () => {
    assert.deepEqual(
      expandArgv(['java', '-Xmx{mem}m', '-cp', '{dir}', '{main}', '{other}'], { mem: '256', dir: '/b', main: 'App' }),
      ['java', '-Xmx256m', '-cp', '/b', 'App', '{other}'],
    );
  });

  it('relativeToBuild strips the build directory from messages', () => {
    assert.equal(relativeToBuild('/tmp/x/b1/main.cpp:3:1: error\n/tmp/x/b1/main.cpp:4:1: note', '/tmp/x/b1'), 'main.cpp:3:1: error\nmain.cpp:4:1: note');
  });
});

describe('judge/env scrubbedEnv', () => {
  it('keeps PATH, locale and toolchain locations, points HOME and TMPDIR at the temp dir, drops the rest', () => {
    const env = scrubbedEnv('/tmp/run-1', {
      PATH: '/usr/bin', LANG: 'en_US.UTF-8', HOME: '/home/u', PYENV_ROOT: '/opt/pyenv',
      OPENAI_API_KEY: 'sk-secret', GITHUB_TOKEN: 'ghp', AWS_SECRET_ACCESS_KEY: 'x',
    });
    assert.equal(env.PATH, '/usr/bin');
    assert.equal(env.LANG, 'en_US.UTF-8');
    assert.equal(env.HOME, '/tmp/run-1');
    assert.equal(env.TMPDIR, '/tmp/run-1');
    assert.equal(env.PYENV_ROOT, '/opt/pyenv');
    for (const secret of ['OPENAI_API_KEY', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY']) assert.equal(env[secret], undefined);
  });
});
