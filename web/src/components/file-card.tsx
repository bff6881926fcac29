/** A file shared in the room: who sent it, its size, when it expires, and downloading it with progress. */
import { isSealroomError, type RoomFile } from '@sealroom/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes, formatDateTime, formatRemaining, formatTime } from '../lib/format';
import { errorSentence } from '../lib/problems';
import { collectStream, offerDownload } from '../lib/save-file';
import { sealroomClient } from '../lib/sealroom-client';
import { CopyButton } from './copy-button';
import { ProgressLine } from './progress-line';

/** Images shown inline when asked: decrypted here, only these types, only up to this size. */
const PREVIEW_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export const PREVIEW_MAX_BYTES = 10 * 1024 * 1024;

export function canPreview(file: Pick<RoomFile, 'type' | 'size'>): boolean {
  return PREVIEW_TYPES.has(file.type) && file.size <= PREVIEW_MAX_BYTES;
}

type Preview = { state: 'none' } | { state: 'loading' } | { state: 'shown'; url: string } | { state: 'failed'; message: string };

type Download =
  | { state: 'idle' }
  | { state: 'running'; loaded: number; total: number; controller: AbortController }
  | { state: 'saved' }
  | { state: 'failed'; message: string };

export function FileCard({ file, now }: { file: RoomFile; now: number }) {
  const [download, setDownload] = useState<Download>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const expired = file.expiresAt <= now;
  const [preview, setPreview] = useState<Preview>({ state: 'none' });
  // The decrypted image lives in a blob: URL of this page only; it is released with the card.
  useEffect(() => () => void (preview.state === 'shown' && URL.revokeObjectURL(preview.url)), [preview]);

  // A preview is a download (it counts against a download limit), so it is fetched only when asked for.
  const showPreview = async () => {
    setPreview({ state: 'loading' });
    try {
      const { stream } = await sealroomClient().downloadFile(file);
      const blob = await collectStream(stream, file.type);
      setPreview({ state: 'shown', url: URL.createObjectURL(blob) });
    } catch (error) {
      setPreview({ state: 'failed', message: errorSentence(error) });
    }
  };

  const start = async () => {
    const abort = new AbortController();
    controller.current = abort;
    setDownload({ state: 'running', loaded: 0, total: file.size, controller: abort });
    try {
      const { stream } = await sealroomClient().downloadFile(file, {
        signal: abort.signal,
        onProgress: ({ loaded, total }) => setDownload({ state: 'running', loaded, total, controller: abort }),
      });
      const blob = await collectStream(stream, file.type);
      offerDownload(blob, file.name);
      setDownload({ state: 'saved' });
    } catch (error) {
      setDownload(isSealroomError(error, 'ABORTED') ? { state: 'idle' } : { state: 'failed', message: errorSentence(error) });
    } finally {
      controller.current = null;
    }
  };

  return (
    <div class="file-card" data-file-id={file.id}>
      <div class="file-icon" aria-hidden="true">
        {extension(file.name)}
      </div>
      <div class="file-body">
        <p class="file-name">{file.name}</p>
        <p class="file-meta">
          {formatBytes(file.size)} ·{' '}
          {expired ? (
            <span class="expired">expired</span>
          ) : (
            <span class="expires" title={formatDateTime(file.expiresAt)}>
              expires at <time dateTime={new Date(file.expiresAt).toISOString()}>{formatTime(file.expiresAt)}</time> (
              {formatRemaining(file.expiresAt, now)})
            </span>
          )}
        </p>
        {download.state === 'running' && (
          <div class="transfer">
            <ProgressLine label={`Downloading and decrypting ${file.name}`} loaded={download.loaded} total={download.total} />
            <button type="button" class="button small" onClick={() => download.controller.abort()}>
              Cancel<span class="visually-hidden"> the download of {file.name}</span>
            </button>
          </div>
        )}
        {download.state === 'saved' && <p class="file-status">Decrypted and saved.</p>}
        {preview.state === 'shown' && <img class="image-preview" src={preview.url} alt={file.name} />}
        {preview.state === 'loading' && <p class="file-status">Decrypting the image…</p>}
        {preview.state === 'failed' && (
          <p class="file-status error" role="alert">
            {preview.message}
          </p>
        )}
        {download.state === 'failed' && (
          <p class="file-status error" role="alert">
            {download.message}
          </p>
        )}
      </div>
      <div class="file-actions">
        {download.state !== 'running' && (
          <button type="button" class="button small primary" disabled={expired} onClick={start}>
            Download<span class="visually-hidden"> {file.name}</span>
          </button>
        )}
        {!expired && canPreview(file) && preview.state === 'none' && (
          <button type="button" class="button small" onClick={showPreview}>
            Show image<span class="visually-hidden"> {file.name}</span>
          </button>
        )}
        {!expired && <CopyButton text={file.link} label="Copy link" describe={`Copy a link to ${file.name}`} />}
      </div>
    </div>
  );
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  return ext.length > 0 && ext.length <= 4 ? ext.toUpperCase() : 'FILE';
}
