// s3rver (a fake S3 server on the filesystem) as a process of its own, for tests and benchmarks:
// `node s3rver-process.cjs <port> <directory> <bucket>` prints "listening" once the bucket exists.
// Gaps in s3rver 3.7.1 that Sealroom's S3 stores meet are filled here, so that tests see S3's behaviour:
// - AbortMultipartUpload (DELETE ?uploadId=) is refused with MethodNotAllowed; S3 deletes the upload's parts.
// - ListParts (GET ?uploadId=), which tus's S3 store asks to find where an upload stands, is refused the same
//   way; S3 lists the parts stored whole (s3rver writes a part's .md5 once the part is complete).
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
  if (!['DELETE', 'GET'].includes(ctx.method) || typeof uploadId !== 'string') return next();
  if (!/^[\w-]+$/.test(uploadId)) ctx.throw(400);
  const [, name, ...key] = ctx.path.split('/');
  const folder = path.join(directory, name, '._S3rver_uploads', uploadId);
  if (ctx.method === 'DELETE') {
    fs.rmSync(folder, { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  ctx.type = 'application/xml';
  if (!fs.existsSync(folder)) {
    ctx.status = 404;
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>${uploadId}</UploadId></Error>`;
    return;
  }
  const parts = fs
    .readdirSync(folder)
    .filter((f) => /^\d+$/.test(f) && fs.existsSync(path.join(folder, `${f}.md5`)))
    .map(Number)
    .sort((x, y) => x - y)
    .map((n) => {
      const stat = fs.statSync(path.join(folder, String(n)));
      const md5 = fs.readFileSync(path.join(folder, `${n}.md5`), 'utf8');
      return `<Part><PartNumber>${n}</PartNumber><LastModified>${stat.mtime.toISOString()}</LastModified><ETag>"${md5}"</ETag><Size>${stat.size}</Size></Part>`;
    });
  const xmlKey = decodeURIComponent(key.join('/')).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  ctx.body =
    `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Bucket>${name}</Bucket><Key>${xmlKey}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`;
});
server.run().then(
  () => process.stdout.write('listening\n'),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
