/**
 * The baseline for the transfer benchmark: the least an Express server can do to store and serve a file —
 * pipe the request body to a file, and a file to the response. No parsing, checks or database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import express from 'express';

const dir = process.env.DATA_DIR ?? '/tmp/bare-express';
const port = Number(process.env.PORT ?? 5600);
fs.mkdirSync(dir, { recursive: true });

const app = express();
app.post('/upload', async (req, res) => {
  await pipeline(req, fs.createWriteStream(path.join(dir, 'upload.bin')));
  res.status(201).json({ ok: true });
});
app.get('/download', (_req, res) => {
  const file = path.join(dir, 'upload.bin');
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', String(fs.statSync(file).size));
  fs.createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(res);
});
app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});
const server = app.listen(port, '127.0.0.1', () => process.send?.('ready'));
server.requestTimeout = 0;
