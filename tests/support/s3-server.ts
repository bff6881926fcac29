/**
 * A real S3-protocol server for tests: s3rver (npm) in a child process of its own, on a free loopback port, with
 * its objects in a temporary folder (see s3rver-process.cjs for the S3 behaviours it adds). A child process
 * keeps its memory out of the tests' measurements and its logger's exception handlers out of Jest.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server';

/** s3rver accepts only its own fixed keys. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3TestServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** Where s3rver keeps the objects: `<dir>/<bucket>/<key>._S3rver_object` and the like. */
  dir: string;
  /** Multipart uploads neither completed nor aborted (S3 keeps their parts, invisible to listings). */
  pendingUploads(): string[];
  /** The server environment for BLOB_STORE=s3 against this server (credentials included, for child processes). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts s3rver with `bucket` made, and puts s3rver's credentials in this process's environment, where the AWS
 * SDK's default chain finds them (Jest gives each test file its own copy of process.env).
 */
export async function startS3Server(bucket = 'sealroom-test'): Promise<S3TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-s3-'));
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, 's3rver-process.cjs'), String(port), dir, bucket], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${stderr}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}: ${stderr}`));
    });
  });
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    dir,
    env: {
      BLOB_STORE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    },
    pendingUploads: () => {
      const uploads = path.join(dir, bucket, '._S3rver_uploads');
      return fs.existsSync(uploads) ? fs.readdirSync(uploads) : [];
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
