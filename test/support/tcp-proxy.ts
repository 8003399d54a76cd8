import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Cuts every open connection at once, as a database restart or a network reset would. */
  reset(): void;
  /** Stops passing bytes either way without closing anything: a database that hangs. */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

/** A loopback TCP relay in front of a real server, for failures a test cannot ask the server itself to have. */
export async function tcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  const server: Server = createServer((client) => {
    const upstream = createConnection(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    if (stalled) { client.pause(); upstream.pause(); }
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => { pairs.delete(pair); client.destroy(); upstream.destroy(); };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const reset = () => {
    for (const [a, b] of pairs) { a.resetAndDestroy(); b.resetAndDestroy(); }
    pairs.clear();
  };
  return {
    port: (server.address() as { port: number }).port,
    reset,
    stall() {
      stalled = true;
      for (const [a, b] of pairs) { a.pause(); b.pause(); }
    },
    resume() {
      stalled = false;
      for (const [a, b] of pairs) { a.resume(); b.resume(); }
    },
    async close() {
      reset();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
