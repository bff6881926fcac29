/**
 * Splits a V8 CPU profile (the `.cpuprofile` JSON that `node --cpu-prof` writes) at given times: each
 * window's self time per function, and how long the main thread was busy in it (everything but `(idle)`).
 */

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  samples: number[];
  /** Microseconds from the previous sample (from `startTime` for the first). */
  timeDeltas: number[];
}

export interface ProfileWindow {
  busyUs: number;
  /** Self time per function (`name url:line`, package paths from the package on), in microseconds. */
  selfUs: Map<string, number>;
}

const IDLE = '(idle)';

/** A function's name and where it is, as short as still tells them apart. */
function frameLabel(f: CpuProfile['nodes'][number]['callFrame']): string {
  const where = f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(dist|bench)\//, '$1/');
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}:${f.lineNumber + 1}` : ''}`;
}

/**
 * The windows between consecutive `boundariesUs` (on the profile's clock, ascending). A sample's time runs to
 * the next sample; samples before the first boundary or after the last are left out.
 */
export function splitProfile(profile: CpuProfile, boundariesUs: number[]): ProfileWindow[] {
  const labels = new Map(profile.nodes.map((node) => [node.id, frameLabel(node.callFrame)]));
  const windows: ProfileWindow[] = boundariesUs.slice(1).map(() => ({ busyUs: 0, selfUs: new Map() }));
  let at = profile.startTime;
  let w = 0;
  for (let i = 0; i + 1 < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    while (w < windows.length && at >= boundariesUs[w + 1]) w++;
    if (at < boundariesUs[0] || w === windows.length) continue;
    const label = labels.get(profile.samples[i]) ?? '?';
    const spent = profile.timeDeltas[i + 1];
    const window = windows[w];
    window.selfUs.set(label, (window.selfUs.get(label) ?? 0) + spent);
    if (label !== IDLE) window.busyUs += spent;
  }
  return windows;
}

/** The `count` functions with the most self time over all the windows, busiest first (idle time left out). */
export function busiestFunctions(windows: ProfileWindow[], count: number): string[] {
  const total = new Map<string, number>();
  for (const { selfUs } of windows) for (const [label, us] of selfUs) if (label !== IDLE) total.set(label, (total.get(label) ?? 0) + us);
  return [...total]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([label]) => label);
}
