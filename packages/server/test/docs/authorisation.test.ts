import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authorisationDoc } from '../../src/auth/authz-doc.ts';

describe('docs/authorisation.md', () => {
  it('is the matrix as the rule table and the roles’ permissions are now (run `npm run docs:authz` after changing one)', () => {
    const doc = readFileSync(new URL('../../../../docs/authorisation.md', import.meta.url), 'utf8');
    expect(doc).toBe(authorisationDoc());
  });
});
