/**
 * bench/support/profile-minutes.ts: what BENCHMARKS.md's minute-by-minute profile tables are computed with.
 * A hand-made profile whose samples fall on both sides of the windows' edges.
 */
import { busiestFunctions, splitProfile, type CpuProfile } from '../../../bench/support/profile-minutes';

const frame = (id: number, functionName: string, url = '', lineNumber = -1) => ({ id, callFrame: { functionName, url, lineNumber } });

// Samples at 100 (idle), 200 (encode), 300 (encode), 400 (writev), 500 (idle), 600 (encode), 700 (writev);
// each sample's time runs to the next one (100 µs each), the last one's is unknown and not counted.
const profile: CpuProfile = {
  nodes: [
    frame(1, '(idle)'),
    frame(2, 'encodeAsString', 'file:///srv/app/node_modules/socket.io-parser/build/cjs/index.js', 76),
    frame(3, 'writev'),
    frame(4, 'sendMessage', 'file:///srv/app/dist/src/realtime/handlers/message.handler.js', 17),
  ],
  startTime: 0,
  samples: [1, 2, 2, 3, 1, 2, 3, 4],
  timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100],
};

describe('splitting a CPU profile at given times', () => {
  it('counts each sample in the window it falls in, busy time without idle, and leaves out what lies outside', () => {
    const [first, second] = splitProfile(profile, [150, 450, 750]);
    expect(first.busyUs).toBe(300); // 200, 300, 400; the idle sample at 100 is before the first edge
    expect(Object.fromEntries(first.selfUs)).toEqual({ 'encodeAsString socket.io-parser/build/cjs/index.js:77': 200, writev: 100 });
    expect(second.busyUs).toBe(200); // 600, 700; 500 is idle
    expect(second.selfUs.get('(idle)')).toBe(100);
    // The sample at 800 is the last: how long it ran is unknown, so it counts nowhere.
    expect(second.selfUs.has('sendMessage dist/src/realtime/handlers/message.handler.js:18')).toBe(false);
  });

  it('names the busiest functions over all the windows, idle time left out', () => {
    const windows = splitProfile(profile, [0, 450, 900]);
    expect(busiestFunctions(windows, 2)).toEqual(['encodeAsString socket.io-parser/build/cjs/index.js:77', 'writev']);
  });

  it('keeps the server’s own files recognisable by their place in the build', () => {
    const withLast = { ...profile, samples: [...profile.samples, 1], timeDeltas: [...profile.timeDeltas, 100] };
    const [window] = splitProfile(withLast, [0, 1000]);
    expect(window.selfUs.get('sendMessage dist/src/realtime/handlers/message.handler.js:18')).toBe(100);
  });
});
