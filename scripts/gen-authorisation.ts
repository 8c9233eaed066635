/**
 * Writes docs/authorisation.md from the authorisation table and the roles' permissions
 * (`npm run docs:authz`). packages/server/test/docs/authorisation.test.ts fails when they differ.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { authorisationDoc } from '../packages/server/src/auth/authz-doc.ts';

const path = new URL('../docs/authorisation.md', import.meta.url);
const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
const after = authorisationDoc();
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'docs/authorisation.md is up to date' : 'docs/authorisation.md rewritten');
