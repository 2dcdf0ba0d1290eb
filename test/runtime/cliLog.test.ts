/**
 * `loop-lens record --verbose` and `--log-file`: the engine's log reaches the user, CDP traffic
 * included at trace with large payloads trimmed, tagged by area. The built CLI against a real
 * blocking process; waits on output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOCKER, cli, kill, startInspected } from './cliHelpers';

test('record --verbose prints the engine trace, CDP traffic trimmed; --log-file gets the same lines', async () => {
  const { proc: target, port } = await startInspected(BLOCKER);
  const logFile = join(mkdtempSync(join(tmpdir(), 'loop-lens-log-')), 'rec.log');
  // Until a stall was logged, not for a fixed time: on a busy machine (a stress run, load ~12) the
  // fixture's 150 ms CPU spin outlasted a 3 s recording once, and no beat reported it in time.
  const p = cli(['record', '--port', String(port), '--verbose', '--log-file', logFile]);
  try {
    await p.waitFor('stderr', /info \[attribution\] stall at/);
    p.child.kill('SIGINT');
    const { code } = await p.exited;
    assert.equal(code, 0, p.err().slice(-2000));
    const err = p.err();
    // What was sent and answered, and the agent's binding events, at trace.
    assert.match(
      err,
      /^\d\d:\d\d:\d\d\.\d{3} trace \[cdp\] → Runtime\.evaluate \{expression:"\(function/m,
    );
    assert.match(err, /trace \[cdp\] ← Runtime\.evaluate \(\d+ ms\) \{result:/);
    assert.match(err, /trace \[cdp\] ⇠ Runtime\.bindingCalled \{name:"__loopLensBinding_/);
    // The agent's source is trimmed, never printed whole.
    assert.match(err, /…\(\d+ chars\)/);
    assert.ok(!err.includes('loopLensHeartbeat'), 'no agent source in the log');
    assert.match(err, /info \[targets\] port target: inspector at ws:\/\//);
    assert.match(err, /trace \[agent\] installed as __loopLens_/);
    assert.match(err, /info \[attribution\] stall at \+[\d.]+ ms, [\d.]+ ms [a-z-]+: /);
    const file = readFileSync(logFile, 'utf8');
    assert.match(file, /trace \[cdp\] → Runtime\.addBinding/);
    assert.match(file, /info \[attribution\] stall at/);
  } finally {
    await kill(p);
    await kill(target);
  }
});

test('record without --verbose prints no log lines; a bad --log-file or --tuning is a clear usage error', async () => {
  const { proc: target, port } = await startInspected(BLOCKER);
  try {
    const quiet = cli(['record', '--port', String(port), '--duration', '1']);
    assert.equal((await quiet.exited).code, 0, quiet.err());
    assert.doesNotMatch(quiet.err(), /\[cdp\]|\[agent\]/);
    const badFile = cli(['record', '--port', String(port), '--log-file', '/nonexistent/dir/x.log']);
    assert.equal((await badFile.exited).code, 2);
    assert.match(
      badFile.err(),
      /loop-lens record: cannot write the log file \/nonexistent\/dir\/x\.log/,
    );
    const badTuning = cli(['record', '--port', String(port), '--tuning', 'liveness=sometimes']);
    assert.equal((await badTuning.exited).code, 2);
    assert.match(badTuning.err(), /--tuning liveness must be one of auto, ticks, wchan, eager/);
  } finally {
    await kill(target);
  }
});
