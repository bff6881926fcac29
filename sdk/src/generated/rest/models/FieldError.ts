// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
export type FieldError = {
  /**
   * Where the problem is, e.g. `body.room_id` or `query.filename`.
   */
  field: string;
  message: string;
};

