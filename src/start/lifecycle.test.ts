import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';

/** Runs a small program using createLifecycle in a child process, sends it signals, returns its output and exit code. */
async function runWithSignals(body: string, signals: { at: number; signal: NodeJS.Signals }[]) {
  const lifecycle = path.join(__dirname, 'lifecycle.js');
  const program = `
    const { createLifecycle } = require(${JSON.stringify(lifecycle)});
    const out = { step() {}, line: (t) => console.log(t.trim()), warn: (t) => console.log('warning: ' + t), error() {} };
    const life = createLifecycle(out);
    ${body}
    console.log('ready');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  await new Promise<void>((resolve) => {
    const check = setInterval(() => output.includes('ready') && (clearInterval(check), resolve()), 10);
  });
  for (const { at, signal } of signals) setTimeout(() => child.kill(signal), at);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, lines: output.trim().split('\n') };
}

describe('createLifecycle (in a child process)', () => {
  it('on SIGTERM stops resources last-started-first and exits 0', async () => {
    const { code, lines } = await runWithSignals(
      `life.add('database', async () => console.log('stop database'));
       life.add('api', async () => console.log('stop api'));
       life.add('processor', async () => console.log('stop processor'));`,
      [{ at: 0, signal: 'SIGTERM' }],
    );
    assert.equal(code, 0);
    assert.deepEqual(lines, [
      'ready',
      'SIGTERM: stopping (press Ctrl-C again to force)…',
      'stop processor',
      'stop api',
      'stop database',
    ]);
  });

  it('forces the exit (130) on a second signal, killing what registered onForce', async () => {
    const { code, lines } = await runWithSignals(
      `life.add('stuck', () => new Promise(() => {}));
       life.onForce(() => console.log('kill processor'));`,
      [
        { at: 0, signal: 'SIGINT' },
        { at: 600, signal: 'SIGINT' },
      ],
    );
    assert.equal(code, 130);
    assert.deepEqual(lines, [
      'ready',
      'SIGINT: stopping (press Ctrl-C again to force)…',
      'SIGINT again: forcing exit',
      'kill processor',
    ]);
  });

  it("takes the same signal twice at once (the terminal's and npm's copy of a Ctrl-C) as one stop", async () => {
    const { code, lines } = await runWithSignals(
      `life.add('slow', () => new Promise((r) => setTimeout(r, 400)).then(() => console.log('stop slow')));
       life.onForce(() => console.log('kill processor'));`,
      [
        { at: 0, signal: 'SIGINT' },
        { at: 20, signal: 'SIGINT' },
      ],
    );
    assert.equal(code, 0);
    // Not forced: the slow resource stopped; onForce's kill also runs at any exit, after it.
    assert.deepEqual(lines, [
      'ready',
      'SIGINT: stopping (press Ctrl-C again to force)…',
      'stop slow',
      'kill processor',
    ]);
  });

  it('moves on when a resource does not stop in time, with a warning', async () => {
    const { code, lines } = await runWithSignals(
      `life.add('first', async () => console.log('stop first'));
       life.add('stuck', () => new Promise(() => {}), 100);`,
      [{ at: 0, signal: 'SIGTERM' }],
    );
    assert.equal(code, 0);
    assert.deepEqual(lines.slice(2), ['warning: stopping stuck: stuck did not stop within 0.1 s', 'stop first']);
  });
});
