// npm run bench:web — the web app's initial JavaScript and CSS as a browser downloads them: bytes and gzipped bytes.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root } from './bench-database.mjs';

const dir = join(root, 'web', 'dist');
const html = await readFile(join(dir, 'index.html'), 'utf8');
// What index.html loads before anything else: its scripts, module preloads and stylesheets.
const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let js = 0;
for (const file of initial) {
  const bytes = await readFile(join(dir, file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (file.endsWith('.js')) js += gz;
  console.log(`${file}: ${(bytes.length / 1024).toFixed(1)} KB, gzipped ${(gz / 1024).toFixed(1)} KB`);
}
console.log(`initial JavaScript, gzipped: ${(js / 1024).toFixed(1)} KB (goal < 250 KB); ${(await readdir(join(dir, 'assets'))).length} files built`);
