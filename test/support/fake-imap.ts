import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

interface StoredMessage { uid: number; raw: Buffer; seen: boolean }

/**
 * A small IMAP4rev1 server on loopback (RFC 3501: LOGIN, SELECT, SEARCH, FETCH BODY[], STORE, LOGOUT) standing in for
 * the operator's bounce mailbox, so the real imapflow client reads from it. It keeps one INBOX in memory.
 */
export async function startFakeImap(user: string, pass: string) {
  const inbox: StoredMessage[] = [];
  const commands: string[] = [];
  let nextUid = 1;
  const sockets = new Set<Socket>();
  const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s);
  const seqSet = (set: string, byUid: boolean) => {
    const ids = new Set<number>();
    for (const part of set.split(',')) {
      const [a, b] = part.split(':');
      const max = byUid ? nextUid : inbox.length;
      const from = a === '*' ? max : Number(a);
      const to = b === undefined ? from : b === '*' ? max : Number(b);
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) ids.add(i);
    }
    return inbox.filter((m, i) => ids.has(byUid ? m.uid : i + 1));
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let selected = false;
    const send = (line: string | Buffer) => socket.write(line);
    send('* OK [CAPABILITY IMAP4rev1 UIDPLUS] fake bounce mailbox ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        commands.push(line.replace(/^(\S+ LOGIN \S+ ).*/i, '$1***'));
        const [tag, rawCommand, ...rest] = line.match(/"(?:[^"\\]|\\.)*"|\([^)]*\)|\S+/g) ?? [];
        const command = (rawCommand ?? '').toUpperCase();
        const ok = (text = 'done') => send(`${tag} OK ${text}\r\n`);
        if (command === 'CAPABILITY') { send('* CAPABILITY IMAP4rev1 UIDPLUS\r\n'); ok(); }
        else if (command === 'LOGIN') {
          if (unquote(rest[0] ?? '') === user && unquote(rest[1] ?? '') === pass) ok('[CAPABILITY IMAP4rev1 UIDPLUS] logged in');
          else send(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
        } else if (command === 'NOOP' || command === 'CHECK') ok();
        else if (command === 'LIST') {
          if (unquote(rest[1] ?? '') === '') send('* LIST (\\Noselect) "/" ""\r\n');
          else send('* LIST (\\HasNoChildren) "/" INBOX\r\n');
          ok();
        } else if (command === 'SELECT' || command === 'EXAMINE') {
          selected = true;
          send(`* FLAGS (\\Seen \\Deleted)\r\n* ${inbox.length} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT ${nextUid}] next\r\n* OK [PERMANENTFLAGS (\\Seen \\Deleted)] flags\r\n`);
          ok(`[${command === 'SELECT' ? 'READ-WRITE' : 'READ-ONLY'}] selected`);
        } else if (!selected && ['SEARCH', 'FETCH', 'STORE', 'UID'].includes(command)) send(`${tag} BAD no mailbox selected\r\n`);
        else {
          const byUid = command === 'UID';
          const verb = (byUid ? rest.shift() ?? '' : command).toUpperCase();
          if (verb === 'SEARCH') {
            const unseen = rest.some((r) => r.toUpperCase() === 'UNSEEN');
            const hits = inbox.map((m, i) => ({ m, n: i + 1 })).filter(({ m }) => !unseen || !m.seen);
            send(`* SEARCH${hits.map(({ m, n }) => ` ${byUid ? m.uid : n}`).join('')}\r\n`);
            ok();
          } else if (verb === 'FETCH') {
            for (const m of seqSet(rest[0], byUid)) {
              const n = inbox.indexOf(m) + 1;
              const wantsBody = /BODY(\.PEEK)?\[\]/i.test(rest.slice(1).join(' '));
              send(`* ${n} FETCH (UID ${m.uid} FLAGS (${m.seen ? '\\Seen' : ''})${wantsBody ? ` BODY[] {${m.raw.length}}\r\n` : ')\r\n'}`);
              if (wantsBody) { send(m.raw); send(')\r\n'); }
            }
            ok();
          } else if (verb === 'STORE') {
            const add = /^\+FLAGS/i.test(rest[1] ?? '');
            const flags = rest.slice(2).join(' ');
            for (const m of seqSet(rest[0], byUid)) {
              if (/\\Seen/i.test(flags)) m.seen = add;
              if (!/SILENT/i.test(rest[1] ?? '')) send(`* ${inbox.indexOf(m) + 1} FETCH (UID ${m.uid} FLAGS (${m.seen ? '\\Seen' : ''}))\r\n`);
            }
            ok();
          } else if (command === 'CLOSE' || command === 'UNSELECT') { selected = false; ok(); }
          else if (command === 'LOGOUT') { send('* BYE logging out\r\n'); ok(); socket.end(); }
          else send(`${tag} BAD unknown command ${command}\r\n`);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    commands,
    deliver(raw: Buffer | string) {
      inbox.push({ uid: nextUid++, raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw), seen: false });
    },
    unseen: () => inbox.filter((m) => !m.seen).length,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
