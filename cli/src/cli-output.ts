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
  return process.env.SEALROOM_SERVER || `http://localhost:${process.env.PORT || '5000'}`;
}

/**
 * A duration such as `90s`, `10m`, `2h`, `1d` (or plain seconds) in seconds; null when it is not one.
 * Units: s, m (minutes), h, d.
 */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,9})\s*(s|sec|m|min|h|d)?$/i.exec(text.trim());
  if (!match) return null;
  const n = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  const seconds = n * (unit.startsWith('s') ? 1 : unit.startsWith('m') ? 60 : unit === 'h' ? 3600 : 86_400);
  return seconds >= 1 ? seconds : null;
}

/** 90 -> "1 min 30 s", 7200 -> "2 h". */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  const units: Array<[number, string]> = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  let left = seconds;
  for (const [size, name] of units) {
    if (left >= size) {
      parts.push(`${Math.floor(left / size)} ${name}`);
      left %= size;
    }
  }
  return parts.join(' ') || '0 s';
}
