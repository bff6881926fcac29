// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * How much of the storage quota and of the uploads at once one client or one room may hold, and how slow an upload may be.
 */
export type UploadPolicy = {
  /**
   * Bytes of the quota one address group (an IPv4 address, an IPv6 /64) may hold, stored files and uploads in progress.
   */
  max_bytes_per_ip: number;
  /**
   * Bytes of the quota one room may hold, stored files and uploads in progress.
   */
  max_bytes_per_room: number;
  /**
   * Uploads in progress at once from one address group.
   */
  max_uploads_per_ip: number;
  /**
   * Uploads in progress at once into one room.
   */
  max_uploads_per_room: number;
  /**
   * Bytes per second an upload must keep up over any `rate_grace_ms` window, its first included; 0: no minimum.
   */
  min_rate_bytes_per_s: number;
  rate_grace_ms: number;
};

