// A mail sink for bench:email, in its own process: a real SMTP server (smtp-server) on loopback that accepts every
// message, reads it to the end and counts it. Prints "listening <port>" and, when asked on stdin, the count.
import { SMTPServer } from 'smtp-server';

let accepted = 0;
let bytes = 0;
const server = new SMTPServer({
  secure: false, disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false, maxClients: 200,
  onData(stream, _session, done) {
    stream.on('data', (chunk) => { bytes += chunk.length; });
    stream.on('end', () => { accepted++; done(null, `2.0.0 Ok: queued as ${accepted}`); });
  },
});
// A connection reset by the client is not the sink's failure.
server.on('error', () => {});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.server.address().port}\n`);
});
process.stdin.on('data', () => process.stdout.write(`accepted ${accepted} ${bytes}\n`));
process.stdin.on('end', () => server.close(() => process.exit(0)));
