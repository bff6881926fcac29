/** The conversation: messages, files and arrivals/departures in the order they came, newest kept in view. */
import type { RoomFile, RoomMember } from '@sealroom/sdk';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { formatDateTime, formatTime } from '../lib/format';
import { RichText } from '../lib/rich-text';
import { FileCard } from './file-card';
import { initials } from './member-list';

export type Entry =
  | { kind: 'message'; key: string; from: RoomMember; text: string; at: number; status: 'sending' | 'sent' | 'failed'; error?: string }
  | { kind: 'file'; key: string; file: RoomFile }
  | { kind: 'notice'; key: string; text: string; at: number; tone?: 'warn'; tag?: string };

export function Timeline({ entries, now, stick }: { entries: Entry[]; now: number; stick: { current: boolean } }) {
  const box = useRef<HTMLDivElement>(null);

  // Newest in view: follow the end while the reader is there (or has just sent something), not while they
  // scroll back through older messages.
  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [entries, stick]);

  const onScroll = () => {
    const el = box.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 96;
  };

  return (
    <div ref={box} class="timeline" role="log" aria-label="Messages" tabIndex={0} onScroll={onScroll}>
      {entries.length === 0 && <p class="empty">No messages yet. Messages are not kept: only people here now will see them.</p>}
      <ol>
        {entries.map((entry) => {
          if (entry.kind === 'notice') {
            return (
              <li key={entry.key} class={`notice ${entry.tone ?? ''}`} data-notice={entry.tag} {...(entry.tone ? { role: 'alert' } : {})}>
                <span>{entry.text}</span> <time dateTime={new Date(entry.at).toISOString()}>{formatTime(entry.at)}</time>
              </li>
            );
          }
          const from = entry.kind === 'message' ? entry.from : entry.file.from;
          const at = entry.kind === 'message' ? entry.at : entry.file.sentAt;
          return (
            <li key={entry.key} class={`bubble-row ${from.self ? 'own' : ''}`} data-kind={entry.kind}>
              {!from.self && (
                <span class="avatar" aria-hidden="true">
                  {initials(from.name)}
                </span>
              )}
              <article
                class={`bubble ${entry.kind === 'message' ? entry.status : ''}`}
                aria-label={`${from.self ? 'You' : (from.name ?? 'Unknown')}, ${formatTime(at)}`}
              >
                <header class="bubble-head">
                  <span class="sender">{from.self ? 'You' : (from.name ?? 'Unknown')}</span>
                  <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
                    {formatTime(at)}
                  </time>
                </header>
                {entry.kind === 'message' ? (
                  <>
                    <div class="text">
                      <RichText text={entry.text} />
                    </div>
                    {entry.status === 'sending' && <p class="status">Sending…</p>}
                    {entry.status === 'failed' && (
                      <p class="status error" role="alert">
                        Not sent: {entry.error}
                      </p>
                    )}
                  </>
                ) : (
                  <FileCard file={entry.file} now={now} />
                )}
              </article>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
