import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';

/** Starts the server from the environment: `npm start`, `sealroom serve` and the Docker image all land here. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }

  const sealroom = await buildApp(config);
  const { server, log } = sealroom;
  server.listen(config.port, () => {
    log.info(
      { port: config.port, publicUrl: config.publicUrl, dataDir: config.dataDir, database: config.databaseUrl ? 'postgres' : 'sqlite' },
      'Sealroom is listening',
    );
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    sealroom.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  main().catch((err) => {
    console.error('Sealroom failed to start:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
