/**
 * `/f/<file_id>#<file key>`: a file shared by link. The key stays in the fragment. On load the page asks the
 * server about the file with a download proof made from the key (not counted as a download) and opens the
 * uploader's sealed info: it shows the file's name, type and size, when it expires and how many downloads are
 * left, or says at once that the file is missing or expired. Downloading decrypts as the ciphertext arrives
 * (with progress) and offers the plaintext under the file's own name once all of it authenticated.
 */
import { SealroomServerError, isSealroomError, parseFileLink, type FileInfo } from '@sealroom/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Navigate } from '../app';
import { PageHeading } from '../components/page-heading';
import { ProgressLine } from '../components/progress-line';
import { formatBytes, formatDateTime, formatRemaining } from '../lib/format';
import { badLink, problemFrom, type Problem } from '../lib/problems';
import { collectStream, offerDownload, safeFileName } from '../lib/save-file';
import { sealroomClient } from '../lib/sealroom-client';
import { ProblemPage } from './problem-page';

type State =
  | { state: 'checking' }
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
  const [state, setState] = useState<State>(() => (fileId === null ? { state: 'problem', problem: badLink() } : { state: 'checking' }));
  const [info, setInfo] = useState<FileInfo | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  useEffect(() => {
    if (fileId === null) return;
    const abort = new AbortController();
    sealroomClient()
      .getFileInfo(link, { signal: abort.signal })
      .then(
        (value) => {
          // Its download limit reached: the server refuses any new download, so it is as good as gone.
          if (value.downloadsLeft === 0) {
            setState({ state: 'problem', problem: problemFrom(new SealroomServerError('FILE_NOT_FOUND', 'no downloads left')) });
            return;
          }
          setInfo(value);
          setState({ state: 'ready' });
        },
        (error: unknown) => {
          if (abort.signal.aborted) return;
          // A wrong key makes a wrong download proof: the link's key does not belong to this file.
          if (isSealroomError(error, 'PROOF_INVALID')) setState({ state: 'problem', problem: badLink() });
          else if (isSealroomError(error, 'FILE_NOT_FOUND')) setState({ state: 'problem', problem: problemFrom(error) });
          else setState({ state: 'ready' }); // the server could not say: downloading may still work, and says why not
        },
      );
    return () => abort.abort();
  }, [link, fileId]);

  const start = async () => {
    const abort = new AbortController();
    controller.current = abort;
    setState({ state: 'running', loaded: 0, total: info?.size ?? 0 });
    try {
      const download = await sealroomClient().downloadFile(link, {
        signal: abort.signal,
        onProgress: ({ loaded, total }) => setState({ state: 'running', loaded, total }),
      });
      setState((s) => (s.state === 'running' ? { ...s, total: download.size } : s));
      const blob = await collectStream(download.stream, info?.type ?? '');
      offerDownload(blob, safeFileName(info?.name, `sealroom-${fileId}`));
      setState({ state: 'saved', size: download.size });
      setInfo((i) => (i && i.downloadsLeft !== null ? { ...i, downloadsLeft: Math.max(0, i.downloadsLeft - 1) } : i));
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
  const named = info?.name !== undefined;
  return (
    <main id="main" class="page page-narrow" data-page="file" data-file-state={state.state}>
      <section class="card" aria-labelledby="file-title">
        <div id="file-title">
          <PageHeading focus>{named ? `“${info.name}” was shared with you` : 'A file was shared with you'}</PageHeading>
        </div>
        <p class="lead">
          It is decrypted here, in your browser, with the key in this link. The server only has ciphertext, and deletes it after a while.
        </p>
        {state.state === 'checking' && (
          <p class="checking" aria-busy="true">
            Looking for the file…
          </p>
        )}
        {info && (
          <dl class="file-facts" data-file-info>
            {named && (
              <>
                <dt>Name</dt>
                <dd data-fact="name">{info.name}</dd>
              </>
            )}
            {info.type && (
              <>
                <dt>Type</dt>
                <dd data-fact="type">{info.type}</dd>
              </>
            )}
            <dt>Size</dt>
            <dd data-fact="size">{formatBytes(info.size)}</dd>
            <dt>Expires</dt>
            <dd data-fact="expires">
              <time dateTime={new Date(info.expiresAt).toISOString()}>{formatDateTime(info.expiresAt)}</time> (
              {formatRemaining(info.expiresAt) || 'now'})
            </dd>
            {info.downloadsLeft !== null && (
              <>
                <dt>Downloads left</dt>
                <dd data-fact="downloads-left">
                  {info.downloadsLeft} of {info.maxDownloads}
                </dd>
              </>
            )}
          </dl>
        )}
        {!named && info && <p class="muted">The sender attached no name to this file; it is saved under its id.</p>}
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
        {state.state === 'saved' && (
          <p class="file-status" role="status">
            Decrypted and saved{named ? ` as “${safeFileName(info.name, '')}”` : ''} ({formatBytes(state.size)}).
          </p>
        )}
      </section>
    </main>
  );
}
