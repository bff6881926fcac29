/**
 * The main entry is browser-safe: esbuild bundles it for the browser platform (where `node:*` modules do not
 * resolve), and nothing from the Node-only helpers ends up in the bundle.
 */
import path from 'node:path';
import { build } from 'esbuild';

const SDK = path.resolve(__dirname, '..');

describe('browser entry', () => {
  it('bundles for browsers without any Node module', async () => {
    const result = await build({
      entryPoints: [path.join(SDK, 'src', 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('socket.io-client'))).toBe(true);
    expect(inputs.filter((input) => /(^|\/)node:|sdk\/src\/node/.test(input))).toEqual([]);
    // socket.io-client's browser build: no `ws` (Node's websocket package) in the bundle.
    expect(inputs.filter((input) => /node_modules\/ws\//.test(input))).toEqual([]);
    const code = result.outputFiles[0].text;
    expect(code).toContain('SealroomClient');
  });

  it('does not bundle the Node entry for browsers', async () => {
    const failure = await build({
      entryPoints: [path.join(SDK, 'src', 'node.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    }).then(
      () => undefined,
      (error: { errors?: Array<{ text: string }> }) => error,
    );
    expect(failure?.errors?.some((e) => /node:/.test(e.text))).toBe(true);
  });
});
