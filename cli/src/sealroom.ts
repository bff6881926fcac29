#!/usr/bin/env node
/** The `sealroom` executable: runs the program and exits with its code (see program.ts and exit-codes.ts). */
import { EXIT } from './exit-codes.js';
import { run } from './program.js';

const serving = process.argv[2] === 'serve';
// `serve` shuts down gracefully on its own signal handlers; other commands stop at once on Ctrl-C.
if (!serving) process.on('SIGINT', () => process.exit(EXIT.INTERRUPTED));
const code = await run(process.argv);
// `serve` keeps running (its server holds the event loop); the other commands end here.
if (!serving || code !== EXIT.OK) process.exit(code);
