/*
 * Static files from the web root: canonical paths only (no "..", no
 * hidden files, no absolute or backslash tricks), a fixed extension ->
 * MIME map (anything else is 404), ETag/If-None-Match, and the SPA's
 * index.html for unknown paths without an extension.  A precompressed
 * "file.gz" beside a file is served when the client accepts gzip.
 * Directories mounted under a URL prefix (the server config's mounts,
 * e.g. Debian's Leaflet) are served the same way, without the SPA
 * fallback.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "pergamino/http.h"

#define STATIC_PATH_MAX 512 /* bytes */

/* clang-format off */
static const struct {
	const char *ext;
	const char *mime;
} static_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".webmanifest", "application/manifest+json" },
	{ NULL, NULL },
};
/* clang-format on */

static const char *
static_mime(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot == NULL || strchr(dot, '/') != NULL)
		return NULL;
	for (i = 0; static_types[i].ext != NULL; i++)
		if (strcmp(dot, static_types[i].ext) == 0)
			return static_types[i].mime;
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

/* Serve path (checked, leading '/') from the directory root. */
static enum err
static_file(struct request *req, const char *root, const char *path)
{
	char rel[STATIC_PATH_MAX + 8], gz[STATIC_PATH_MAX + 16], etag[96];
	const char *mime, *inm;
	struct stat st;
	int dirfd, fd, gzfd = -1;

	if (!static_path_ok(path) || (mime = static_mime(path)) == NULL)
		return request_fail(
		    req, ERR_NOT_FOUND, MSG("No encontrado", "Not found"));
	dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return request_fail(
		    req, ERR_NOT_FOUND, MSG("No encontrado", "Not found"));
	snprintf(rel, sizeof(rel), "%s", path + 1);
	fd = static_open(dirfd, rel, &st);
	if (fd >= 0 && static_accepts_gzip(req)) {
		struct stat gst;

		snprintf(gz, sizeof(gz), "%s.gz", rel);
		gzfd = static_open(dirfd, gz, &gst);
		if (gzfd >= 0 && gst.st_mtime >= st.st_mtime) {
			close(fd);
			fd = gzfd;
			st = gst;
		} else if (gzfd >= 0) {
			close(gzfd);
			gzfd = -1;
		}
	}
	close(dirfd);
	if (fd < 0)
		return request_fail(
		    req, ERR_NOT_FOUND, MSG("No encontrado", "Not found"));
	snprintf(etag, sizeof(etag), "\"%llx-%llx%s\"",
	    (unsigned long long)st.st_size, (unsigned long long)st.st_mtime,
	    gzfd >= 0 ? "-gz" : "");
	request_set_etag(req, etag);
	req->content_type = mime;
	req->gzip = gzfd >= 0;
	inm = request_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm != NULL && strcmp(inm, etag) == 0) {
		close(fd);
		return request_reply_empty(req, 304);
	}
	req->resp_fd = fd;
	req->resp_fd_len = (uint64_t)st.st_size;
	req->status = 200;
	return ERR_OK;
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
	if (strcmp(path, "/") == 0 ||
	    (static_path_ok(path) && !static_last_has_dot(path)))
		path = "/index.html"; /* the SPA routes in the browser */
	return static_file(req, root, path);
}
