import pkg from '../package.json';

/** The server's version; the API and the SDK share it. */
export const VERSION: string = pkg.version;
