/**
 * A WebCrypto key. Written as "what `crypto.subtle.importKey` gives" rather than as the DOM's `CryptoKey`, so
 * that the SDK's declarations also type-check for Node programs compiled without the DOM library (Node's
 * types have `crypto.subtle` but no global `CryptoKey` type).
 */
export type WebCryptoKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;
