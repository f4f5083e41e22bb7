/*
 * The fault-injecting VFS of the reliability tests (see faultvfs.h).
 * Every call is forwarded to "unix", which keeps doing the locking, the
 * shared-memory index and the memory mapping; this file only decides
 * which writes happen and remembers which are durable.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "faultvfs.h"

#define FAULTVFS_SECTOR 512 /* bytes: the unit a torn write keeps or loses */

/* One write or truncation issued since the file's last sync. */
struct faultvfs_op_rec {
	sqlite3_int64 off; /* truncation: the new size */
	size_t len;        /* 0: a truncation */
	unsigned char *data;
};

/* What power loss would leave of one file (by path). */
struct faultvfs_track {
	char *path;
	bool main_db;
	unsigned open_count;
	unsigned char *durable;
	size_t durable_len, durable_cap;
	struct faultvfs_op_rec *ops;
	size_t n_ops, ops_cap;
	struct faultvfs_track *next;
};

struct faultvfs_file {
	sqlite3_file base;
	sqlite3_file *real; /* the unix file, in the same allocation */
	struct faultvfs_track *track; /* NULL: not tracked */
};

static struct {
	pthread_mutex_t lock;
	sqlite3_vfs *unix_vfs;
	bool tracking, crashed;
	uint64_t events, crash_at, rng;
	struct faultvfs_track *tracks;

	bool fault_armed;
	enum faultvfs_op fault_op;
	unsigned fault_n, fault_seen, fault_fired;
	int fault_code;
} fv = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t
faultvfs_rand(void)
{
	/* xorshift64*: reproducible from the seed the test prints. */
	fv.rng ^= fv.rng >> 12;
	fv.rng ^= fv.rng << 25;
	fv.rng ^= fv.rng >> 27;
	return fv.rng * 2685821657736338717ULL;
}

static int
faultvfs_reserve(unsigned char **buf, size_t *cap, size_t need)
{
	unsigned char *p;
	size_t c = *cap != 0 ? *cap : 4096;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	p = realloc(*buf, c);
	if (p == NULL)
		return -1;
	memset(p + *cap, 0, c - *cap);
	*buf = p;
	*cap = c;
	return 0;
}

/* Apply bytes [from, to) of a write at off to an image of *len bytes. */
static int
faultvfs_apply(unsigned char **img, size_t *len, size_t *cap, sqlite3_int64 off,
    const unsigned char *data, size_t from, size_t to)
{
	size_t end = (size_t)off + to;

	if (faultvfs_reserve(img, cap, end) != 0)
		return -1;
	if (end > *len) {
		/* A hole left by a lost earlier write reads as zeros. */
		memset(*img + *len, 0, end - *len);
		*len = end;
	}
	memcpy(*img + off + from, data + from, to - from);
	return 0;
}

static int
faultvfs_apply_op(unsigned char **img, size_t *len, size_t *cap,
    const struct faultvfs_op_rec *op)
{
	if (op->len == 0) {
		if ((size_t)op->off < *len)
			*len = (size_t)op->off;
		return 0;
	}
	return faultvfs_apply(img, len, cap, op->off, op->data, 0, op->len);
}

static void
faultvfs_ops_clear(struct faultvfs_track *t)
{
	size_t i;

	for (i = 0; i < t->n_ops; i++)
		free(t->ops[i].data);
	t->n_ops = 0;
}

static void
faultvfs_track_free(struct faultvfs_track *t)
{
	faultvfs_ops_clear(t);
	free(t->ops);
	free(t->durable);
	free(t->path);
	free(t);
}

/* The track of path, created from the file's current content. */
static struct faultvfs_track *
faultvfs_track_get(const char *path, sqlite3_file *real, bool main_db)
{
	struct faultvfs_track *t;
	sqlite3_int64 size = 0;

	for (t = fv.tracks; t != NULL; t = t->next)
		if (strcmp(t->path, path) == 0)
			return t;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->path = strdup(path);
	t->main_db = main_db;
	if (t->path == NULL ||
	    real->pMethods->xFileSize(real, &size) != SQLITE_OK ||
	    faultvfs_reserve(&t->durable, &t->durable_cap, (size_t)size + 1) !=
	        0 ||
	    (size > 0 &&
	        real->pMethods->xRead(real, t->durable, (int)size, 0) !=
	            SQLITE_OK)) {
		faultvfs_track_free(t);
		return NULL;
	}
	t->durable_len = (size_t)size;
	t->next = fv.tracks;
	fv.tracks = t;
	return t;
}

static int
faultvfs_record(
    struct faultvfs_track *t, sqlite3_int64 off, const void *data, size_t len)
{
	struct faultvfs_op_rec *op;

	if (t->n_ops == t->ops_cap) {
		size_t cap = t->ops_cap != 0 ? t->ops_cap * 2 : 64;
		struct faultvfs_op_rec *p = realloc(t->ops, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		t->ops = p;
		t->ops_cap = cap;
	}
	op = &t->ops[t->n_ops];
	op->off = off;
	op->len = len;
	op->data = NULL;
	if (len > 0) {
		op->data = malloc(len);
		if (op->data == NULL)
			return -1;
		memcpy(op->data, data, len);
	}
	t->n_ops++;
	return 0;
}

/*
 * Under the lock: does this write or sync happen?  SQLITE_OK, or the code
 * it fails with (an armed fault, or the machine has crashed).
 */
static int
faultvfs_gate(struct faultvfs_file *f, enum faultvfs_op op, int crash_code)
{
	if (fv.fault_armed && fv.fault_op == op &&
	    ++fv.fault_seen >= fv.fault_n) {
		fv.fault_fired++;
		return fv.fault_code;
	}
	if (f->track == NULL)
		return SQLITE_OK;
	if (fv.crashed)
		return crash_code;
	fv.events++;
	if (fv.crash_at != 0 && fv.events >= fv.crash_at) {
		fv.crashed = true;
		return crash_code;
	}
	return SQLITE_OK;
}

static int
faultvfs_close(sqlite3_file *file)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;
	int rc;

	rc = f->real->pMethods->xClose(f->real);
	pthread_mutex_lock(&fv.lock);
	if (f->track != NULL && f->track->open_count > 0)
		f->track->open_count--;
	pthread_mutex_unlock(&fv.lock);
	return rc;
}

static int
faultvfs_read(sqlite3_file *file, void *buf, int n, sqlite3_int64 off)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xRead(f->real, buf, n, off);
}

static int
faultvfs_write(sqlite3_file *file, const void *buf, int n, sqlite3_int64 off)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;
	int rc;

	pthread_mutex_lock(&fv.lock);
	rc = faultvfs_gate(f, FAULTVFS_WRITE, SQLITE_IOERR_WRITE);
	if (rc == SQLITE_OK && f->track != NULL &&
	    faultvfs_record(f->track, off, buf, (size_t)n) != 0)
		rc = SQLITE_NOMEM;
	pthread_mutex_unlock(&fv.lock);
	if (rc != SQLITE_OK)
		return rc;
	return f->real->pMethods->xWrite(f->real, buf, n, off);
}

static int
faultvfs_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;
	int rc;

	pthread_mutex_lock(&fv.lock);
	rc = faultvfs_gate(f, FAULTVFS_WRITE, SQLITE_IOERR_TRUNCATE);
	if (rc == SQLITE_OK && f->track != NULL &&
	    faultvfs_record(f->track, size, NULL, 0) != 0)
		rc = SQLITE_NOMEM;
	pthread_mutex_unlock(&fv.lock);
	if (rc != SQLITE_OK)
		return rc;
	return f->real->pMethods->xTruncate(f->real, size);
}

/* The pending writes become durable; the real fsync is not needed. */
static int
faultvfs_sync(sqlite3_file *file, int flags)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;
	struct faultvfs_track *t = f->track;
	size_t i;
	int rc;

	(void)flags;
	pthread_mutex_lock(&fv.lock);
	rc = faultvfs_gate(f, FAULTVFS_SYNC, SQLITE_IOERR_FSYNC);
	for (i = 0; rc == SQLITE_OK && t != NULL && i < t->n_ops; i++)
		if (faultvfs_apply_op(&t->durable, &t->durable_len,
		        &t->durable_cap, &t->ops[i]) != 0)
			rc = SQLITE_NOMEM;
	if (rc == SQLITE_OK && t != NULL)
		faultvfs_ops_clear(t);
	pthread_mutex_unlock(&fv.lock);
	return rc;
}

static int
faultvfs_file_size(sqlite3_file *file, sqlite3_int64 *out)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xFileSize(f->real, out);
}

static int
faultvfs_lock(sqlite3_file *file, int level)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xLock(f->real, level);
}

static int
faultvfs_unlock(sqlite3_file *file, int level)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xUnlock(f->real, level);
}

static int
faultvfs_check_lock(sqlite3_file *file, int *out)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int
faultvfs_file_control(sqlite3_file *file, int op, void *arg)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int
faultvfs_sector_size(sqlite3_file *file)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xSectorSize(f->real);
}

static int
faultvfs_device(sqlite3_file *file)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int
faultvfs_shm_map(
    sqlite3_file *file, int region, int size, int extend, void volatile **out)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xShmMap(f->real, region, size, extend, out);
}

static int
faultvfs_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void
faultvfs_shm_barrier(sqlite3_file *file)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	f->real->pMethods->xShmBarrier(f->real);
}

static int
faultvfs_shm_unmap(sqlite3_file *file, int delete_flag)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

static int
faultvfs_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **out)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xFetch(f->real, off, n, out);
}

static int
faultvfs_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;

	return f->real->pMethods->xUnfetch(f->real, off, p);
}

static const sqlite3_io_methods faultvfs_io = {
	3,
	faultvfs_close,
	faultvfs_read,
	faultvfs_write,
	faultvfs_truncate,
	faultvfs_sync,
	faultvfs_file_size,
	faultvfs_lock,
	faultvfs_unlock,
	faultvfs_check_lock,
	faultvfs_file_control,
	faultvfs_sector_size,
	faultvfs_device,
	faultvfs_shm_map,
	faultvfs_shm_lock,
	faultvfs_shm_barrier,
	faultvfs_shm_unmap,
	faultvfs_fetch,
	faultvfs_unfetch,
};

/* The unix file lives right after our struct, suitably aligned. */
#define FAULTVFS_REAL_OFFSET ((sizeof(struct faultvfs_file) + 15) & ~(size_t)15)

static int
faultvfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
    int *out_flags)
{
	struct faultvfs_file *f = (struct faultvfs_file *)file;
	int rc;

	(void)vfs;
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(void *)((char *)f + FAULTVFS_REAL_OFFSET);
	rc = fv.unix_vfs->xOpen(fv.unix_vfs, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		f->base.pMethods = NULL;
		return rc;
	}
	f->base.pMethods = &faultvfs_io;
	pthread_mutex_lock(&fv.lock);
	if (fv.tracking && name != NULL &&
	    (flags &
	        (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL |
	            SQLITE_OPEN_MAIN_JOURNAL))) {
		f->track = faultvfs_track_get(
		    name, f->real, (flags & SQLITE_OPEN_MAIN_DB) != 0);
		if (f->track == NULL)
			rc = SQLITE_NOMEM;
		else
			f->track->open_count++;
	}
	pthread_mutex_unlock(&fv.lock);
	if (rc != SQLITE_OK) {
		f->real->pMethods->xClose(f->real);
		f->base.pMethods = NULL;
	}
	return rc;
}

/*
 * SQLite deletes a WAL only after the database is synced, and unix syncs
 * the directory: a deletion is durable at once, and forgets the track.
 */
static int
faultvfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	struct faultvfs_track **pp, *t;

	(void)vfs;
	pthread_mutex_lock(&fv.lock);
	if (fv.crashed) {
		pthread_mutex_unlock(&fv.lock);
		return SQLITE_IOERR_DELETE;
	}
	for (pp = &fv.tracks; *pp != NULL; pp = &(*pp)->next) {
		if (strcmp((*pp)->path, name) == 0) {
			t = *pp;
			*pp = t->next;
			faultvfs_track_free(t);
			break;
		}
	}
	pthread_mutex_unlock(&fv.lock);
	return fv.unix_vfs->xDelete(fv.unix_vfs, name, sync_dir);
}

static int
faultvfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return fv.unix_vfs->xAccess(fv.unix_vfs, name, flags, out);
}

static int
faultvfs_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return fv.unix_vfs->xFullPathname(fv.unix_vfs, name, n, out);
}

static void *
faultvfs_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return fv.unix_vfs->xDlOpen(fv.unix_vfs, name);
}

static void
faultvfs_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	fv.unix_vfs->xDlError(fv.unix_vfs, n, out);
}

static void (*faultvfs_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return fv.unix_vfs->xDlSym(fv.unix_vfs, h, sym);
}

static void
faultvfs_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	fv.unix_vfs->xDlClose(fv.unix_vfs, h);
}

static int
faultvfs_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fv.unix_vfs->xRandomness(fv.unix_vfs, n, out);
}

static int
faultvfs_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return fv.unix_vfs->xSleep(fv.unix_vfs, us);
}

static int
faultvfs_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return fv.unix_vfs->xCurrentTime(fv.unix_vfs, out);
}

static int
faultvfs_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fv.unix_vfs->xGetLastError(fv.unix_vfs, n, out);
}

static int
faultvfs_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return fv.unix_vfs->xCurrentTimeInt64(fv.unix_vfs, out);
}

static sqlite3_vfs faultvfs_vfs = {
	.iVersion = 2,
	.zName = "faultvfs",
	.xOpen = faultvfs_open,
	.xDelete = faultvfs_delete,
	.xAccess = faultvfs_access,
	.xFullPathname = faultvfs_full_pathname,
	.xDlOpen = faultvfs_dlopen,
	.xDlError = faultvfs_dlerror,
	.xDlSym = faultvfs_dlsym,
	.xDlClose = faultvfs_dlclose,
	.xRandomness = faultvfs_randomness,
	.xSleep = faultvfs_sleep,
	.xCurrentTime = faultvfs_current_time,
	.xGetLastError = faultvfs_last_error,
	.xCurrentTimeInt64 = faultvfs_current_time64,
};

int
faultvfs_register(void)
{
	int rc = SQLITE_OK;

	pthread_mutex_lock(&fv.lock);
	if (fv.unix_vfs == NULL) {
		fv.unix_vfs = sqlite3_vfs_find("unix");
		if (fv.unix_vfs == NULL) {
			rc = SQLITE_ERROR;
		} else {
			faultvfs_vfs.mxPathname = fv.unix_vfs->mxPathname;
			faultvfs_vfs.szOsFile = (int)(FAULTVFS_REAL_OFFSET +
			    (size_t)fv.unix_vfs->szOsFile);
			rc = sqlite3_vfs_register(&faultvfs_vfs, 1);
		}
	}
	pthread_mutex_unlock(&fv.lock);
	return rc;
}

void
faultvfs_powerloss_start(uint64_t seed)
{
	pthread_mutex_lock(&fv.lock);
	fv.tracking = true;
	fv.crashed = false;
	fv.events = fv.crash_at = 0;
	fv.rng = seed != 0 ? seed : 0x9e3779b97f4a7c15ULL;
	pthread_mutex_unlock(&fv.lock);
}

void
faultvfs_powerloss_stop(void)
{
	struct faultvfs_track *t;

	pthread_mutex_lock(&fv.lock);
	while ((t = fv.tracks) != NULL) {
		fv.tracks = t->next;
		faultvfs_track_free(t);
	}
	fv.tracking = fv.crashed = false;
	fv.crash_at = 0;
	pthread_mutex_unlock(&fv.lock);
}

void
faultvfs_crash_after(uint64_t events)
{
	pthread_mutex_lock(&fv.lock);
	fv.crash_at = events != 0 ? fv.events + events : 0;
	pthread_mutex_unlock(&fv.lock);
}

bool
faultvfs_crashed(void)
{
	bool c;

	pthread_mutex_lock(&fv.lock);
	c = fv.crashed;
	pthread_mutex_unlock(&fv.lock);
	return c;
}

/* A torn write: each 512-byte sector of the file it covers, or not. */
static int
faultvfs_tear(unsigned char **img, size_t *len, size_t *cap,
    const struct faultvfs_op_rec *op)
{
	size_t from = 0, to;
	sqlite3_int64 next;

	while (from < op->len) {
		next = (op->off + (sqlite3_int64)from) / FAULTVFS_SECTOR *
		        FAULTVFS_SECTOR +
		    FAULTVFS_SECTOR;
		to = (size_t)(next - op->off);
		if (to > op->len)
			to = op->len;
		if ((faultvfs_rand() & 1) != 0 &&
		    faultvfs_apply(
		        img, len, cap, op->off, op->data, from, to) != 0)
			return -1;
		from = to;
	}
	return 0;
}

/*
 * One policy per reboot, so that every shape of loss comes up: all
 * pending writes lost, all kept (the disk flushed its cache just in
 * time), or each write kept, lost or torn at random.
 */
static int
faultvfs_rebuild(
    struct faultvfs_track *t, int policy, struct faultvfs_reboot_stats *st)
{
	size_t i;
	unsigned pick;

	for (i = 0; i < t->n_ops; i++) {
		const struct faultvfs_op_rec *op = &t->ops[i];

		pick = policy == 0 ? 0
		    : policy == 1  ? 1
		                   : (unsigned)(faultvfs_rand() % 3);
		if (pick == 2 && op->len == 0)
			pick = 1; /* a truncation is not torn */
		st->pending++;
		if (t->main_db)
			st->pending_db++;
		if (pick == 0) {
			st->dropped++;
		} else if (pick == 1) {
			st->kept++;
			if (faultvfs_apply_op(&t->durable, &t->durable_len,
			        &t->durable_cap, op) != 0)
				return -1;
		} else {
			st->torn++;
			if (faultvfs_tear(&t->durable, &t->durable_len,
			        &t->durable_cap, op) != 0)
				return -1;
		}
	}
	return 0;
}

static int
faultvfs_pwrite_all(int fd, const unsigned char *data, size_t len, off_t off)
{
	ssize_t w;
	size_t done = 0;

	while (done < len) {
		w = pwrite(fd, data + done, len - done, off + (off_t)done);
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/*
 * Make the file on disk the rebuilt image.  The file holds the old image
 * with every pending write applied, so only the ranges those writes
 * touched can differ: rewrite just them (a pending truncation: all).
 */
static int
faultvfs_write_file(const struct faultvfs_track *t)
{
	const struct faultvfs_op_rec *op;
	bool whole = false;
	size_t i, from, to;
	int fd, rc = 0;

	for (i = 0; i < t->n_ops; i++)
		if (t->ops[i].len == 0)
			whole = true;
	fd = open(t->path, O_WRONLY | O_CREAT | (whole ? O_TRUNC : 0), 0600);
	if (fd < 0)
		return -1;
	if (whole)
		rc = faultvfs_pwrite_all(fd, t->durable, t->durable_len, 0);
	for (i = 0; !whole && rc == 0 && i < t->n_ops; i++) {
		op = &t->ops[i];
		from = (size_t)op->off;
		to = from + op->len;
		if (to > t->durable_len)
			to = t->durable_len;
		if (from < to)
			rc = faultvfs_pwrite_all(
			    fd, t->durable + from, to - from, (off_t)from);
	}
	if (rc == 0 && ftruncate(fd, (off_t)t->durable_len) != 0)
		rc = -1;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

int
faultvfs_reboot(struct faultvfs_reboot_stats *out)
{
	struct faultvfs_reboot_stats st = { 0 };
	struct faultvfs_track *t;
	char shm[1024];
	int policy, rc = 0;

	pthread_mutex_lock(&fv.lock);
	for (t = fv.tracks; t != NULL; t = t->next)
		if (t->open_count > 0)
			rc = -1;
	policy = (int)(faultvfs_rand() % 4); /* 0, 1: drop, keep; else mix */
	if (policy > 2)
		policy = 2;
	for (t = fv.tracks; rc == 0 && t != NULL; t = t->next) {
		if (faultvfs_rebuild(t, policy, &st) != 0 ||
		    faultvfs_write_file(t) != 0)
			rc = -1;
		faultvfs_ops_clear(t);
		if (t->main_db) {
			(void)snprintf(shm, sizeof(shm), "%s-shm", t->path);
			(void)unlink(shm);
		}
	}
	fv.crashed = false;
	fv.crash_at = 0;
	pthread_mutex_unlock(&fv.lock);
	if (out != NULL)
		*out = st;
	return rc;
}

void
faultvfs_fail_from(enum faultvfs_op op, unsigned n, int code)
{
	pthread_mutex_lock(&fv.lock);
	fv.fault_armed = true;
	fv.fault_op = op;
	fv.fault_n = n;
	fv.fault_seen = fv.fault_fired = 0;
	fv.fault_code = code;
	pthread_mutex_unlock(&fv.lock);
}

unsigned
faultvfs_fail_clear(void)
{
	unsigned fired;

	pthread_mutex_lock(&fv.lock);
	fv.fault_armed = false;
	fired = fv.fault_fired;
	fv.fault_fired = 0;
	pthread_mutex_unlock(&fv.lock);
	return fired;
}
