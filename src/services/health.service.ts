export type DependencyState = 'ok' | 'down';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  dependencies: Record<string, DependencyState>;
  uptimeSeconds: number;
}

/** A named dependency the server needs, with a cheap probe that throws when it is unusable. */
export type DependencyProbe = () => Promise<void>;

const PROBE_TIMEOUT_MS = 2_000;

/** Probes the database (and, in a cluster, Redis); the server is healthy only when all answer. */
export class HealthService {
  private readonly startedAt = Date.now();
  private readonly probes: Map<string, DependencyProbe>;

  constructor(probes: Record<string, DependencyProbe>) {
    this.probes = new Map(Object.entries(probes));
  }

  async check(): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.probes].map(async ([name, probe]) => [name, (await withTimeout(probe())) ? 'ok' : 'down'] as const),
    );
    const dependencies = Object.fromEntries(entries);
    return {
      status: entries.every(([, state]) => state === 'ok') ? 'ok' : 'unavailable',
      dependencies,
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
    };
  }
}

async function withTimeout(probe: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      probe.then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
