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

/**
 * Text from the room or the server (names, messages, file names), made safe for a terminal: control characters
 * (escape sequences could move the cursor, rewrite earlier lines or retitle the window) and bidirectional
 * overrides (which reorder what is shown) become visible `\x1b`-style escapes; line breaks in messages become
 * `\n` when `multiline` is off.
 */
export function printable(text: string, multiline = false): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (multiline && char === '\n') out += '\n  ';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
      out += code === 0x0a ? '\\n' : code === 0x09 ? '\\t' : `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f)
      out += `\\u${code.toString(16)}`;
    else out += char;
  }
  return out;
}
