/** A page for something that stops the visit: a bad link, a wrong password, a room or file that is gone. */
import type { Navigate } from '../app';
import { PageHeading } from '../components/page-heading';
import { homePath } from '../lib/app-location';
import type { Problem } from '../lib/problems';

interface ProblemPageProps {
  problem: Problem;
  navigate: Navigate;
  /** A first action, e.g. "Try again". */
  retry?: { label: string; onClick: () => void };
}

export function ProblemPage({ problem, navigate, retry }: ProblemPageProps) {
  return (
    <main id="main" class="page page-narrow" data-page="problem" data-problem={problem.kind}>
      <section class="card problem" aria-labelledby="problem-title">
        <div class={`problem-icon problem-icon-${problem.kind}`} aria-hidden="true" />
        <div id="problem-title">
          <PageHeading focus>{problem.title}</PageHeading>
        </div>
        <p class="lead">{problem.detail}</p>
        <div class="actions">
          {retry && (
            <button type="button" class="button primary" onClick={retry.onClick}>
              {retry.label}
            </button>
          )}
          <button type="button" class={`button ${retry ? '' : 'primary'}`} onClick={() => navigate(homePath())}>
            Go to the start page
          </button>
        </div>
      </section>
    </main>
  );
}
