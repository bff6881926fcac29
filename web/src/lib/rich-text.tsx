/**
 * Light Markdown for messages, rendered safely: the text is parsed here into Preact elements, never set as
 * HTML, so nothing in a message can become markup. Supported: ```code blocks```, `inline code`, **strong**,
 * *emphasis* / _emphasis_, and http(s) links, which open in a new tab with rel="noopener noreferrer" and are
 * never fetched by the page (no previews, no prefetch). Everything else is shown as written.
 */
import type { ComponentChildren } from 'preact';

type Inline = ComponentChildren;

const LINK = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Trailing punctuation that usually ends a sentence rather than the link. */
const LINK_TAIL = /[.,;:!?)\]}'"]+$/;

/** Splits text into plain runs and clickable links. */
function linkify(text: string, key: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    let url = match[0];
    const tail = LINK_TAIL.exec(url);
    // Keep a closing parenthesis that has an opening one in the link (Wikipedia-style URLs).
    if (tail && !(tail[0].startsWith(')') && url.includes('('))) url = url.slice(0, url.length - tail[0].length);
    const start = match.index;
    if (start > last) out.push(text.slice(last, start));
    let href: string | null = null;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') href = parsed.href;
    } catch {
      href = null;
    }
    out.push(
      href === null ? (
        url
      ) : (
        <a key={`${key}-l${start}`} href={href} target="_blank" rel="noopener noreferrer nofollow" referrerpolicy="no-referrer">
          {url}
        </a>
      ),
    );
    last = start + url.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Emphasis and strong (may contain links), then links in what is left. */
function emphasis(text: string, key: string): Inline[] {
  const out: Inline[] = [];
  // **strong**, *em* or _em_: delimiters hug the text (no space inside), and single * and _ only at word
  // boundaries, so that 2*3*4 and snake_case_names stay as written.
  const pattern =
    /\*\*(?=\S)([\s\S]*?\S)\*\*|(?<![\p{L}\p{N}*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\p{L}\p{N}*])|(?<![\p{L}\p{N}])_(?=[^\s_])([^_]*?[^\s_])_(?![\p{L}\p{N}])/gu;
  let last = 0;
  let n = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) out.push(...linkify(text.slice(last, match.index), `${key}-t${n}`));
    const k = `${key}-e${n++}`;
    if (match[1] !== undefined) out.push(<strong key={k}>{emphasis(match[1], k)}</strong>);
    else out.push(<em key={k}>{emphasis(match[2] ?? match[3], k)}</em>);
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(...linkify(text.slice(last), `${key}-t${n}`));
  return out;
}

/** Inline code first (its content is literal), then emphasis and links around it. */
function inline(text: string, key: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  let n = 0;
  for (const match of text.matchAll(/`([^`\n]+)`/g)) {
    if (match.index > last) out.push(...emphasis(text.slice(last, match.index), `${key}-i${n}`));
    out.push(<code key={`${key}-c${n++}`}>{match[1]}</code>);
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(...emphasis(text.slice(last), `${key}-i${n}`));
  return out;
}

/** A message's text as elements: code blocks as <pre><code>, the rest as paragraphs-in-one with line breaks kept by CSS. */
export function RichText({ text }: { text: string }) {
  const parts: Inline[] = [];
  const fence = /```[^\n`]*\n?([\s\S]*?)```/g;
  let last = 0;
  let n = 0;
  const prose = (chunk: string) => {
    if (chunk !== '') parts.push(<span key={`p${n}`}>{inline(chunk, `p${n++}`)}</span>);
  };
  for (const match of text.matchAll(fence)) {
    prose(text.slice(last, match.index).replace(/\n$/, ''));
    parts.push(
      <pre key={`b${n++}`} class="code-block">
        <code>{match[1].replace(/\n$/, '')}</code>
      </pre>,
    );
    last = match.index + match[0].length;
  }
  prose(text.slice(last).replace(/^\n/, ''));
  return <>{parts}</>;
}
