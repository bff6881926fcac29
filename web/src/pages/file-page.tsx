/**
 * `/f/<file_id>#<file key>`: a file shared by link. The key stays in the fragment; the page downloads the
 * ciphertext, decrypts it as it arrives (with progress) and offers the plaintext once all of it authenticated.
 */
import { isSealroomError, parseFileLink } from '@sealroom/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Navigate } from '../app';
import { PageHeading } from '../components/page-heading';
import { ProgressLine } from '../components/progress-line';
import { formatBytes, formatDateTime, formatRemaining } from '../lib/format';
import { badLink, problemFrom, type Problem } from '../lib/problems';
import { collectStream, offerDownload } from '../lib/save-file';
import { sealroomClient } from '../lib/sealroom-client';
import { ProblemPage } from './problem-page';

type State =
  | { state: 'ready' }
  | { state: 'running'; loaded: number; total: number }
  | { state: 'saved'; size: number }
  | { state: 'problem'; problem: Problem };

export function FilePage({ navigate }: { navigate: Navigate }) {
  const [link] = useState(() => location.href);
  const fileId = useState(() => {
    try {
      return parseFileLink(link).fileId;
    } catch {
      return null;
    }
  })[0];
  const [state, setState] = useState<State>(() => (fileId === null ? { state: 'problem', problem: badLink() } : { state: 'ready' }));
  const [expiresAt, setExpiresAt] = useState<number | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = async () => {
    const abort = new AbortController();
    controller.current = abort;
    setState({ state: 'running', loaded: 0, total: 0 });
    try {
      const download = await sealroomClient().downloadFile(link, {
        signal: abort.signal,
        onProgress: ({ loaded, total }) => setState({ state: 'running', loaded, total }),
      });
      setExpiresAt(download.expiresAt);
      setState((s) => (s.state === 'running' ? { ...s, total: download.size } : s));
      const blob = await collectStream(download.stream, '');
      offerDownload(blob, `sealroom-${fileId}`);
      setState({ state: 'saved', size: download.size });
    } catch (error) {
      if (isSealroomError(error, 'ABORTED')) setState({ state: 'ready' });
      else setState({ state: 'problem', problem: problemFrom(error) });
    } finally {
      controller.current = null;
    }
  };

  if (state.state === 'problem') {
    return <ProblemPage problem={state.problem} navigate={navigate} />;
  }
  return (
    <main id="main" class="page page-narrow" data-page="file">
      <section class="card" aria-labelledby="file-title">
        <div id="file-title">
          <PageHeading focus>A file was shared with you</PageHeading>
        </div>
        <p class="lead">
          It is decrypted here, in your browser, with the key in this link. The server only has ciphertext, and deletes it after a while.
        </p>
        {state.state === 'ready' && (
          <button type="button" class="button primary wide" onClick={start}>
            Download and decrypt
          </button>
        )}
        {state.state === 'running' && (
          <div class="transfer">
            <ProgressLine label="Downloading and decrypting" loaded={state.loaded} total={state.total} />
            <button type="button" class="button small" onClick={() => controller.current?.abort()}>
              Cancel<span class="visually-hidden"> the download</span>
            </button>
          </div>
        )}
        {state.state === 'running' && state.total > 0 && <p class="muted">{formatBytes(state.total)}</p>}
        {state.state === 'saved' && (
          <p class="file-status" role="status">
            Decrypted and saved ({formatBytes(state.size)}).
          </p>
        )}
        {expiresAt !== undefined && (
          <p class="muted">
            The server deletes it at <time dateTime={new Date(expiresAt).toISOString()}>{formatDateTime(expiresAt)}</time> (
            {formatRemaining(expiresAt) || 'now'}).
          </p>
        )}
      </section>
    </main>
  );
}
