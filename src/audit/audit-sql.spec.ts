import { insertAuditRowsSql, rolesFromParam, sqlConstant } from './audit-sql';

/** Whitespace-insensitive, so the builder is held to the statements it replaced, token for token. */
const normalised = (sql: string) => sql.replace(/\s+/g, ' ').replace(/\( /g, '(').trim();

describe('insertAuditRowsSql', () => {
  it('writes the release statement that queue.repository had written by hand', () => {
    const sql = insertAuditRowsSql(
      {
        username: '$3',
        roles: rolesFromParam('$4'),
        action: sqlConstant('CLAIM_RELEASED'),
        entityType: sqlConstant('call'),
        entityId: 'r.id::text',
        establishmentCode: 'r.establishment_code',
        clientAddress: '$5',
        correlationId: '$6',
        details: `jsonb_build_object('reasonCode', $8::text)`,
      },
      'released r',
    );
    expect(normalised(sql)).toBe(
      normalised(`INSERT INTO audit_events (username, roles, action, entity_type, entity_id, establishment_code,
                            client_address, correlation_id, details)
        SELECT $3, string_to_array($4, ','), 'CLAIM_RELEASED', 'call', r.id::text, r.establishment_code, $5, $6,
          jsonb_build_object('reasonCode', $8::text)
        FROM released r`),
    );
  });

  it('adds subject ids and RETURNING only when asked (the batch insert, the purge)', () => {
    const sql = insertAuditRowsSql(
      {
        username: 'u',
        roles: '$7::text[]',
        action: 'a',
        entityType: 'et',
        entityId: 'ei',
        establishmentCode: 'ec',
        clientAddress: 'ca',
        correlationId: 'ci',
        details: 'd',
        subjectIds: 'ARRAY(SELECT jsonb_array_elements_text(s))',
      },
      't',
      '1',
    );
    expect(normalised(sql)).toBe(
      normalised(`INSERT INTO audit_events (username, roles, action, entity_type, entity_id, establishment_code,
                                 client_address, correlation_id, details, subject_ids)
       SELECT u, $7::text[], a, et, ei, ec, ca, ci, d, ARRAY(SELECT jsonb_array_elements_text(s))
       FROM t RETURNING 1`),
    );
  });

  it('takes only plain words as constants', () => {
    expect(sqlConstant('CALL_PURGED')).toBe(`'CALL_PURGED'`);
    expect(() => sqlConstant(`x'; DROP TABLE audit_events; --`)).toThrow(/Not an audit constant/);
  });
});
