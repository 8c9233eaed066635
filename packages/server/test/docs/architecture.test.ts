import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withStateMachines } from '@liandong/domain';

describe('docs/architecture.md', () => {
  it('draws the state machines as the domain’s tables are now (run `npm run docs:architecture` after changing one)', () => {
    const doc = readFileSync(new URL('../../../../docs/architecture.md', import.meta.url), 'utf8');
    expect(doc).toBe(withStateMachines(doc));
  });
});
