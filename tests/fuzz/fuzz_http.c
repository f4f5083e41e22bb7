/*
 * libFuzzer target: raw bytes to the real server on 127.0.0.1.
 *
 * Each input is written as it is to a new connection (after replacing the
 * placeholders @COOKIE@ and @CSRF@ by the cooperative clerk's session
 * cookie and CSRF token, so that bytes can get past authentication),
 * whatever the server answers is read (see fuzz_drain()), and the
 * connection is reset.  Then a health request on a separate
 * keep-alive connection must be answered 200 within a few seconds: a
 * server that crashed, hung, or leaked its connection slots fails there
 * and the harness aborts.  libMHD parses the request line, headers and
 * chunked bodies; server.c and everything behind it sees the result.
 */
#include <errno.h>
#include <time.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz_server.h"

#define FUZZ_MAX_INPUT (256u * 1024) /* bytes sent in one input */
#define FUZZ_FIRST_MS 25             /* wait for the first byte of an answer */
#define FUZZ_IDLE_MS 10     /* then until the answers pause this long */
#define FUZZ_HEALTH_MS 5000 /* a healthy server answers sooner */

static int fuzz_health_fd = -1;
static char *fuzz_buf; /* the input with placeholders replaced */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Each placeholder grows by less than 256 bytes; few fit in an input.
	 */
	fuzz_buf = malloc(FUZZ_MAX_INPUT * 32);
	if (fuzz_buf == NULL)
		abort();
	/* One thread: a request stuck in it starves the health check. */
	fuzz_server_init(1);
	return 0;
}

/* Copy in to fuzz_buf, replacing the placeholders.  Returns the length. */
static size_t
fuzz_expand(const uint8_t *in, size_t n)
{
	const struct fuzz_principal *p = fuzz_principal(FUZZ_COOP_CLERK);
	const struct {
		const char *name;
		const char *value;
	} subst[] = { { "@COOKIE@", p->cookie }, { "@CSRF@", p->csrf } };
	size_t i = 0, len = 0, k, nl, vl;
	bool done;

	while (i < n) {
		done = false;
		for (k = 0; k < 2 && !done; k++) {
			nl = strlen(subst[k].name);
			if (n - i >= nl &&
			    memcmp(in + i, subst[k].name, nl) == 0) {
				vl = strlen(subst[k].value);
				memcpy(fuzz_buf + len, subst[k].value, vl);
				len += vl;
				i += nl;
				done = true;
			}
		}
		if (!done)
			fuzz_buf[len++] = (char)in[i++];
	}
	return len;
}

/*
 * Read and drop what the server sends.  libmicrohttpd ignores a half-close
 * (it waits for more bytes until its idle timeout), and an input may hold
 * no complete request, several, or one still being answered; so: wait a
 * little for a first byte, then until the server closes or pauses.  An
 * answer cut short costs nothing: the health check is the oracle.
 */
static void
fuzz_drain(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[16384];
	int wait = FUZZ_FIRST_MS;
	ssize_t n;

	for (;;) {
		p.revents = 0;
		if (poll(&p, 1, wait) <= 0)
			return;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR)))
			return; /* closed or reset */
		wait = FUZZ_IDLE_MS;
	}
}

/* The server must still answer a plain request on another connection. */
static void
fuzz_health(void)
{
	static const char req[] = "GET /api/v1/health HTTP/1.1\r\n"
	                          "Host: fuzz\r\n\r\n";
	struct fuzz_reply r;
	int attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (fuzz_health_fd < 0)
			fuzz_health_fd = fuzz_connect();
		if (fuzz_health_fd >= 0 &&
		    fuzz_write_all(fuzz_health_fd, req, sizeof(req) - 1,
		        FUZZ_HEALTH_MS) == 0 &&
		    fuzz_read_reply(
		        fuzz_health_fd, false, FUZZ_HEALTH_MS, &r) == 0) {
			if (r.status != 200) {
				fprintf(stderr,
				    "fuzz_http: health answered %d\n",
				    r.status);
				abort();
			}
			if (r.close) {
				fuzz_close_now(fuzz_health_fd);
				fuzz_health_fd = -1;
			}
			fuzz_reply_free(&r);
			return;
		}
		/* Closed since the last input (idle timeout): once more. */
		fuzz_close_now(fuzz_health_fd);
		fuzz_health_fd = -1;
	}
	fprintf(stderr, "fuzz_http: the server stopped answering\n");
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	int fd;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	len = fuzz_expand(data, size);
	/*
	 * A refused connect() is retried for a second: on a machine shared with
	 * other loopback load (CI's tests, a second harness) connect() failed
	 * once in a 900 s run while the server was fine (the input alone
	 * replays cleanly).  A server that really stopped answering is caught
	 * by the health check after every input.
	 */
	fd = -1;
	for (int tries = 0; fd < 0 && tries < 50; tries++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		fd = fuzz_connect();
		if (fd < 0)
			nanosleep(&ts, NULL);
	}
	if (fd < 0) {
		fprintf(
		    stderr, "fuzz_http: cannot connect: %s\n", strerror(errno));
		abort();
	}
	/* A refused write is an answer too (the server closed early). */
	if (fuzz_write_all(fd, fuzz_buf, len, FUZZ_HEALTH_MS) == 0)
		fuzz_drain(fd);
	fuzz_close_now(fd);
	fuzz_health();
	return 0;
}
