// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { ErrorCode } from './ErrorCode.js';
import type { FieldError } from './FieldError.js';
/**
 * The JSON body of every error response.
 */
export type ErrorBody = {
  error: {
    details?: Array<FieldError>;
    message: string;
    code: ErrorCode;
  };
};

