// Compiles the server (src/, migrations/, mcp/) to dist/ with SWC and builds the web app with Vite.
// Only files newer than their output are recompiled, so `npm start` after the first build costs well under a second.
import { transformFile } from '@swc/core';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const sources = ['src', 'migrations', 'mcp'];
const swcrc = JSON.parse(await readFile(join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.tsx?$/.test(entry.name) && !/\.(spec|d)\.tsx?$/.test(entry.name)) yield path;
  }
}

const mtime = (path) => stat(path).then((s) => s.mtimeMs, () => 0);

let compiled = 0;
const expected = new Set();
for (const dir of sources) {
  for await (const file of walk(join(root, dir))) {
    const target = join(out, relative(root, file)).replace(/\.tsx?$/, '.js');
    expected.add(target);
    if ((await mtime(target)) >= (await mtime(file))) continue;
    const { code, map } = await transformFile(file, { ...swcrc, swcrc: false, filename: file, sourceMaps: true });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    await writeFile(`${target}.map`, map);
    compiled++;
  }
}

// Remove output whose source is gone, so a deleted migration never keeps running from dist/.
async function prune(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await prune(path);
    else if (path.endsWith('.js') && !expected.has(path)) await rm(path).then(() => rm(`${path}.map`, { force: true }));
  }
}
for (const dir of sources) await prune(join(out, dir));

if (process.env.CRM_SKIP_WEB_BUILD !== '1') {
  const webOut = join(root, 'web', 'dist', 'index.html');
  let newest = 0;
  for await (const file of walk(join(root, 'web', 'src'))) newest = Math.max(newest, await mtime(file));
  newest = Math.max(newest, await mtime(join(root, 'web', 'index.html')), await mtime(join(root, 'web', 'vite.config.ts')));
  if ((await mtime(webOut)) < newest) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  }
}
if (compiled && process.env.CRM_BUILD_QUIET !== '1') console.error(`built ${compiled} server file(s)`);
