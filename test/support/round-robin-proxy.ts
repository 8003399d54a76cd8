import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface RoundRobinProxy { url: string; served: Map<number, number>; close(): Promise<void> }

/**
 * A load balancer on loopback: each HTTP request (and each websocket) goes to the next server in turn, with
 * X-Forwarded-For, as nginx or a cloud balancer would send it. A server that refuses the connection (stopped or
 * killed) is skipped, as a balancer's health check would.
 */
export async function roundRobinProxy(ports: number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const served = new Map<number, number>();
  const pick = (tried: Set<number>) => {
    for (let i = 0; i < ports.length; i++) {
      const port = ports[next++ % ports.length];
      if (!tried.has(port)) return port;
    }
    return undefined;
  };
  const headersOf = (req: IncomingMessage) => ({ ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1' });

  const server: Server = createServer((req, res) => {
    // The body is read first, so that a refused connection can be retried on the next server.
    const body: Buffer[] = [];
    req.on('data', (d: Buffer) => body.push(d));
    req.on('end', () => {
      const tried = new Set<number>();
      const attempt = () => {
        const port = pick(tried);
        if (port === undefined) return void res.writeHead(502).end('no server answers');
        tried.add(port);
        const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: headersOf(req) }, (answer) => {
          served.set(port, (served.get(port) ?? 0) + 1);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED' && !res.headersSent) attempt();
          else res.destroy();
        });
        upstream.end(Buffer.concat(body));
      };
      attempt();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const port = pick(new Set())!;
    const upstream = connect(port, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(headersOf(req)).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)];
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const end = () => { socket.destroy(); upstream.destroy(); };
    upstream.on('error', end);
    socket.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
