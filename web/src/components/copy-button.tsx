import { useEffect, useState } from 'preact/hooks';

/** Copies `text` to the clipboard and says so (politely, for screen readers too). */
export function CopyButton({
  text,
  label,
  copiedLabel = 'Copied',
  describe,
  onCopied,
}: {
  text: string;
  label: string;
  copiedLabel?: string;
  describe?: string;
  /** After a successful copy (e.g. to fold the invite box away). */
  onCopied?: () => void;
}) {
  const [copied, setCopied] = useState<null | 'ok' | 'failed'>(null);
  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(null), 2500);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('ok');
      onCopied?.();
    } catch {
      setCopied('failed'); // no clipboard access (insecure context, permission): the text stays selectable
    }
  };

  return (
    <>
      <button type="button" class="button" onClick={copy} {...(describe ? { 'aria-label': describe } : {})}>
        {copied === 'ok' ? copiedLabel : label}
      </button>
      <span class="visually-hidden" aria-live="polite">
        {copied === 'ok' ? copiedLabel : copied === 'failed' ? 'Copying failed; select the text and copy it yourself.' : ''}
      </span>
    </>
  );
}
