/**
 * The one shape of an audit row written by SQL, `INSERT INTO audit_events (…) SELECT … FROM …`: for
 * the audit repository's batch insert, and for statements that audit the rows they change in the
 * same statement (the claim and release of a call, the retention purge), which stay one statement
 * each. Each column is an SQL expression over `from` or the statement's parameters: callers pass
 * parameters, columns and `sqlConstant`s, never input.
 */
export interface AuditRowSql {
  username: string;
  /** A text[] expression (`rolesFromParam` for an AuditIdentity's comma-joined roles). */
  roles: string;
  action: string;
  entityType: string;
  entityId: string;
  establishmentCode: string;
  clientAddress: string;
  correlationId: string;
  /** A jsonb expression. */
  details: string;
  /** A text[] expression; left out, the row names no subjects (the column's default). */
  subjectIds?: string;
}

export function insertAuditRowsSql(row: AuditRowSql, from: string, returning?: string): string {
  const columns: [string, string][] = [
    ['username', row.username],
    ['roles', row.roles],
    ['action', row.action],
    ['entity_type', row.entityType],
    ['entity_id', row.entityId],
    ['establishment_code', row.establishmentCode],
    ['client_address', row.clientAddress],
    ['correlation_id', row.correlationId],
    ['details', row.details],
    ...(row.subjectIds === undefined ? [] : [['subject_ids', row.subjectIds] as [string, string]]),
  ];
  return (
    `INSERT INTO audit_events (${columns.map(([column]) => column).join(', ')})\n` +
    `SELECT ${columns.map(([, expression]) => expression).join(', ')}\n` +
    `FROM ${from}` +
    (returning ? `\nRETURNING ${returning}` : '')
  );
}

/** An action or entity type as an SQL constant. */
export function sqlConstant(value: string): string {
  if (!/^[A-Za-z_]+$/.test(value)) throw new Error(`Not an audit constant: ${value}`);
  return `'${value}'`;
}

/** An AuditIdentity's roles, passed as one comma-joined text parameter, as text[]. */
export function rolesFromParam(param: string): string {
  return `string_to_array(${param}, ',')`;
}
