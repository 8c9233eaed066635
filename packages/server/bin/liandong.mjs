#!/usr/bin/env node
// Entry point of the `liandong` CLI. The sources are TypeScript, loaded through tsx so that
// `npx liandong` works straight after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
