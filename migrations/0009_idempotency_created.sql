-- Housekeeping deletes idempotency records older than seven days every
-- hour (src/db/housekeeping_store.c).  Without an index on created_at
-- that DELETE read the whole table (each row holds a full answer: ~70 MB
-- for 31 000 records on the national dataset) inside BEGIN IMMEDIATE, so
-- every write of every clerk waited for the scan.  With it, the purge
-- reads only the expired records.  created_at grows with time, so each
-- new record lands on the index's last page.
CREATE INDEX idempotency_created ON idempotency (created_at);
