-- Signed audit checkpoints: (sequence, head hash) of the audit chain at a
-- moment, signed with the instance's Ed25519 key.  A certifier who keeps a
-- checkpoint can later prove the log only grew since: the event at that
-- sequence must still carry that hash.  Append-only, like the log.
CREATE TABLE audit_checkpoints (
	id INTEGER PRIMARY KEY,
	seq INTEGER NOT NULL CHECK (seq >= 0),
	head_hash BLOB NOT NULL CHECK (length(head_hash) = 32),
	at_ms INTEGER NOT NULL,
	public_key BLOB NOT NULL CHECK (length(public_key) = 32),
	signature BLOB NOT NULL CHECK (length(signature) = 64),
	created_by INTEGER REFERENCES users (id) -- NULL: the server's schedule or the CLI
) STRICT;
CREATE INDEX audit_checkpoints_seq ON audit_checkpoints (seq);

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
	SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
	SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;
