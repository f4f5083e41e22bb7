/*
 * Static files from the web root: canonical paths only (no "..", no
 * hidden files, no absolute or backslash tricks), a fixed extension ->
 * MIME map (anything else is 404), ETag/If-None-Match, and the SPA's
 * index.html for unknown paths without an extension.  Directories
 * mounted under a URL prefix (the server config's mounts, e.g. Debian's
 * Leaflet) are served the same way, without the SPA fallback.
 *
 * Compression: text types are gzip-compressed by the server itself, once
 * per file version, into a bounded in-memory cache (static_cache below)
 * and sent with Content-Encoding: gzip to clients that accept it; a
 * precompressed "file.gz" beside a file, when newer, is still preferred.
 * Already-compressed types (png, ico, woff2) are never compressed.
 *
 * Fingerprinting: the same cache keeps each file's content version (16
 * hex digits of its SHA-256).  The web root's index.html is rewritten
 * when served: every local href/src gets "?v=<version>", and an import
 * map sends each module of js/ to its versioned URL, so relative imports
 * ("./api.js") reach the same URL as the modulepreload links (one module
 * map entry per module, never two copies).  A request whose ?v= is the
 * file's current version is answered "immutable" for a year; any other
 * ?v= gets the current file with revalidation, so a stale page never
 * pins a wrong body in a cache.  index.html itself is always revalidated;
 * the import map is allowed by its hash in that answer's CSP.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>
#include <zlib.h>

#include "pergamino/http.h"

#define STATIC_PATH_MAX 512 /* bytes */
/*
 * Memory bound of the cache: at most STATIC_CACHE_SLOTS files and
 * STATIC_CACHE_BYTES of gzip bodies in all (the whole web/ is ~112 KB
 * gzipped, Leaflet's leaflet.esm.js ~105 KB); files over STATIC_FILE_MAX are
 * neither compressed nor fingerprinted (none of ours comes close).  Worst case
 * about 8 MiB + 128 small records.
 */
#define STATIC_CACHE_SLOTS 128
#define STATIC_CACHE_BYTES (8u * 1024 * 1024)
#define STATIC_FILE_MAX (1024 * 1024) /* bytes */
#define STATIC_VERSION_LEN 16         /* hex digits of the SHA-256 */
#define STATIC_INDEX_MAX (64 * 1024)  /* index.html, bytes */
#define STATIC_MODULES_MAX 128        /* modules in the import map */
#define STATIC_MODULE_DIR "js"        /* under the web root */
#define STATIC_GZIP_LEVEL 9           /* once per file version */

/* clang-format off */
static const struct static_type {
	const char *ext;
	const char *mime;
	bool compress; /* text: worth gzip */
} static_types[] = {
	{ ".html", "text/html; charset=utf-8", true },
	{ ".js", "text/javascript; charset=utf-8", true },
	{ ".mjs", "text/javascript; charset=utf-8", true },
	{ ".css", "text/css; charset=utf-8", true },
	{ ".json", "application/json", true },
	{ ".svg", "image/svg+xml", true },
	{ ".png", "image/png", false },
	{ ".ico", "image/x-icon", false },
	{ ".woff2", "font/woff2", false },
	{ ".txt", "text/plain; charset=utf-8", true },
	{ ".webmanifest", "application/manifest+json", true },
	{ NULL, NULL, false },
};
/* clang-format on */

static const struct static_type *
static_type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot == NULL || strchr(dot, '/') != NULL)
		return NULL;
	for (i = 0; static_types[i].ext != NULL; i++)
		if (strcmp(dot, static_types[i].ext) == 0)
			return &static_types[i];
	return NULL;
}

/* Only [A-Za-z0-9._-/], no empty, "." , ".." or hidden segments. */
static bool
static_path_ok(const char *path)
{
	const char *s;

	if (path[0] != '/' || strlen(path) > STATIC_PATH_MAX)
		return false;
	for (s = path; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		        *s == '-' || *s == '/'))
			return false;
		if (*s == '/' && (s[1] == '.' || s[1] == '/'))
			return false;
	}
	return true;
}

static bool
static_last_has_dot(const char *path)
{
	const char *slash = strrchr(path, '/');

	return strchr(slash != NULL ? slash : path, '.') != NULL;
}

static bool
static_accepts_gzip(struct request *req)
{
	const char *ae = request_header(req, MHD_HTTP_HEADER_ACCEPT_ENCODING);

	return ae != NULL && strstr(ae, "gzip") != NULL;
}

/* Open root/rel (regular file only); -1 when absent. */
static int
static_open(int dirfd, const char *rel, struct stat *st)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read len bytes of fd from offset 0 into a new buffer; NULL on failure. */
static unsigned char *
static_read(int fd, size_t len)
{
	unsigned char *buf = malloc(len + 1);
	size_t got = 0;
	ssize_t n;

	if (buf == NULL)
		return NULL;
	while (got < len) {
		n = pread(fd, buf + got, len - got, (off_t)got);
		if (n <= 0) {
			free(buf);
			return NULL;
		}
		got += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * gzip (RFC 1952) of in into a new buffer, *out_len its length.  NULL on
 * failure or when compression would not make it smaller.
 */
static unsigned char *
static_gzip(const unsigned char *in, size_t len, size_t *out_len)
{
	z_stream zs;
	unsigned char *out = NULL;
	uLong cap;

	*out_len = 0;
	memset(&zs, 0, sizeof(zs));
	if (len > STATIC_FILE_MAX ||
	    deflateInit2(&zs, STATIC_GZIP_LEVEL, Z_DEFLATED, 15 + 16, 9,
	        Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&zs, (uLong)len) + 32;
	out = malloc(cap);
	if (out == NULL)
		goto out;
	zs.next_in = (Bytef *)(uintptr_t)in; /* zlib's API is not const */
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END || zs.total_out >= len) {
		free(out);
		out = NULL;
		goto out;
	}
	*out_len = (size_t)zs.total_out;
out:
	deflateEnd(&zs);
	return out;
}

/*
 * The cache: one record per file version, keyed by device, inode, size
 * and mtime (nanoseconds), so an edited or replaced file is a miss.
 * Guarded by static_lock (MHD's thread pool serves requests in
 * parallel); compression runs outside the lock.  Least recently used
 * records are dropped when the slots or the byte budget run out.
 */
struct static_entry {
	bool used;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim;
	char version[STATIC_VERSION_LEN + 1];
	unsigned char *gz; /* owned; NULL: not compressed */
	size_t gz_len;
	uint64_t last_use; /* static_clock at the last hit */
};

static pthread_mutex_t static_lock = PTHREAD_MUTEX_INITIALIZER;
static struct static_entry static_cache[STATIC_CACHE_SLOTS];
static size_t static_cache_bytes; /* sum of gz_len */
static uint64_t static_clock;

static bool
static_entry_is(const struct static_entry *e, const struct stat *st)
{
	return e->used && e->dev == st->st_dev && e->ino == st->st_ino &&
	    e->size == st->st_size && e->mtim.tv_sec == st->st_mtim.tv_sec &&
	    e->mtim.tv_nsec == st->st_mtim.tv_nsec;
}

static void
static_entry_drop(struct static_entry *e)
{
	static_cache_bytes -= e->gz_len;
	free(e->gz);
	memset(e, 0, sizeof(*e));
}

/* Under static_lock: the record of st, or NULL. */
static struct static_entry *
static_cache_find(const struct stat *st)
{
	size_t i;

	for (i = 0; i < STATIC_CACHE_SLOTS; i++)
		if (static_entry_is(&static_cache[i], st))
			return &static_cache[i];
	return NULL;
}

/*
 * Under static_lock: a free slot when free_ok and there is one, else the
 * least recently used record; NULL when free_ok is false and all are free.
 */
static struct static_entry *
static_cache_victim(bool free_ok)
{
	struct static_entry *v = NULL;
	size_t i;

	for (i = 0; i < STATIC_CACHE_SLOTS; i++) {
		if (!static_cache[i].used) {
			if (free_ok)
				return &static_cache[i];
			continue;
		}
		if (v == NULL || static_cache[i].last_use < v->last_use)
			v = &static_cache[i];
	}
	return v;
}

/*
 * Under static_lock: store e (its gz is taken over) and return the
 * record.  Older versions of the same file and, while over the byte
 * budget, the least recently used records are dropped first.
 */
static struct static_entry *
static_cache_put(struct static_entry *e)
{
	struct static_entry *slot;
	size_t i;

	for (i = 0; i < STATIC_CACHE_SLOTS; i++)
		if (static_cache[i].used && static_cache[i].dev == e->dev &&
		    static_cache[i].ino == e->ino)
			static_entry_drop(&static_cache[i]);
	while (static_cache_bytes + e->gz_len > STATIC_CACHE_BYTES &&
	    (slot = static_cache_victim(false)) != NULL)
		static_entry_drop(slot);
	slot = static_cache_victim(true);
	if (slot->used)
		static_entry_drop(slot);
	*slot = *e;
	slot->used = true;
	static_cache_bytes += slot->gz_len;
	return slot;
}

/* Read, hash and (when compress) gzip the file fd; e->gz is new. */
static bool
static_entry_load(
    int fd, const struct stat *st, bool compress, struct static_entry *e)
{
	unsigned char hash[crypto_hash_sha256_BYTES], *buf;
	size_t len = (size_t)st->st_size;

	memset(e, 0, sizeof(*e));
	buf = static_read(fd, len);
	if (buf == NULL)
		return false;
	crypto_hash_sha256(hash, buf, len);
	sodium_bin2hex(
	    e->version, sizeof(e->version), hash, STATIC_VERSION_LEN / 2);
	if (compress)
		e->gz = static_gzip(buf, len, &e->gz_len);
	free(buf);
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->size = st->st_size;
	e->mtim = st->st_mtim;
	return true;
}

/*
 * The version of the open file fd (version[0] == '\0' when unknown: too
 * big or unreadable) and, when want_gz and it compresses, a new copy of
 * its gzip body in *gz (the caller frees it; NULL otherwise).
 */
static void
static_cache_get(int fd, const struct stat *st, bool compress, bool want_gz,
    char version[STATIC_VERSION_LEN + 1], unsigned char **gz, size_t *gz_len)
{
	struct static_entry fresh, *e;

	version[0] = '\0';
	*gz = NULL;
	*gz_len = 0;
	if (st->st_size > STATIC_FILE_MAX)
		return;
	pthread_mutex_lock(&static_lock);
	e = static_cache_find(st);
	if (e == NULL) {
		pthread_mutex_unlock(&static_lock);
		if (!static_entry_load(fd, st, compress, &fresh))
			return;
		pthread_mutex_lock(&static_lock);
		e = static_cache_find(st); /* another thread may have won */
		if (e == NULL)
			e = static_cache_put(&fresh);
		else
			free(fresh.gz);
	}
	e->last_use = ++static_clock;
	memcpy(version, e->version, sizeof(e->version));
	if (want_gz && e->gz != NULL) {
		*gz = malloc(e->gz_len);
		if (*gz != NULL) {
			memcpy(*gz, e->gz, e->gz_len);
			*gz_len = e->gz_len;
		}
	}
	pthread_mutex_unlock(&static_lock);
}

/* The content version of root/rel ("" when there is none). */
static void
static_version_of(
    int dirfd, const char *rel, char version[STATIC_VERSION_LEN + 1])
{
	const struct static_type *t = static_type_of(rel);
	unsigned char *gz;
	struct stat st;
	size_t gz_len;
	int fd;

	version[0] = '\0';
	if (t == NULL || (fd = static_open(dirfd, rel, &st)) < 0)
		return;
	static_cache_get(fd, &st, t->compress, false, version, &gz, &gz_len);
	close(fd);
}

/* Answer 304 when If-None-Match is etag; sets the ETag either way. */
static bool
static_not_modified(struct request *req, const char *etag)
{
	const char *inm = request_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH);

	request_set_etag(req, etag);
	return inm != NULL && strcmp(inm, etag) == 0;
}

/* A precompressed sibling "rel.gz" newer than st, or -1. */
static int
static_open_sibling(
    int dirfd, const char *rel, const struct stat *st, struct stat *gst)
{
	char gz[STATIC_PATH_MAX + 16];
	int fd;

	snprintf(gz, sizeof(gz), "%s.gz", rel);
	fd = static_open(dirfd, gz, gst);
	if (fd >= 0 && gst->st_mtime < st->st_mtime) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Serve path (checked, leading '/') from the directory root. */
static enum err
static_file(struct request *req, const char *root, const char *path)
{
	char rel[STATIC_PATH_MAX + 8], etag[96];
	char version[STATIC_VERSION_LEN + 1];
	const struct static_type *type;
	const char *v;
	unsigned char *gz = NULL;
	size_t gz_len = 0;
	struct stat st, gst;
	bool accepts;
	int dirfd, fd, gzfd = -1;

	if (!static_path_ok(path) || (type = static_type_of(path)) == NULL)
		return request_fail(
		    req, ERR_NOT_FOUND, MSG("No encontrado", "Not found"));
	dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return request_fail(
		    req, ERR_NOT_FOUND, MSG("No encontrado", "Not found"));
	snprintf(rel, sizeof(rel), "%s", path + 1);
	fd = static_open(dirfd, rel, &st);
	accepts = fd >= 0 && type->compress && static_accepts_gzip(req);
	if (accepts)
		gzfd = static_open_sibling(dirfd, rel, &st, &gst);
	close(dirfd);
	if (fd < 0)
		return request_fail(
		    req, ERR_NOT_FOUND, MSG("No encontrado", "Not found"));
	static_cache_get(fd, &st, type->compress, accepts && gzfd < 0, version,
	    &gz, &gz_len);
	v = request_query(req, "v");
	req->immutable =
	    v != NULL && version[0] != '\0' && strcmp(v, version) == 0;
	req->content_type = type->mime;
	if (gzfd >= 0) { /* the precompressed sibling, by fd */
		close(fd);
		fd = gzfd;
		snprintf(etag, sizeof(etag), "\"%llx-%llx-gz\"",
		    (unsigned long long)gst.st_size,
		    (unsigned long long)gst.st_mtime);
		st = gst;
		req->gzip = true;
	} else if (gz != NULL) { /* compressed here, from memory */
		snprintf(etag, sizeof(etag), "\"%llx-%llx-z\"",
		    (unsigned long long)st.st_size,
		    (unsigned long long)st.st_mtime);
		req->gzip = true;
	} else
		snprintf(etag, sizeof(etag), "\"%llx-%llx\"",
		    (unsigned long long)st.st_size,
		    (unsigned long long)st.st_mtime);
	if (static_not_modified(req, etag)) {
		free(gz);
		close(fd);
		return request_reply_empty(req, 304);
	}
	if (gz != NULL) {
		close(fd);
		req->resp_body = (char *)gz; /* owned by req now */
		req->resp_len = gz_len;
	} else {
		req->resp_fd = fd;
		req->resp_fd_len = (uint64_t)st.st_size;
	}
	req->status = 200;
	return ERR_OK;
}

/* A growing string; on allocation failure it stops growing and says so. */
struct static_buf {
	char *s; /* owned */
	size_t len;
	size_t cap;
	bool oom;
};

static void
static_buf_add(struct static_buf *b, const char *s, size_t len)
{
	char *p;
	size_t cap;

	if (b->oom)
		return;
	if (len > SIZE_MAX / 4 - b->len) { /* the doubling below would wrap */
		b->oom = true;
		return;
	}
	if (b->len + len + 1 > b->cap) {
		cap = (b->len + len + 1) * 2;
		p = realloc(b->s, cap);
		if (p == NULL) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void
static_buf_str(struct static_buf *b, const char *s)
{
	static_buf_add(b, s, strlen(s));
}

static int
static_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The import map of every module in root/js/ (sorted, so the text and
 * its hash are stable): {"imports":{"/js/a.js":"/js/a.js?v=..."}}.
 * Appends nothing when the directory is absent or empty.
 */
static void
static_import_map(int dirfd, struct static_buf *map)
{
	char *names[STATIC_MODULES_MAX], rel[STATIC_PATH_MAX + 8];
	char version[STATIC_VERSION_LEN + 1];
	size_t i, n = 0, len;
	struct dirent *de;
	DIR *dir;
	int fd;

	fd = openat(dirfd, STATIC_MODULE_DIR,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(dir)) != NULL && n < STATIC_MODULES_MAX) {
		len = strlen(de->d_name);
		if (len < 4 || len > 100 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 3, ".js") != 0)
			continue;
		snprintf(
		    rel, sizeof(rel), "/%s/%s", STATIC_MODULE_DIR, de->d_name);
		if (!static_path_ok(rel) || (names[n] = strdup(rel)) == NULL)
			continue;
		n++;
	}
	closedir(dir);
	qsort(names, n, sizeof(names[0]), static_name_cmp);
	for (i = 0; i < n; i++) {
		static_version_of(dirfd, names[i] + 1, version);
		if (version[0] != '\0') {
			static_buf_str(
			    map, map->len == 0 ? "{\"imports\":{" : ",");
			static_buf_str(map, "\"");
			static_buf_str(map, names[i]);
			static_buf_str(map, "\":\"");
			static_buf_str(map, names[i]);
			static_buf_str(map, "?v=");
			static_buf_str(map, version);
			static_buf_str(map, "\"");
		}
		free(names[i]);
	}
	if (map->len > 0)
		static_buf_str(map, "}}");
}

/*
 * Copy html into out with "?v=<version>" after each local href="/..."
 * or src="/..." that names a file of the root, and the import map (when
 * map is not empty) before the first module link or script.
 */
static void
static_rewrite(int dirfd, const char *html, const struct static_buf *map,
    struct static_buf *out)
{
	char url[STATIC_PATH_MAX + 8], version[STATIC_VERSION_LEN + 1];
	const char *p = html, *at, *end, *mark = NULL, *m1, *m2;
	size_t attr;

	m1 = strstr(html, "<link rel=\"modulepreload\"");
	m2 = strstr(html, "<script");
	mark = m1 != NULL && (m2 == NULL || m1 < m2) ? m1 : m2;
	if (map->len == 0)
		mark = NULL;
	for (;;) {
		const char *h = strstr(p, " href=\"/"),
		           *s = strstr(p, " src=\"/");

		at = h != NULL && (s == NULL || h < s) ? h : s;
		if (mark != NULL && (at == NULL || mark < at)) {
			static_buf_add(out, p, (size_t)(mark - p));
			static_buf_str(out, "<script type=\"importmap\">");
			static_buf_add(out, map->s, map->len);
			static_buf_str(out, "</script>\n");
			p = mark;
			mark = NULL;
			continue;
		}
		if (at == NULL)
			break;
		attr = (size_t)(strchr(at, '"') - at) + 1; /* ' href="' */
		end = strchr(at + attr, '"');
		if (end == NULL)
			break;
		static_buf_add(out, p, (size_t)(end - p));
		p = end;
		version[0] = '\0';
		if ((size_t)(end - at) - attr < sizeof(url)) {
			memcpy(url, at + attr, (size_t)(end - at) - attr);
			url[(size_t)(end - at) - attr] = '\0';
			if (static_path_ok(url))
				static_version_of(dirfd, url + 1, version);
		}
		if (version[0] != '\0') {
			static_buf_str(out, "?v=");
			static_buf_str(out, version);
		}
	}
	static_buf_str(out, p);
}

/*
 * The web root's index.html, rewritten with versioned URLs and the
 * import map (see the top of the file).  Built for each request: ~40
 * stat calls, cache hits and string copies (well under a millisecond);
 * the ETag is the hash of the result, so an unchanged page is a 304.
 */
static enum err
static_index(struct request *req, const char *root)
{
	struct static_buf map = { 0 }, out = { 0 };
	unsigned char hash[crypto_hash_sha256_BYTES], *html = NULL, *gz;
	char etag[96], hex[STATIC_VERSION_LEN + 1], b64[48];
	size_t gz_len;
	struct stat st;
	int dirfd, fd = -1;
	enum err rc;

	dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd >= 0)
		fd = static_open(dirfd, "index.html", &st);
	if (fd < 0 || st.st_size > STATIC_INDEX_MAX ||
	    (html = static_read(fd, (size_t)st.st_size)) == NULL ||
	    strlen((char *)html) != (size_t)st.st_size) {
		/* Absent, too big or with NUL bytes: served as it is. */
		if (fd >= 0)
			close(fd);
		if (dirfd >= 0)
			close(dirfd);
		free(html);
		return static_file(req, root, "/index.html");
	}
	close(fd);
	static_import_map(dirfd, &map);
	static_rewrite(dirfd, (char *)html, &map, &out);
	close(dirfd);
	free(html);
	if (map.oom || out.oom) {
		rc = ERR_NOMEM;
		goto out;
	}
	if (map.len > 0) {
		crypto_hash_sha256(hash, (unsigned char *)map.s, map.len);
		sodium_bin2base64(b64, sizeof(b64), hash, sizeof(hash),
		    sodium_base64_VARIANT_ORIGINAL);
		snprintf(req->script_hash, sizeof(req->script_hash),
		    "'sha256-%s'", b64);
	}
	crypto_hash_sha256(hash, (unsigned char *)out.s, out.len);
	sodium_bin2hex(hex, sizeof(hex), hash, STATIC_VERSION_LEN / 2);
	req->content_type = "text/html; charset=utf-8";
	req->gzip = static_accepts_gzip(req);
	snprintf(etag, sizeof(etag), "\"i-%s%s\"", hex, req->gzip ? "-z" : "");
	if (static_not_modified(req, etag)) {
		rc = request_reply_empty(req, 304);
		goto out;
	}
	gz = req->gzip ? static_gzip((unsigned char *)out.s, out.len, &gz_len)
	               : NULL;
	if (gz != NULL) {
		req->resp_body = (char *)gz;
		req->resp_len = gz_len;
	} else {
		/* Not accepted, or no smaller: the ETag must say identity. */
		req->gzip = false;
		snprintf(etag, sizeof(etag), "\"i-%s\"", hex);
		request_set_etag(req, etag);
		req->resp_body = out.s;
		req->resp_len = out.len;
		out.s = NULL;
	}
	req->status = 200;
	rc = ERR_OK;
out:
	free(map.s);
	free(out.s);
	return rc;
}

/* The mount whose prefix path starts with, or NULL. */
static const struct static_mount *
static_mount_of(struct request *req, const char *path)
{
	const struct server_config *cfg = server_config(req->srv);
	size_t i, n;

	for (i = 0; i < SERVER_MOUNTS_MAX; i++) {
		const struct static_mount *m = &cfg->mounts[i];

		if (m->prefix == NULL)
			continue;
		n = strlen(m->prefix);
		if (n > 1 && strncmp(path, m->prefix, n) == 0)
			return m;
	}
	return NULL;
}

enum err
static_serve(struct request *req, const char *root)
{
	const struct static_mount *m = static_mount_of(req, req->path);
	const char *path = req->path;

	if (m != NULL) {
		/* The part after the prefix, keeping its '/': "/leaflet.js". */
		if (m->root == NULL)
			return request_fail(req, ERR_NOT_FOUND,
			    MSG("No encontrado", "Not found"));
		return static_file(req, m->root, path + strlen(m->prefix) - 1);
	}
	if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0 ||
	    (static_path_ok(path) && !static_last_has_dot(path)))
		return static_index(
		    req, root); /* the SPA routes in the browser */
	return static_file(req, root, path);
}
