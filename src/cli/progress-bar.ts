import type { ImportProgress } from '../crm/ingestion/file-importer.js';

const fmt = (n: number) => n.toLocaleString('en');

/** A one-line progress bar on a terminal; a line every few seconds when the output is a file or a pipe. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  let lastPrinted = 0;
  return (p: ImportProgress) => {
    const fraction = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const left = p.secondsLeft === null ? '…' : `${Math.ceil(p.secondsLeft)} s left`;
    const text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(fraction * 100)}%  ${fmt(p.lines)} lines  ${fmt(p.linesPerSecond)} lines/s  ${left}`;
    if (stream.isTTY) stream.write(`\r${text}\x1b[K`);
    else if (Date.now() - lastPrinted > 2000) {
      lastPrinted = Date.now();
      stream.write(`${text}\n`);
    }
  };
}
