/** `sealroom serve` runs the server from the environment, answers /health, and stops cleanly on SIGTERM. */
import fs from 'node:fs';
import { freePort, tempDataDir } from '../support/server';
import { LiveCli, spawnCli } from './cli-process';

jest.setTimeout(60_000);

it('serve answers /health and exits 0 on SIGTERM', async () => {
  const port = await freePort();
  const dataDir = tempDataDir();
  const cli = new LiveCli(spawnCli(['serve'], { env: { PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir } }));
  try {
    let health: Response | undefined;
    const deadline = Date.now() + 30_000;
    while (!health && Date.now() < deadline && cli.child.exitCode === null) {
      health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      if (!health) await new Promise((r) => setTimeout(r, 100));
    }
    expect(health?.status).toBe(200);
    expect(await health!.json()).toMatchObject({ status: 'ok' });
    expect(fs.existsSync(`${dataDir}/sealroom.sqlite`)).toBe(true);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  } finally {
    cli.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

it('serve with a bad setting stops at once with exit 2 and names it', async () => {
  const dataDir = tempDataDir();
  const cli = new LiveCli(spawnCli(['serve'], { env: { PORT: 'not-a-port', DATA_DIR: dataDir } }));
  expect(await cli.exited).toBe(2);
  expect(cli.stderr).toMatch(/PORT/);
  fs.rmSync(dataDir, { recursive: true, force: true });
});
