import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/project-root.js';

export interface CrmProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the URL once the server prints that it is running; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built server (`dist/src/main.js`) or CLI as its own process, as `npm start` and `crm` do. */
export function runCrm(env: Record<string, string | undefined>, entry = 'dist/src/main.js', args: string[] = []): CrmProcess {
  const child = spawn(process.execPath, [join(projectRoot(), entry), ...args], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // CRM_TEST_DEBUG=1 keeps each process's output in /tmp for a look after a hang or failure.
  const keep = process.env.CRM_TEST_DEBUG ? (d: Buffer) => appendFileSync(`/tmp/crm-test-${child.pid}.log`, d) : () => {};
  child.stdout!.on('data', (d) => { output += d; keep(d); });
  child.stderr!.on('data', (d) => { output += d; keep(d); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const watch = () => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', watch);
    exited.then((code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  ready.catch(() => {});
  return {
    child, ready, exited,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
