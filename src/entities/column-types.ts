import type { ValueTransformer } from 'typeorm';

/**
 * Times are Unix milliseconds in BIGINT columns: the same type and the same comparisons on SQLite and
 * PostgreSQL. node-postgres returns BIGINT as a string, so it is turned back into a number here.
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
