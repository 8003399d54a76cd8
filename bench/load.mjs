// A load generator in its own process (so it does not share the server's event loop): autocannon over a list of
// paths taken at random. Reads {url, paths, connections, seconds, headers} as JSON from the file named on the command
// line and prints autocannon's result as JSON.
import autocannon from 'autocannon';
import { readFile } from 'node:fs/promises';

const { url, paths, connections, seconds, headers } = JSON.parse(await readFile(process.argv[2], 'utf8'));
const result = await autocannon({
  url, connections, duration: seconds, headers,
  requests: [{ setupRequest: (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] }) }],
});
process.stdout.write(JSON.stringify({ average: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, statusCodeStats: result.statusCodeStats }));
