-- Foundation: organizations, users, sessions and API tokens, auditor grants,
-- login throttling, numbering, idempotency, and the hash-chained audit log.
-- Times are Unix seconds (UTC) unless named _ms.

CREATE TABLE organizations (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	ruc TEXT NOT NULL UNIQUE CHECK (length(ruc) = 11),
	kind TEXT NOT NULL
	    CHECK (kind IN ('cooperative', 'plant', 'exporter', 'certifier')),
	address TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	-- NULL only for the instance operator (superadmin).
	organization_id INTEGER REFERENCES organizations (id),
	username TEXT NOT NULL COLLATE NOCASE UNIQUE
	    CHECK (length(username) BETWEEN 3 AND 64),
	display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
	role TEXT NOT NULL
	    CHECK (role IN ('superadmin', 'admin', 'clerk', 'exporter', 'auditor')),
	password_hash TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	password_changed_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	CHECK ((role = 'superadmin') = (organization_id IS NULL))
) STRICT;
CREATE INDEX users_org ON users (organization_id, id);

-- Browser sessions (kind 'session') and API tokens (kind 'token').  Only
-- the SHA-256 of the secret is stored.
CREATE TABLE credentials (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('session', 'token')),
	token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	user_id INTEGER NOT NULL REFERENCES users (id),
	name TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	expires_at INTEGER, -- absolute expiry; NULL: none (tokens)
	revoked_at INTEGER
) STRICT;
CREATE INDEX credentials_user ON credentials (user_id, kind, id);

-- An organization lets an auditor (of a certifier) read its records.
CREATE TABLE auditor_grants (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id),
	auditor_user_id INTEGER NOT NULL REFERENCES users (id),
	granted_by INTEGER NOT NULL REFERENCES users (id),
	granted_at INTEGER NOT NULL,
	revoked_by INTEGER REFERENCES users (id),
	revoked_at INTEGER
) STRICT;
CREATE UNIQUE INDEX auditor_grants_active
    ON auditor_grants (organization_id, auditor_user_id)
    WHERE revoked_at IS NULL;
CREATE INDEX auditor_grants_auditor
    ON auditor_grants (auditor_user_id, organization_id)
    WHERE revoked_at IS NULL;

-- Which organizations' records each user may read: its own, plus those
-- that granted it (as an auditor) access.  Every data query is scoped
-- through this view in its WHERE clause.
CREATE VIEW user_scope (user_id, organization_id) AS
	SELECT id, organization_id FROM users
	 WHERE organization_id IS NOT NULL AND active = 1
	UNION
	SELECT g.auditor_user_id, g.organization_id
	  FROM auditor_grants g JOIN users u ON u.id = g.auditor_user_id
	 WHERE g.revoked_at IS NULL AND u.active = 1 AND u.role = 'auditor';

-- Failed logins per subject ('user:<name>' or 'ip:<address>').
CREATE TABLE login_failures (
	subject TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	last_failure_at INTEGER NOT NULL,
	locked_until INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Correlative numbers per organization, document type and series.
-- next_number is assigned and bumped inside the document's transaction.
CREATE TABLE numbering (
	organization_id INTEGER NOT NULL REFERENCES organizations (id),
	doc_type TEXT NOT NULL,
	series TEXT NOT NULL DEFAULT '',
	next_number INTEGER NOT NULL CHECK (next_number >= 1),
	issued INTEGER NOT NULL DEFAULT 0 CHECK (issued >= 0),
	PRIMARY KEY (organization_id, doc_type, series)
) STRICT, WITHOUT ROWID;

-- First response to each POST carrying an Idempotency-Key, stored in the
-- same transaction as the write it acknowledges.
CREATE TABLE idempotency (
	user_id INTEGER NOT NULL REFERENCES users (id),
	key TEXT NOT NULL,
	request_hash BLOB NOT NULL,
	status INTEGER NOT NULL,
	location TEXT,
	etag TEXT,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, key)
) STRICT, WITHOUT ROWID;

-- Append-only, hash-chained audit log: hash = SHA-256(prev_hash || fields).
CREATE TABLE audit_events (
	seq INTEGER PRIMARY KEY,
	at_ms INTEGER NOT NULL,
	user_id INTEGER,
	organization_id INTEGER,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id INTEGER,
	before_json TEXT,
	after_json TEXT,
	prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
	hash BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;
CREATE INDEX audit_events_org ON audit_events (organization_id, seq);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
