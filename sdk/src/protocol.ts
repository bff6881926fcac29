/** The wire protocol this SDK speaks (PROTOCOL.md): sent in `create_room`, `upload_file` and `room:join`. */
export const PROTOCOL_VERSION = 'sealroom/v2';
