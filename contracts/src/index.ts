/**
 * @sealroom/contracts: what the server and its clients share, generated from the two contracts. The server's
 * Socket.IO handlers and the SDK are typed with the same event declarations (from asyncapi.yaml), and every
 * side reads the error codes from the same list (the OpenAPI `ErrorCode` schema).
 */
export * from './generated/error-codes.js';
export * from './generated/realtime-events.js';
