/** Where the CLI writes: results on stdout (so scripts can capture them), everything else on stderr. */
export function result(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function info(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Human-readable byte count (binary units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The server to use when a command has no link to take it from. */
export function defaultServer(): string {
  return process.env.SEALROOM_SERVER ?? `http://localhost:${process.env.PORT ?? '5000'}`;
}
