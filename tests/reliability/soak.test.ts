import { runSoak, type SoakReport } from './soak-runner';

/**
 * The short soak of the default suite: fewer clients for less time than `npm run soak`, the same accounting.
 * It asserts correctness only (nothing lost, duplicated or invented, every file byte-exact, file descriptors back
 * to their baseline); the memory figures are printed, and the long run asserts them.
 */
describe('short soak: clients chat and share files while joining, leaving and reconnecting at random', () => {
  let report: SoakReport;

  beforeAll(async () => {
    report = await runSoak({
      clients: Number(process.env.SOAK_CLIENTS ?? 20),
      rooms: Number(process.env.SOAK_ROOMS ?? 4),
      durationMs: Number(process.env.SOAK_SECONDS ?? 20) * 1000,
      thinkMs: 250,

      log: (line) => console.log(line),
    });
  }, 180_000);

  it('loses, duplicates and invents no message, for any recipient', () => {
    expect(report.messagesSent).toBeGreaterThan(0);
    expect(report.deliveriesChecked).toBeGreaterThan(0);
    expect({ lost: report.lost, duplicated: report.duplicated, invented: report.invented }).toEqual({
      lost: [],
      duplicated: [],
      invented: [],
    });
  });

  it('serves every shared file byte for byte', () => {
    expect(report.filesShared).toBeGreaterThan(0);
    expect(report.downloadsChecked).toBeGreaterThanOrEqual(report.filesShared);
    expect(report.corruptFiles).toEqual([]);
  });

  it('completes every action and every event matches asyncapi.yaml', () => {
    expect(report.joins).toBeGreaterThan(report.clients);
    expect(report.failedActions).toEqual([]);
    expect(report.contractViolations).toEqual([]);
  });

  it('gives back every file descriptor once the clients are gone', () => {
    expect(report.fdPeak).toBeGreaterThan(report.fdBaseline); // the count does see the connections
    expect(report.fdAfter).toBeLessThanOrEqual(report.fdBaseline);
  });
});
