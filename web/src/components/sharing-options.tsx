/**
 * "Sharing options" for the files sent next: how long the server keeps them and after how many downloads it
 * deletes them ("burn after reading"), within the server's limits (`file_age_ms` from /config).
 */
import { formatMinutes } from '../lib/format';

export interface SharingChoice {
  /** Seconds; null = the server's file age limit. */
  expiresIn: number | null;
  /** null = no limit. */
  maxDownloads: number | null;
}

const LIFETIMES = [5 * 60, 60 * 60, 24 * 60 * 60, 7 * 24 * 60 * 60];
const DOWNLOAD_LIMITS = [1, 3, 10];

export function SharingOptions({
  choice,
  onChange,
  fileAgeMs,
}: {
  choice: SharingChoice;
  onChange(choice: SharingChoice): void;
  fileAgeMs: number;
}) {
  const limitSeconds = Math.floor(fileAgeMs / 1000);
  const lifetimes = LIFETIMES.filter((s) => s < limitSeconds);
  const summary = [
    choice.expiresIn === null ? null : `kept ${formatMinutes(choice.expiresIn / 60)}`,
    choice.maxDownloads === null ? null : choice.maxDownloads === 1 ? 'one download' : `${choice.maxDownloads} downloads`,
  ].filter(Boolean);
  return (
    <details class="sharing-options">
      <summary>Sharing options{summary.length > 0 && <span class="sharing-summary">: {summary.join(', ')}</span>}</summary>
      <div class="sharing-fields">
        <div class="field">
          <label for="share-expiry">Delete files after</label>
          <select
            id="share-expiry"
            value={choice.expiresIn === null ? '' : String(choice.expiresIn)}
            onChange={(e) => onChange({ ...choice, expiresIn: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
          >
            {lifetimes.map((s) => (
              <option key={s} value={String(s)}>
                {formatMinutes(s / 60)}
              </option>
            ))}
            <option value="">{formatMinutes(Math.round(limitSeconds / 60))} (the longest this server keeps them)</option>
          </select>
        </div>
        <div class="field">
          <label for="share-downloads">Download limit</label>
          <select
            id="share-downloads"
            value={choice.maxDownloads === null ? '' : String(choice.maxDownloads)}
            onChange={(e) => onChange({ ...choice, maxDownloads: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
          >
            <option value="">No limit</option>
            {DOWNLOAD_LIMITS.map((n) => (
              <option key={n} value={String(n)}>
                {n === 1 ? '1 download, then deleted (burn after reading)' : `${n} downloads, then deleted`}
              </option>
            ))}
          </select>
        </div>
        <p class="hint">For the files you send next. Showing an image preview counts as a download.</p>
      </div>
    </details>
  );
}
