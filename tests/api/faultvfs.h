/*
 * A test-only SQLite VFS, "faultvfs", that wraps the platform's "unix" VFS
 * and is registered as the default, so the product's own db_open() and
 * db_thread() use it without any hook in src/.  Two uses:
 *
 * Power loss.  While tracking, the VFS keeps for every database and WAL
 * file its durable image (what an fsync made permanent) and the writes
 * and truncations issued since the file's last xSync.  A simulated crash
 * (faultvfs_crash_after) makes every later write, sync, truncate and
 * delete fail, as if the machine had stopped; faultvfs_reboot() then
 * rewrites each file as its durable image plus a random choice of the
 * pending writes (each one kept, dropped, or torn: a random subset of its
 * 512-byte sectors), and deletes the -shm index, which SQLite rebuilds.
 * Real fsyncs are skipped: durability is what the VFS simulates, and the
 * test need not pay the disk's latency.
 *
 * I/O faults.  faultvfs_fail_from() makes the n-th write (or sync) from
 * now, and every later one, fail with a given code (SQLITE_IOERR_WRITE,
 * SQLITE_IOERR_FSYNC, SQLITE_FULL) without touching the file, until
 * faultvfs_fail_clear(): a failing disk or a full one.
 *
 * Thread-safe: the server's worker threads may use it concurrently.
 */
#ifndef PERGAMINO_TEST_FAULTVFS_H
#define PERGAMINO_TEST_FAULTVFS_H

#include <stdbool.h>
#include <stdint.h>

/* Register "faultvfs" as the default VFS (once).  SQLITE_OK or a code. */
int faultvfs_register(void);

/*
 * Start tracking durability with a PRNG seed: files on disk now are
 * durable.  Stop forgets every image (files stay as they are).
 */
void faultvfs_powerloss_start(uint64_t seed);
void faultvfs_powerloss_stop(void);

/*
 * The events-th write, sync or truncate of a tracked file from now on
 * crashes the machine (it and everything after fail); 0: never.
 */
void faultvfs_crash_after(uint64_t events);
bool faultvfs_crashed(void);

/* What a reboot did to the pending writes. */
struct faultvfs_reboot_stats {
	uint64_t pending; /* writes and truncations not yet synced */
	uint64_t kept;
	uint64_t torn; /* written in part, sector by sector */
	uint64_t dropped;
	uint64_t pending_db; /* of them, to a database file (a checkpoint) */
};

/*
 * Power comes back: every tracked file becomes its durable image plus a
 * random choice of its pending writes; -shm files are removed.  Every
 * connection must be closed.  0, or -1 if a file is still open or could
 * not be written.  Tracking goes on from the new images.
 */
int faultvfs_reboot(struct faultvfs_reboot_stats *out);

enum faultvfs_op { FAULTVFS_WRITE, FAULTVFS_SYNC };

/* From the n-th (1-based) op of that kind on, fail with code. */
void faultvfs_fail_from(enum faultvfs_op op, unsigned n, int code);
/* Disarm; returns how many operations were failed. */
unsigned faultvfs_fail_clear(void);

#endif
