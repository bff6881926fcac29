/**
 * Loads `@sealroom/sdk/node` at run time. The SDK is ESM only, and this package compiles to CommonJS, where
 * tsc rewrites `import()` into `require()` (which cannot load the SDK's `import`-only exports). A Function
 * keeps a real dynamic import that tsc leaves alone; the types still come from the SDK's sources.
 */
import type * as SdkNode from '@sealroom/sdk/node';

export type Sdk = typeof SdkNode;

const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

let loaded: Promise<Sdk> | undefined;

export function loadSdk(): Promise<Sdk> {
  loaded ??= importEsm('@sealroom/sdk/node') as Promise<Sdk>;
  return loaded;
}
