/**
 * The Docker HEALTHCHECK: asks this container's own server for /health. A Node script because the slim
 * image has no curl; exits 0 when healthy, 1 otherwise.
 */
import http from 'node:http';

const port = Number(process.env.PORT ?? 5000);
const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 4_000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', () => process.exit(1));
