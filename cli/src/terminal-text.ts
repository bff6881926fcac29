/**
 * Text from other people (messages, display names, file names, server messages) made safe to print on a
 * terminal: it cannot move the cursor, erase lines, set the window title, switch character sets, reorder
 * what follows (bidi controls) or, through an embedded line break, forge a line that seems to come from
 * someone else. Such characters are shown escaped instead (`\x1b`, `\u202e`), so that nothing is hidden.
 */

/**
 * C0 controls (but tab), DEL, C1 controls, and the Unicode format characters that reorder or hide text: the
 * bidi marks, embeddings, overrides and isolates, and the line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Line breaks, including the Unicode ones, that split a message into lines. */
// eslint-disable-next-line no-control-regex -- vertical tab and form feed break lines on some terminals
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029\u0085\u000b\u000c]/;

const escape = (c: string): string => {
  const code = c.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line of someone else's text: every control character, line breaks included, shown escaped. */
export function safeInline(text: string): string {
  return text.replace(/\t/g, ' ').replace(/\n/g, '\\n').replace(UNSAFE, escape);
}

/**
 * A possibly multi-line message as terminal lines: the first after `prefix`, each following one after a
 * continuation mark indented under it, so that a line break in a message cannot pass for a new message.
 */
export function safeLines(prefix: string, text: string): string {
  // `prefix` is made of safe parts (the clock, a name through safeInline).
  const [first = '', ...rest] = text.split(LINE_BREAK).map(safeInline);
  const continuation = '        | '; // under the text of `[HH:MM] name: `; no message line starts with a space
  return [`${prefix}${first}`, ...rest.map((line) => `${continuation}${line}`)].join('\n');
}
