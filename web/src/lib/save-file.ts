/**
 * Saving a decrypted download. The plaintext stream is gathered into a Blob (browsers keep large Blobs on
 * disk rather than in the page's memory) and only once the stream has closed without error, that is once
 * every record authenticated and the end of the file was seen, is it offered to the browser to save.
 */
export async function collectStream(stream: ReadableStream<Uint8Array>, type: string): Promise<Blob> {
  return new Response(stream, { headers: type ? { 'Content-Type': type } : {} }).blob();
}

export function offerDownload(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The browser has started the download by then; keep the URL a little so slow starts still work.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A name the browser may save under: the sender's name without folders, control characters or a leading dot,
 * at most 200 characters; `fallback` when nothing usable is left. (Browsers sanitise too; this keeps what the
 * page shows and what is saved the same.)
 */
export function safeFileName(name: string | undefined, fallback: string): string {
  if (name === undefined) return fallback;
  const cleaned = (name.split(/[/\\]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/^[.\s]+/, '')
    .trim();
  return cleaned === '' ? fallback : Array.from(cleaned).slice(0, 200).join('');
}
