/** Files on their way out: encrypting, then uploading, each with a progress bar and a cancel button. */
import { formatBytes } from '../lib/format';
import { ProgressLine } from './progress-line';

export interface Upload {
  key: string;
  name: string;
  size: number;
  phase: 'encrypting' | 'uploading' | 'announcing';
  loaded: number;
  controller: AbortController;
  error?: string;
}

export function UploadList({ uploads, onDismiss }: { uploads: Upload[]; onDismiss(key: string): void }) {
  if (uploads.length === 0) return null;
  return (
    <ul class="uploads" aria-label="Files being sent">
      {uploads.map((upload) => (
        <li key={upload.key} class="upload">
          <div class="upload-head">
            <span class="file-name">{upload.name}</span>
            <span class="muted">{formatBytes(upload.size)}</span>
          </div>
          {upload.error ? (
            <>
              <p class="file-status error" role="alert">
                Not sent: {upload.error}
              </p>
              <button type="button" class="button small" onClick={() => onDismiss(upload.key)}>
                Dismiss<span class="visually-hidden"> the failed upload of {upload.name}</span>
              </button>
            </>
          ) : (
            <div class="transfer">
              <span class="phase">
                {upload.phase === 'encrypting' ? 'Encrypting' : upload.phase === 'uploading' ? 'Uploading' : 'Sharing'}
              </span>
              <ProgressLine label={`Sending ${upload.name}`} loaded={upload.loaded} total={upload.size} />
              <button type="button" class="button small" disabled={upload.phase === 'announcing'} onClick={() => upload.controller.abort()}>
                Cancel<span class="visually-hidden"> sending {upload.name}</span>
              </button>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
