/* The in-process server and raw HTTP client of the fuzzers (fuzz_server.h). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "fuzz_server.h"
#include "pergamino/admin.h"
#include "pergamino/db.h"
#include "pergamino/http.h"
#include "pergamino/log.h"
#include "pergamino/password.h"

#define FUZZ_REPLY_MAX (64u * 1024 * 1024) /* bytes of one answer */
#define FUZZ_DNI_MAX 8

/* clang-format off */
static const char *const fuzz_usernames[FUZZ_WHO_COUNT] = {
	[FUZZ_ANONYMOUS] = NULL,
	[FUZZ_OPERATOR] = "operador",
	[FUZZ_COOP_ADMIN] = "coop-admin",
	[FUZZ_COOP_CLERK] = "coop-acopio",
	[FUZZ_COOP_EXPORT] = "coop-export",
	[FUZZ_PLANT_ADMIN] = "planta-admin",
	[FUZZ_PLANT_CLERK] = "planta-clerk",
	[FUZZ_AUDITOR] = "auditor",
};
/* clang-format on */

static struct {
	char dir[128];
	char db_path[192];
	struct server_config cfg;
	struct server *srv;
	unsigned port;
	struct db *db; /* the harness's own connection, for repairs */
	struct fuzz_principal who[FUZZ_WHO_COUNT];
	int64_t victims[2];
	char dnis[FUZZ_DNI_MAX][16];
	size_t dni_count;
} fuzz;

static void
fuzz_die(const char *what)
{
	fprintf(stderr, "fuzz_server: %s\n", what);
	abort();
}

static int64_t
fuzz_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is readable (events POLLIN) or writable; 0 when ready. */
static int
fuzz_wait(int fd, short events, int64_t deadline)
{
	struct pollfd p = { fd, events, 0 };
	int64_t left;
	int n;

	for (;;) {
		left = deadline - fuzz_now_ms();
		if (left <= 0)
			return -1;
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

int
fuzz_connect(void)
{
	struct sockaddr_in a;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)fuzz.port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

void
fuzz_close_now(int fd)
{
	struct linger l = { 1, 0 };

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

int
fuzz_write_all(int fd, const void *buf, size_t len, int timeout_ms)
{
	const char *p = buf;
	int64_t deadline = fuzz_now_ms() + timeout_ms;
	ssize_t n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (fuzz_wait(fd, POLLOUT, deadline) != 0)
			return -1;
	}
	return 0;
}

struct fuzz_buf {
	char *p;
	size_t len, cap;
};

/* Read more bytes into b: >0 read, 0 end of stream, -1 error or timeout. */
static ssize_t
fuzz_fill(int fd, struct fuzz_buf *b, int64_t deadline)
{
	ssize_t n;
	char *q;

	if (b->cap - b->len < 4096) {
		if (b->cap > FUZZ_REPLY_MAX)
			return -1;
		q = realloc(b->p, b->cap * 2 + 8192);
		if (q == NULL)
			return -1;
		b->p = q;
		b->cap = b->cap * 2 + 8192;
	}
	for (;;) {
		n = recv(fd, b->p + b->len, b->cap - b->len - 1, 0);
		if (n > 0) {
			b->len += (size_t)n;
			b->p[b->len] = '\0';
			return n;
		}
		if (n == 0)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		if (fuzz_wait(fd, POLLIN, deadline) != 0)
			return -1;
	}
}

/* Value of header name in the head (lines after the status line). */
static bool
fuzz_header(const char *head, const char *name, char *out, size_t cap)
{
	size_t nlen = strlen(name), vlen;
	const char *line = strstr(head, "\r\n"), *v;

	while (line != NULL && line[2] != '\r' && line[2] != '\0') {
		line += 2;
		if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
			v = line + nlen + 1;
			v += strspn(v, " \t");
			vlen = strcspn(v, "\r\n");
			if (vlen >= cap)
				vlen = cap - 1;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return true;
		}
		line = strstr(line, "\r\n");
	}
	return false;
}

/* Decode the chunked body at b->p + start, reading more as needed. */
static int
fuzz_chunked(int fd, struct fuzz_buf *b, size_t start, int64_t deadline,
    struct fuzz_reply *r)
{
	size_t pos = start, out = start, size;
	char *eol, *end;

	for (;;) {
		while ((eol = strstr(b->p + pos, "\r\n")) == NULL)
			if (fuzz_fill(fd, b, deadline) <= 0)
				return -1;
		size = (size_t)strtoul(b->p + pos, &end, 16);
		if (end == b->p + pos || size > FUZZ_REPLY_MAX)
			return -1;
		pos = (size_t)(eol - b->p) + 2;
		while (b->len < pos + size + 2)
			if (fuzz_fill(fd, b, deadline) <= 0)
				return -1;
		if (size == 0)
			break; /* trailers are not used by the server */
		memmove(b->p + out, b->p + pos, size);
		out += size;
		pos += size + 2;
	}
	r->body_len = out - start;
	r->body = malloc(r->body_len + 1);
	if (r->body == NULL)
		return -1;
	memcpy(r->body, b->p + start, r->body_len);
	r->body[r->body_len] = '\0';
	return 0;
}

int
fuzz_read_reply(int fd, bool head, int timeout_ms, struct fuzz_reply *r)
{
	int64_t deadline = fuzz_now_ms() + timeout_ms;
	struct fuzz_buf b = { NULL, 0, 0 };
	char value[64], *eoh;
	size_t start, want;
	ssize_t n;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	do {
		n = fuzz_fill(fd, &b, deadline);
		if (n <= 0)
			goto out;
	} while ((eoh = strstr(b.p, "\r\n\r\n")) == NULL);
	start = (size_t)(eoh - b.p) + 4;
	eoh[2] = '\0'; /* the head ends with its last header's CRLF */
	if (sscanf(b.p, "HTTP/1.%*d %d", &r->status) != 1)
		goto out;
	fuzz_header(
	    b.p, "Content-Type", r->content_type, sizeof(r->content_type));
	fuzz_header(b.p, "Set-Cookie", r->set_cookie, sizeof(r->set_cookie));
	r->close = fuzz_header(b.p, "Connection", value, sizeof(value)) &&
	    strcasecmp(value, "close") == 0;
	if (head || r->status == 204 || r->status == 304 || r->status < 200) {
		rc = 0;
		goto out;
	}
	if (fuzz_header(b.p, "Transfer-Encoding", value, sizeof(value)) &&
	    strcasecmp(value, "chunked") == 0) {
		rc = fuzz_chunked(fd, &b, start, deadline, r);
		goto out;
	}
	if (fuzz_header(b.p, "Content-Length", value, sizeof(value))) {
		want = (size_t)strtoull(value, NULL, 10);
		if (want > FUZZ_REPLY_MAX)
			goto out;
		while (b.len - start < want)
			if (fuzz_fill(fd, &b, deadline) <= 0)
				goto out;
	} else {
		/* No length: the body ends when the server closes. */
		while ((n = fuzz_fill(fd, &b, deadline)) > 0)
			;
		if (n < 0)
			goto out;
		want = b.len - start;
		r->close = true;
	}
	r->body_len = want;
	if (want > 0) {
		r->body = malloc(want + 1);
		if (r->body == NULL)
			goto out;
		memcpy(r->body, b.p + start, want);
		r->body[want] = '\0';
	}
	rc = 0;
out:
	if (rc != 0)
		r->status = 0;
	free(b.p);
	return rc;
}

void
fuzz_reply_free(struct fuzz_reply *r)
{
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* POST /api/v1/session as who; fills its cookie and CSRF token. */
static int
fuzz_login(enum fuzz_who who)
{
	struct fuzz_principal *p = &fuzz.who[who];
	struct fuzz_reply r;
	char body[256], req[512];
	json_t *doc;
	const char *csrf;
	int fd, len, rc = -1;

	p->cookie[0] = p->csrf[0] = '\0';
	snprintf(body, sizeof(body),
	    "{\"username\":\"%s\",\"password\":\"%s\"}", p->username,
	    FUZZ_PASSWORD);
	len = snprintf(req, sizeof(req),
	    "POST /api/v1/session HTTP/1.1\r\nHost: fuzz\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
	    strlen(body), body);
	fd = fuzz_connect();
	if (fd < 0 || fuzz_write_all(fd, req, (size_t)len, 5000) != 0 ||
	    fuzz_read_reply(fd, false, 10000, &r) != 0) {
		fuzz_close_now(fd);
		return -1;
	}
	fuzz_close_now(fd);
	doc = r.status == 200 ? json_loads(r.body, 0, NULL) : NULL;
	csrf = json_string_value(json_object_get(doc, "csrf_token"));
	if (csrf != NULL && r.set_cookie[0] != '\0') {
		snprintf(p->cookie, sizeof(p->cookie), "%.*s",
		    (int)strcspn(r.set_cookie, ";"), r.set_cookie);
		snprintf(p->csrf, sizeof(p->csrf), "%s", csrf);
		rc = 0;
	}
	json_decref(doc);
	fuzz_reply_free(&r);
	return rc;
}

void
fuzz_relogin(enum fuzz_who who)
{
	struct msg why;

	if (who == FUZZ_ANONYMOUS)
		return;
	if (admin_user_passwd(fuzz.db, fuzz.who[who].username, FUZZ_PASSWORD,
	        &why) != ERR_OK ||
	    db_exec(fuzz.db, "DELETE FROM login_failures") != ERR_OK)
		fuzz_die("cannot repair a principal");
	if (fuzz_login(who) != 0)
		fuzz_die("cannot sign a principal in again");
}

static void
fuzz_server_cleanup(void)
{
	struct dirent *e;
	char path[512];
	DIR *d;

	server_stop(fuzz.srv);
	fuzz.srv = NULL;
	db_close(fuzz.db);
	fuzz.db = NULL;
	/* The database, its WAL and whatever the server kept beside it. */
	d = opendir(fuzz.dir);
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", fuzz.dir, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(fuzz.dir);
}

/* A few producers' DNIs, for /producers/by-dni/{dni}. */
static void
fuzz_load_dnis(void)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db_handle(fuzz.db),
	        "SELECT dni FROM producers ORDER BY id LIMIT 8", -1, &st,
	        NULL) != SQLITE_OK)
		fuzz_die("cannot list producers");
	while (fuzz.dni_count < FUZZ_DNI_MAX && sqlite3_step(st) == SQLITE_ROW)
		snprintf(fuzz.dnis[fuzz.dni_count++], sizeof(fuzz.dnis[0]),
		    "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static void
fuzz_seed(void)
{
	struct msg why;
	FILE *devnull;
	bool seeded;
	size_t i;

	devnull = fopen("/dev/null", "w");
	if (devnull == NULL || demo_seed(fuzz.db, devnull, &seeded) != ERR_OK ||
	    !seeded)
		fuzz_die("cannot seed the demo data");
	fclose(devnull);
	/* demo_seed() prints random passwords: set a known one. */
	for (i = 1; i < FUZZ_WHO_COUNT; i++)
		if (admin_user_passwd(fuzz.db, fuzz_usernames[i], FUZZ_PASSWORD,
		        &why) != ERR_OK)
			fuzz_die("cannot set a password");
	for (i = 0; i < 2; i++) {
		struct user u = { 0 };
		struct user coop = { 0 };
		sqlite3_stmt *st = NULL;

		/* Same organizations as the cooperative's and plant's clerks.
		 */
		if (sqlite3_prepare_v2(db_handle(fuzz.db),
		        "SELECT organization_id FROM users WHERE username = ?1",
		        -1, &st, NULL) != SQLITE_OK)
			fuzz_die("cannot read users");
		sqlite3_bind_text(st, 1,
		    fuzz_usernames[i == 0 ? FUZZ_COOP_CLERK : FUZZ_PLANT_CLERK],
		    -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			coop.organization_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		u.username = i == 0 ? "victima-coop" : "victima-planta";
		u.display_name = u.username;
		u.role = ROLE_CLERK;
		u.organization_id = coop.organization_id;
		if (admin_user_add(fuzz.db, &u, FUZZ_PASSWORD, &why) != ERR_OK)
			fuzz_die("cannot add a user");
		fuzz.victims[i] = u.id;
	}
	fuzz_load_dnis();
}

void
fuzz_server_init(unsigned threads)
{
	struct stat st;
	size_t i;

	log_set_quiet(getenv("PERGAMINO_FUZZ_LOG") == NULL);
	password_set_cost(PASSWORD_COST_MIN);
	if (password_init(0) != ERR_OK)
		fuzz_die("password_init");
	/* tmpfs: synchronous=FULL costs nothing there. */
	snprintf(fuzz.dir, sizeof(fuzz.dir), "%s/pergamino-fuzz-XXXXXX",
	    stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm"
	                                                      : "/tmp");
	if (mkdtemp(fuzz.dir) == NULL)
		fuzz_die("mkdtemp");
	snprintf(fuzz.db_path, sizeof(fuzz.db_path), "%s/test.db", fuzz.dir);
	if (db_open(fuzz.db_path, &fuzz.db) != ERR_OK ||
	    db_migrate(fuzz.db) != ERR_OK)
		fuzz_die("cannot create the database");
	atexit(fuzz_server_cleanup);
	fuzz_seed();
	fuzz.cfg.port = 0;
	fuzz.cfg.db_path = fuzz.db_path;
	fuzz.cfg.web_root = PERGAMINO_WEB_DIR;
	fuzz.cfg.threads = threads;
	fuzz.cfg.timeout_s = 5;
	if (server_start(&fuzz.cfg, &fuzz.srv) != ERR_OK)
		fuzz_die("server_start");
	fuzz.port = server_port(fuzz.srv);
	for (i = 1; i < FUZZ_WHO_COUNT; i++) {
		fuzz.who[i].username = fuzz_usernames[i];
		if (fuzz_login((enum fuzz_who)i) != 0)
			fuzz_die("cannot sign in");
	}
}

unsigned
fuzz_server_port(void)
{
	return fuzz.port;
}

struct fuzz_principal *
fuzz_principal(enum fuzz_who who)
{
	return &fuzz.who[who];
}

int64_t
fuzz_victim_user(unsigned i)
{
	return fuzz.victims[i % 2];
}

size_t
fuzz_dnis(const char **out, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < fuzz.dni_count; i++)
		out[i] = fuzz.dnis[i];
	return i;
}
