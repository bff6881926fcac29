#!/usr/bin/env node
// The `sealroom` executable: the built CLI (cli/dist). A file of its own, present before any build, so that
// npm links the command when the package is installed (in this repository: at `npm ci`).
try {
  await import('../dist/sealroom.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/sealroom.js')) throw error;
  console.error('sealroom: the CLI is not built yet: run `npm run build` first');
  process.exit(1);
}
