// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/** Each multipart operation's form fields in the order of its schema in spec/openapi.json ("METHOD /path"). */
export const MULTIPART_FIELD_ORDER: Readonly<Record<string, readonly string[]>> = {
  "POST /upload_file": ["protocol", "room_id", "proof", "size", "download_key", "file_info", "file", "max_downloads", "expires_in"],
};
