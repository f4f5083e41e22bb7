-- user_scope with UNION ALL instead of UNION (docs/performance.md).
-- Every use is "organization_id IN (SELECT organization_id FROM
-- user_scope WHERE user_id = ?)", where a duplicate row changes nothing.
-- With UNION, SQLite materialized the whole view (every user and grant)
-- and built two automatic indexes on each scoped query: about 3 ms per
-- query with the ~950 users of a national dataset.  With UNION ALL it
-- pushes user_id = ? into both arms: a primary-key lookup in users and
-- an index lookup in auditor_grants.
DROP VIEW user_scope;
CREATE VIEW user_scope (user_id, organization_id) AS
	SELECT id, organization_id FROM users
	 WHERE organization_id IS NOT NULL AND active = 1
	UNION ALL
	SELECT g.auditor_user_id, g.organization_id
	  FROM auditor_grants g JOIN users u ON u.id = g.auditor_user_id
	 WHERE g.revoked_at IS NULL AND u.active = 1 AND u.role = 'auditor';
