// s3rver (a fake S3 server on the filesystem) as a process of its own, for tests and benchmarks:
// `node s3rver-process.cjs <port> <directory> <bucket>` prints "listening" once the bucket exists.
// Two gaps in s3rver 3.7.1 that Sealroom's S3 store meets are filled here, so that tests see S3's behaviour:
// - AbortMultipartUpload (DELETE ?uploadId=) is refused with MethodNotAllowed; S3 deletes the upload's parts.
// - A Range ending at byte 0 (`bytes=0-0`, a first-byte read) is served as the whole object (`end || Infinity`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');
const S3Object = require('s3rver/lib/models/object');

const [port, directory, bucket] = process.argv.slice(2);

const getObject = FilesystemStore.prototype.getObject;
FilesystemStore.prototype.getObject = async function (b, key, options) {
  if (!options || options.end !== 0 || options.start !== 0) return getObject.call(this, b, key, options);
  const whole = await getObject.call(this, b, key, {});
  if (!whole) return null;
  if (whole.content) whole.content.destroy();
  const range = { start: 0, end: 0 };
  if (whole.size === 0) return Object.assign(new S3Object(b, key, null, whole.metadata), { range });
  const content = fs.createReadStream(this.getResourcePath(b, key, 'object'), range);
  return Object.assign(new S3Object(b, key, content, whole.metadata), { range });
};

const server = new S3rver({ port: Number(port), address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] });
server.middleware.unshift(async (ctx, next) => {
  const uploadId = ctx.query.uploadId;
  if (ctx.method !== 'DELETE' || typeof uploadId !== 'string') return next();
  if (!/^[\w-]+$/.test(uploadId)) ctx.throw(400);
  const [, name] = ctx.path.split('/');
  fs.rmSync(path.join(directory, name, '._S3rver_uploads', uploadId), { recursive: true, force: true });
  ctx.status = 204;
});
server.run().then(
  () => process.stdout.write('listening\n'),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
