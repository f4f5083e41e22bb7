/*
 * What fuzz_pipeline and fuzz_http share: the real server, started once
 * in-process on a kernel-picked loopback port over a database seeded with
 * the demo data (src/admin/demo.c: organizations, one account per role,
 * and the guide's documents from reception to shipment), the demo
 * accounts signed in, and a small HTTP/1.1 client on raw sockets (no
 * libcurl: it would refuse or rewrite the malformed bytes fuzz_http
 * wants to send, and a persistent connection is faster).
 */
#ifndef PERGAMINO_FUZZ_SERVER_H
#define PERGAMINO_FUZZ_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_PASSWORD "Clave-de-prueba-2026"

/* The signed-in principals; index 0 is anonymous. */
enum fuzz_who {
	FUZZ_ANONYMOUS,
	FUZZ_OPERATOR,
	FUZZ_COOP_ADMIN,
	FUZZ_COOP_CLERK,
	FUZZ_COOP_EXPORT,
	FUZZ_PLANT_ADMIN,
	FUZZ_PLANT_CLERK,
	FUZZ_AUDITOR,
	FUZZ_WHO_COUNT
};

struct fuzz_principal {
	const char *username; /* NULL for FUZZ_ANONYMOUS */
	char cookie[160];     /* "pergamino_session=..." or "" */
	char csrf[96];
};

/* One HTTP answer. */
struct fuzz_reply {
	int status;            /* 0: no (complete) answer */
	char content_type[96]; /* "" when absent */
	char set_cookie[256];  /* first Set-Cookie, "" when absent */
	bool close;            /* the server closes the connection */
	char *body;            /* owned, NUL-terminated; NULL when empty */
	size_t body_len;
};

/*
 * Create the database (on /dev/shm when it exists), seed it, start the
 * server, sign everybody in.  Aborts on failure: a harness without its
 * server would report nothing.  Registers the cleanup with atexit().
 * threads: the server's worker threads (1: one polling thread, which
 * libmicrohttpd says it uses instead of a pool of 1).
 */
void fuzz_server_init(unsigned threads);
unsigned fuzz_server_port(void);
struct fuzz_principal *fuzz_principal(enum fuzz_who who);
/* Ids of two extra users the fuzzer may edit (never a principal). */
int64_t fuzz_victim_user(unsigned i);
/* Up to n producer DNIs of the demo data; returns how many. */
size_t fuzz_dnis(const char **out, size_t n);
/*
 * Give who a valid session again after an input may have ended it
 * (logout, password change): restore the password, clear the login
 * throttle, sign in.  Aborts if that fails.
 */
void fuzz_relogin(enum fuzz_who who);

/* A TCP connection to the server; -1 on failure. */
int fuzz_connect(void);
/* Close fd at once (RST, no TIME_WAIT: thousands of connections a minute). */
void fuzz_close_now(int fd);
/* Write all of buf within timeout_ms.  0 on success. */
int fuzz_write_all(int fd, const void *buf, size_t len, int timeout_ms);
/*
 * Read one answer from fd within timeout_ms (head: a HEAD request, no
 * body).  Returns 0 when a complete answer was read.
 */
int fuzz_read_reply(int fd, bool head, int timeout_ms, struct fuzz_reply *r);
void fuzz_reply_free(struct fuzz_reply *r);

#endif
