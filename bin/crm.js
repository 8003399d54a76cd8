#!/usr/bin/env -S node --max-semi-space-size=16
// The `crm` command: runs the compiled CLI, building it first when dist/ is missing (a fresh clone).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', env: { ...process.env, CRM_SKIP_WEB_BUILD: '1' } });
}
await import(entry);
