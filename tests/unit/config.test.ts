import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it("keeps the original server's defaults and units", () => {
    const c = loadConfig({});
    expect(c.port).toBe(5000);
    expect(c.uploadLimitBytes).toBe(100 * 1024 * 1024); // UPLOAD_SIZE_LIMIT=100 MB
    expect(c.storageLimitBytes).toBe(1024 * 1024 * 1024); // FOLDER_SIZE_LIMIT=1 GB
    expect(c.fileAgeMs).toBe(10 * 60_000); // FILE_AGE_LIMIT=10 minutes
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.databaseUrl).toBeNull();
    expect(c.messageBacklog).toBe(0);
    expect(c.publicUrl).toBe('http://localhost:5000');
  });

  it('converts MB, GB and minutes, decimals included', () => {
    const c = loadConfig({ UPLOAD_SIZE_LIMIT: '0.5', FOLDER_SIZE_LIMIT: '2.5', FILE_AGE_LIMIT: '1.5', ROOM_AGE_LIMIT: '30' });
    expect(c.uploadLimitBytes).toBe(512 * 1024);
    expect(c.storageLimitBytes).toBe(Math.floor(2.5 * 1024 ** 3));
    expect(c.fileAgeMs).toBe(90_000);
    expect(c.roomIdleMs).toBe(30 * 60_000);
  });

  it('treats UPLOAD_SIZE_LIMIT=0 as uploads off, and empty strings as unset', () => {
    expect(loadConfig({ UPLOAD_SIZE_LIMIT: '0' }).uploadLimitBytes).toBe(0);
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(5000);
  });

  it.each([
    ['http://localhost', '5000', 'http://localhost:5000'],
    ['http://chat.example.org:8080', '5000', 'http://chat.example.org:8080'],
    ['https://chat.example.org', '5000', 'https://chat.example.org'],
    ['https://chat.example.org/sealroom/', '5000', 'https://chat.example.org/sealroom'],
    ['http://localhost', '80', 'http://localhost'],
  ])('makes links from BASE_URL=%s and PORT=%s: %s', (base, port, expected) => {
    expect(loadConfig({ BASE_URL: base, PORT: port }).publicUrl).toBe(expected);
  });

  it('reads TRUST_PROXY as a boolean, a hop count or a list', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(loadConfig({}).trustProxy).toBe(false);
  });

  it('splits CORS_ORIGINS', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('lists every bad variable at once, by name', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', UPLOAD_SIZE_LIMIT: '-1', BASE_URL: 'ftp://x', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'UPLOAD_SIZE_LIMIT', 'BASE_URL', 'DATABASE_URL', 'LOG_LEVEL']) expect(problems).toContain(name);
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '1.5'],
    ['FOLDER_SIZE_LIMIT', 'lots'],
    ['FILE_AGE_LIMIT', '0'],
    ['MESSAGE_BACKLOG', '-3'],
    ['REDIS_URL', 'localhost:6379'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  });

  describe('blob store', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    };

    it('keeps blobs in DATA_DIR/files unless BLOB_STORE=s3', () => {
      expect(loadConfig({}).blobStore).toEqual({ kind: 'local' });
    });

    it('reads an S3-compatible server: path-style by default with an endpoint, the prefix as a folder', () => {
      expect(
        loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'files', S3_ENDPOINT: 'http://minio:9000', S3_PREFIX: 'sealroom' }).blobStore,
      ).toEqual({
        kind: 's3',
        bucket: 'files',
        endpoint: 'http://minio:9000',
        region: 'us-east-1',
        forcePathStyle: true,
        prefix: 'sealroom/',
        createBucket: false,
      });
    });

    it('reads AWS S3: virtual-hosted style unless told otherwise, a region, bucket creation on request', () => {
      expect(
        loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'my.bucket-1', S3_REGION: 'eu-west-3', S3_CREATE_BUCKET: 'true' }).blobStore,
      ).toEqual({
        kind: 's3',
        bucket: 'my.bucket-1',
        endpoint: null,
        region: 'eu-west-3',
        forcePathStyle: false,
        prefix: '',
        createBucket: true,
      });
      const minio = { BLOB_STORE: 's3', S3_BUCKET: 'b12', S3_ENDPOINT: 'https://s3.example', S3_FORCE_PATH_STYLE: 'false' };
      expect(loadConfig(minio).blobStore).toMatchObject({ forcePathStyle: false });
    });

    it.each([
      [{ BLOB_STORE: 'disk' }, 'BLOB_STORE: must be local or s3'],
      [{ BLOB_STORE: 's3' }, 'S3_BUCKET: is required with BLOB_STORE=s3'],
      [{ BLOB_STORE: 's3', S3_BUCKET: 'No_Such' }, 'S3_BUCKET: must be an S3 bucket name'],
      [{ BLOB_STORE: 's3', S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT: must be an http:// or https:// URL'],
      [{ BLOB_STORE: 's3', S3_BUCKET: 'ok-bucket', S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE: must be true or false'],
      [{ BLOB_STORE: 's3', S3_BUCKET: 'ok-bucket', S3_PREFIX: '/abs' }, 'S3_PREFIX: must be'],
      [{ BLOB_STORE: 's3', S3_BUCKET: 'ok-bucket', UPLOAD_SIZE_LIMIT: '6000' }, 'UPLOAD_SIZE_LIMIT: must be at most 5120'],
      [{ S3_BUCKET: 'ok-bucket' }, 'S3_BUCKET: is only used with BLOB_STORE=s3'],
    ])('refuses %j: %s', (env, message) => {
      expect(problems(env as Record<string, string>).some((p) => p.startsWith(message))).toBe(true);
    });
  });
});
