/**
 * Writes the state machines into docs/architecture.md from the domain's transition tables
 * (`npm run docs:architecture`). packages/server/test/docs/architecture.test.ts fails when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withStateMachines } from '@liandong/domain';

const path = new URL('../docs/architecture.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withStateMachines(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'docs/architecture.md is up to date' : 'docs/architecture.md rewritten');
