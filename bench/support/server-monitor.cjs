/**
 * Preloaded into each benchmarked server (`node --require`): measures what the load generator cannot see from
 * outside, the same way for Sealroom and the bare relay. On an IPC message `'stats'` it replies with the figures
 * since the previous one: garbage-collection pauses (count, total and longest), the event loop's delay
 * percentiles, and the V8 heap in use; and when it answered, on the monotonic clock a V8 CPU profile's sample times
 * use (microseconds), so that a profile of the run can be split at the benchmark's minutes.
 */
'use strict';
const { monitorEventLoopDelay } = require('node:perf_hooks');

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let gc = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count++;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

process.on('message', (message) => {
  if (message !== 'stats' || !process.send) return;
  process.send({
    gcCount: gc.count,
    gcTotalMs: gc.totalMs,
    gcMaxMs: gc.maxMs,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
    clockUs: Number(process.hrtime.bigint() / 1000n),
  });
  gc = { count: 0, totalMs: 0, maxMs: 0 };
  loop.reset();
});
