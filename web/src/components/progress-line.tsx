import { percent } from '../lib/format';

/** A labelled progress bar (the native element, so assistive technology reads its value). */
export function ProgressLine({ label, loaded, total }: { label: string; loaded: number; total: number }) {
  return (
    <div class="progress-line">
      <progress max={100} value={percent(loaded, total)} aria-label={label} />
      <span class="progress-figure" aria-hidden="true">
        {percent(loaded, total)}%
      </span>
    </div>
  );
}
