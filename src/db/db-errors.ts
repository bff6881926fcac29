/**
 * Errors that mean "the database cannot be used right now" rather than "this request is wrong": network
 * failures, PostgreSQL's connection, resource and operator-intervention classes (08, 53, 57, 58), a database
 * that refuses connections (55000) or is missing (3D000), a query that got no answer within query_timeout (a
 * network partition), and SQLite's busy or unopenable file. Both edges
 * (REST and Socket.IO) answer these with SERVICE_UNAVAILABLE.
 */
export function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e.driverError?.code ?? e.code ?? '';
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'EHOSTUNREACH',
      '55000',
      '3D000',
      'SQLITE_BUSY',
      'SQLITE_CANTOPEN',
      'SQLITE_IOERR',
    ].includes(code) ||
    /^(08|53|57|58)[0-9A-Z]{3}$/.test(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Cannot use a pool after calling end|Client has encountered a connection error/i.test(
      e.message ?? '',
    )
  );
}

/** A unique or primary-key constraint refused an insert (PostgreSQL 23505, SQLite's UNIQUE/PRIMARY KEY failure). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string; message?: string }; message?: string };
  const code = e.driverError?.code ?? e.code ?? '';
  return code === '23505' || (code === 'SQLITE_CONSTRAINT' && /UNIQUE|PRIMARY KEY/.test(e.driverError?.message ?? e.message ?? ''));
}

/** A foreign key refused an insert: the row it references is gone (PostgreSQL 23503, SQLite's FOREIGN KEY failure). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string; message?: string }; message?: string };
  const code = e.driverError?.code ?? e.code ?? '';
  return code === '23503' || (code === 'SQLITE_CONSTRAINT' && /FOREIGN KEY/.test(e.driverError?.message ?? e.message ?? ''));
}
