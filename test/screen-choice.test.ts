import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseScreen, ciSet } from '../source/run/screen-choice.js';

const flags = { headless: false, json: false, quiet: false, tui: false };

test('CI as CI services set it; empty, 0 and false are not CI', () => {
  for (const value of ['true', '1', 'yes', 'woodpecker']) assert.equal(ciSet(value), true, value);
  for (const value of [undefined, '', ' ', '0', 'false', 'FALSE']) assert.equal(ciSet(value), false, value);
});

test('the live screen only on a terminal, without CI unless --tui, and never with a flag that asks for lines', () => {
  assert.deepEqual(chooseScreen(flags, true, false), { interactive: true, note: null });
  const ci = chooseScreen(flags, true, true);
  assert.equal(ci.interactive, false);
  assert.match(ci.note ?? '', /^CI is set: .*pass --tui/);
  assert.equal(chooseScreen({ ...flags, tui: true }, true, true).interactive, true);
  assert.match(chooseScreen({ ...flags, tui: true }, false, true).note ?? '', /^no terminal/);
  for (const flag of ['headless', 'json', 'quiet'] as const)
    assert.deepEqual(chooseScreen({ ...flags, [flag]: true }, true, true), {
      interactive: false,
      note: null,
    });
});
