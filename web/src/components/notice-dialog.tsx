/** A modal notice (e.g. a file over the server's limit): it takes the focus, Escape or OK closes it. */
import { useEffect, useRef } from 'preact/hooks';
import type { Problem } from '../lib/problems';

export function NoticeDialog({ problem, onClose }: { problem: Problem | null; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (problem && !el.open) el.showModal();
    if (!problem && el.open) el.close();
  }, [problem]);

  return (
    <dialog ref={dialog} class="notice-dialog" aria-labelledby="notice-title" data-problem={problem?.kind} onClose={onClose}>
      {problem && (
        <>
          <h2 id="notice-title">{problem.title}</h2>
          <p>{problem.detail}</p>
          <div class="actions">
            <button type="button" class="button primary" autoFocus onClick={() => dialog.current?.close()}>
              OK
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
