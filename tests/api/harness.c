/* The API test harness (see harness.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "harness.h"
#include "pergamino/admin.h"
#include "pergamino/db.h"
#include "pergamino/export.h"
#include "pergamino/log.h"
#include "pergamino/password.h"
#include "pergamino/process.h"
#include "pergamino/transfer.h"

/* clang-format off */
static const struct {
	const char *username;
	enum role role;
	char org; /* 'A'..'D', 0: none */
} harness_users[TU_COUNT] = {
	[TU_OPERATOR] = { "operador", ROLE_SUPERADMIN, 0 },
	[TU_A_ADMIN] = { "a-admin", ROLE_ADMIN, 'A' },
	[TU_A_CLERK] = { "a-clerk", ROLE_CLERK, 'A' },
	[TU_A_EXPORT] = { "a-export", ROLE_EXPORTER, 'A' },
	[TU_B_ADMIN] = { "b-admin", ROLE_ADMIN, 'B' },
	[TU_B_CLERK] = { "b-clerk", ROLE_CLERK, 'B' },
	[TU_C_AUDITOR] = { "c-auditor", ROLE_AUDITOR, 'C' },
	[TU_C_AUDITOR2] = { "c-auditor2", ROLE_AUDITOR, 'C' },
	[TU_D_ADMIN] = { "d-admin", ROLE_ADMIN, 'D' },
};
/* clang-format on */

static int64_t
harness_org(struct fixture *f, char which)
{
	switch (which) {
	case 'A':
		return f->org_a;
	case 'B':
		return f->org_b;
	case 'C':
		return f->org_c;
	case 'D':
		return f->org_d;
	default:
		return 0;
	}
}

static int
harness_seed(struct fixture *f, struct db *db)
{
	struct org orgs[4] = {
		{ 0, "Cooperativa A", "20427376983", ORG_COOPERATIVE, "", "",
		    0 },
		{ 0, "Planta B", "20510780796", ORG_PLANT, "", "", 0 },
		{ 0, "Certificadora C", "20600000005", ORG_CERTIFIER, "", "",
		    0 },
		{ 0, "Cooperativa D", "20600000013", ORG_COOPERATIVE, "", "",
		    0 },
	};
	struct msg why;
	int i;

	for (i = 0; i < 4; i++)
		if (admin_org_add(db, &orgs[i], &why) != ERR_OK)
			return -1;
	f->org_a = orgs[0].id;
	f->org_b = orgs[1].id;
	f->org_c = orgs[2].id;
	f->org_d = orgs[3].id;
	for (i = 0; i < TU_COUNT; i++) {
		struct user u = { 0 };

		u.username = harness_users[i].username;
		u.display_name = harness_users[i].username;
		u.role = harness_users[i].role;
		u.organization_id = harness_org(f, harness_users[i].org);
		if (admin_user_add(db, &u, TEST_PASSWORD, &why) != ERR_OK)
			return -1;
		f->users[i].username = harness_users[i].username;
		f->users[i].role = u.role;
		f->users[i].id = u.id;
		f->users[i].org_id = u.organization_id;
		f->users[i].org_kind =
		    harness_users[i].org == 'A' || harness_users[i].org == 'D'
		    ? ORG_COOPERATIVE
		    : harness_users[i].org == 'B' ? ORG_PLANT
		    : harness_users[i].org == 'C' ? ORG_CERTIFIER
		                                  : ORG_NONE;
	}
	if (admin_grant(db, f->org_a, f->users[TU_C_AUDITOR].id,
	        f->users[TU_A_ADMIN].id, &f->grant_a_c) != ERR_OK)
		return -1;
	return 0;
}

int
harness_setup(void **state)
{
	struct fixture *f;
	struct db *db = NULL;
	const char *tmp;

	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -1;
	*state = f;
	log_set_quiet(getenv("PERGAMINO_TEST_LOG") == NULL);
	password_set_cost(PASSWORD_COST_MIN);
	if (password_init(0) != ERR_OK ||
	    curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return -1;
	/* PERGAMINO_TEST_TMPDIR: e.g. a tmpfs, where fsync costs nothing. */
	tmp = getenv("PERGAMINO_TEST_TMPDIR");
	snprintf(f->dir, sizeof(f->dir), "%s/pergamino-test-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->db_path, sizeof(f->db_path), "%s/test.db", f->dir);
	if (db_open(f->db_path, &db) != ERR_OK || db_migrate(db) != ERR_OK ||
	    harness_seed(f, db) != 0) {
		db_close(db);
		return -1;
	}
	db_close(db);
	f->cfg.port = 0;
	f->cfg.db_path = f->db_path;
	f->cfg.web_root = PERGAMINO_WEB_DIR;
	f->cfg.threads = 2;
	if (server_start(&f->cfg, &f->srv) != ERR_OK)
		return -1;
	f->port = server_port(f->srv);
	return 0;
}

int
harness_restart(struct fixture *f)
{
	server_stop(f->srv);
	f->srv = NULL;
	if (server_start(&f->cfg, &f->srv) != ERR_OK)
		return -1;
	f->port = server_port(f->srv);
	return 0;
}

int
harness_teardown(void **state)
{
	struct fixture *f = *state;
	char path[256];

	if (f == NULL)
		return 0;
	server_stop(f->srv);
	snprintf(path, sizeof(path), "%s/test.db", f->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/test.db-wal", f->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/test.db-shm", f->dir);
	unlink(path);
	rmdir(f->dir);
	free(f);
	curl_global_cleanup();
	return 0;
}

int
harness_db(struct fixture *f, struct db **out)
{
	return db_open(f->db_path, out) == ERR_OK ? 0 : -1;
}

int
harness_seed_story(struct fixture *f, enum harness_story upto)
{
	struct db *db = NULL;
	enum err rc;

	if (harness_db(f, &db) != 0)
		return -1;
	rc = demo_acopio_seed(
	    db, f->org_a, f->users[TU_A_ADMIN].id, f->users[TU_A_CLERK].id);
	if (rc == ERR_OK && upto >= HARNESS_STORY_TRANSFER)
		rc = demo_transfer_seed(db, f->org_a, f->users[TU_A_CLERK].id,
		    f->org_b, f->users[TU_B_CLERK].id);
	if (rc == ERR_OK && upto >= HARNESS_STORY_PROCESS)
		rc = demo_process_seed(db, f->org_a, f->users[TU_A_CLERK].id,
		    f->org_b, f->users[TU_B_CLERK].id);
	if (rc == ERR_OK && upto >= HARNESS_STORY_EXPORT)
		rc = demo_export_seed(db, f->org_a, f->users[TU_A_EXPORT].id);
	db_close(db);
	return rc == ERR_OK ? 0 : -1;
}

int64_t
harness_int(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int64_t
harness_fixture_int(struct fixture *f, const char *sql)
{
	struct db *db = NULL;
	int64_t v;

	if (harness_db(f, &db) != 0)
		return -1;
	v = harness_int(db, sql);
	db_close(db);
	return v;
}

int
harness_exec(struct fixture *f, const char *sql)
{
	struct db *db = NULL;
	int rc;

	if (harness_db(f, &db) != 0)
		return -1;
	rc = db_exec(db, sql) == ERR_OK ? 0 : -1;
	db_close(db);
	return rc;
}

struct harness_buf {
	char *data;
	size_t len;
};

static size_t
harness_write(char *ptr, size_t size, size_t n, void *arg)
{
	struct harness_buf *b = arg;
	size_t add = size * n;
	char *p = realloc(b->data, b->len + add + 1);

	if (p == NULL)
		return 0;
	memcpy(p + b->len, ptr, add);
	b->data = p;
	b->len += add;
	b->data[b->len] = '\0';
	return add;
}

int
http_request(struct fixture *f, const char *method, const char *path,
    const char *const *headers, const char *body, size_t body_len,
    struct response *r)
{
	struct harness_buf bb = { 0 }, hb = { 0 };
	struct curl_slist *hl = NULL;
	char url[2048];
	CURL *c;
	CURLcode cc;

	memset(r, 0, sizeof(*r));
	c = curl_easy_init();
	if (c == NULL)
		return -1;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", f->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, harness_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &bb);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, harness_write);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &hb);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(
		    c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	hl = curl_slist_append(hl, "Expect:");
	for (; headers != NULL && *headers != NULL; headers++)
		hl = curl_slist_append(hl, *headers);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	r->body = bb.data != NULL ? bb.data : calloc(1, 1);
	r->body_len = bb.len;
	r->headers = hb.data != NULL ? hb.data : calloc(1, 1);
	if (r->body_len > 0)
		r->json = json_loadb(r->body, r->body_len, 0, NULL);
	return cc == CURLE_OK ? 0 : -1;
}

void
response_free(struct response *r)
{
	free(r->body);
	free(r->headers);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

const char *
response_header(struct response *r, const char *name, char *buf, size_t cap)
{
	size_t nlen = strlen(name), vlen;
	const char *line = r->headers, *v;

	buf[0] = '\0';
	while (line != NULL && *line != '\0') {
		if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
			v = line + nlen + 1;
			while (*v == ' ')
				v++;
			vlen = strcspn(v, "\r\n");
			if (vlen >= cap)
				vlen = cap - 1;
			memcpy(buf, v, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return NULL;
}

const char *
response_code(struct response *r)
{
	const char *c = json_string_value(json_object_get(r->json, "code"));

	return c != NULL ? c : "";
}

long
session_login(
    struct fixture *f, const char *user, const char *pw, struct session *s)
{
	static const char *const hdr[] = { "Content-Type: application/json",
		NULL };
	char body[512], cookie[256];
	struct response r;
	json_t *doc;
	char *text;
	long status;

	memset(s, 0, sizeof(*s));
	doc = json_pack("{s:s, s:s}", "username", user, "password", pw);
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	snprintf(body, sizeof(body), "%s", text);
	free(text);
	if (http_request(f, "POST", "/api/v1/session", hdr, body, strlen(body),
	        &r) != 0) {
		response_free(&r);
		return -1;
	}
	status = r.status;
	if (status == 200 &&
	    response_header(&r, "Set-Cookie", cookie, sizeof(cookie)) != NULL) {
		snprintf(s->cookie, sizeof(s->cookie), "%.*s",
		    (int)strcspn(cookie, ";"), cookie);
		snprintf(s->csrf, sizeof(s->csrf), "%s",
		    json_string_value(json_object_get(r.json, "csrf_token")));
	}
	response_free(&r);
	return status;
}

int
session_call_h(struct fixture *f, struct session *s, const char *method,
    const char *path, const char *json, const char *extra, struct response *r)
{
	char cookie[192], csrf[128], bearer[128];
	const char *hdr[6];
	size_t n = 0;

	if (s != NULL && s->bearer[0] != '\0') {
		snprintf(bearer, sizeof(bearer), "Authorization: Bearer %s",
		    s->bearer);
		hdr[n++] = bearer;
	} else if (s != NULL && s->cookie[0] != '\0') {
		snprintf(cookie, sizeof(cookie), "Cookie: %s", s->cookie);
		snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s", s->csrf);
		hdr[n++] = cookie;
		hdr[n++] = csrf;
	}
	if (json != NULL)
		hdr[n++] = "Content-Type: application/json";
	if (extra != NULL)
		hdr[n++] = extra;
	hdr[n] = NULL;
	return http_request(
	    f, method, path, hdr, json, json != NULL ? strlen(json) : 0, r);
}

int
session_call(struct fixture *f, struct session *s, const char *method,
    const char *path, const char *json, struct response *r)
{
	return session_call_h(f, s, method, path, json, NULL, r);
}
