/*
 * API test harness: a real server on a kernel-picked port with a fresh
 * database file in a temporary directory, seeded with two cooperatives,
 * a plant and a certifier, one user per role, driven over HTTP with
 * libcurl.  Password hashing runs at minimum cost (tests only).
 */
#ifndef PERGAMINO_TEST_HARNESS_H
#define PERGAMINO_TEST_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>
#include <jansson.h>

#include "pergamino/http.h"

#define TEST_PASSWORD "Clave-de-prueba-2026"

/* The seeded principals, by index into fixture.users. */
enum test_user {
	TU_OPERATOR, /* superadmin */
	TU_A_ADMIN,  /* cooperative A */
	TU_A_CLERK,
	TU_A_EXPORT,
	TU_B_ADMIN, /* plant B */
	TU_B_CLERK,
	TU_C_AUDITOR,  /* certifier C, granted by A */
	TU_C_AUDITOR2, /* certifier C, no grant */
	TU_D_ADMIN,    /* cooperative D: the outsider */
	TU_COUNT
};

struct test_user_info {
	const char *username;
	enum role role;
	enum org_kind org_kind;
	int64_t id;
	int64_t org_id;
};

struct fixture {
	char dir[128];
	char db_path[192];
	struct server *srv;
	struct server_config cfg;
	unsigned port;
	int64_t org_a, org_b, org_c, org_d;
	int64_t grant_a_c; /* A's grant to TU_C_AUDITOR */
	struct test_user_info users[TU_COUNT];
};

struct response {
	long status;
	char *body;
	size_t body_len;
	char *headers; /* raw header block */
	json_t *json;  /* parsed body, or NULL */
};

struct session {
	char cookie[128]; /* "pergamino_session=..." */
	char csrf[80];
	char bearer[80];
};

/* Group fixture helpers: create, seed and start; stop and remove. */
int harness_setup(void **state);
int harness_teardown(void **state);
/* Stop and start the server again with f->cfg (e.g. shorter sessions). */
int harness_restart(struct fixture *f);

/*
 * One HTTP request.  headers: NULL-terminated list of "Name: value".
 * body may be NULL.  Returns 0 when an answer arrived.
 */
int http_request(struct fixture *f, const char *method, const char *path,
    const char *const *headers, const char *body, size_t body_len,
    struct response *r);
void response_free(struct response *r);
/* Value of a response header (case-insensitive), copied into buf. */
const char *response_header(
    struct response *r, const char *name, char *buf, size_t cap);
/* "code" of a problem+json answer, or "". */
const char *response_code(struct response *r);

/* Log in; fills s (cookie and CSRF token).  Returns the HTTP status. */
long session_login(
    struct fixture *f, const char *user, const char *pw, struct session *s);
/* A request as s: cookie + CSRF (or bearer), JSON body when not NULL. */
int session_call(struct fixture *f, struct session *s, const char *method,
    const char *path, const char *json, struct response *r);
/* Same, with one extra header line. */
int session_call_h(struct fixture *f, struct session *s, const char *method,
    const char *path, const char *json, const char *extra, struct response *r);

/* Open the fixture's database directly (for tamper tests). */
struct db;
int harness_db(struct fixture *f, struct db **out);

/* How far harness_seed_story() takes the guide's story (as --demo loads it). */
enum harness_story {
	HARNESS_STORY_ACOPIO,   /* A's registry and the 15 deliveries */
	HARNESS_STORY_TRANSFER, /* guía 5469 to B's plant, receipt 3052 */
	HARNESS_STORY_PROCESS,  /* process order, LOP 1204, exit guide */
	HARNESS_STORY_EXPORT,   /* export lot 004-17 and its shipment */
};
/* Seed the guide's story into the fixture's database up to upto. */
int harness_seed_story(struct fixture *f, enum harness_story upto);
/* The first column of sql's first row as an integer; -1 if none. */
int64_t harness_int(struct db *db, const char *sql);
/* The same on a connection of its own to the fixture's database. */
int64_t harness_fixture_int(struct fixture *f, const char *sql);
/* Run sql (no rows, no parameters) on the fixture's database: 0 ok. */
int harness_exec(struct fixture *f, const char *sql);

#endif
