/*
 * Hostile HTTP on loopback, bounded: raw bytes the way an attacker or a
 * broken client sends them (ambiguous framing, NUL in the path, unknown
 * methods, oversized headers), and a slowloris crowd of idle connections
 * while a real client on another loopback address still gets answers
 * within a second and the idle ones are timed out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define HOSTILE_IDLE 500
#define HOSTILE_TIMEOUT_S 2

/* A TCP connection to the server from source address src (NULL: any). */
static int
hostile_connect(struct fixture *f, const char *src)
{
	struct sockaddr_in to = { 0 }, from = { 0 };
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (src != NULL) {
		from.sin_family = AF_INET;
		inet_pton(AF_INET, src, &from.sin_addr);
		if (bind(fd, (struct sockaddr *)&from, sizeof(from)) != 0) {
			close(fd);
			return -1;
		}
	}
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)f->port);
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read until the peer closes, the buffer fills or timeout_ms passes. */
static size_t
hostile_read(int fd, char *buf, size_t cap, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;
	ssize_t got;

	while (n + 1 < cap && poll(&p, 1, timeout_ms) > 0) {
		got = read(fd, buf + n, cap - 1 - n);
		if (got <= 0)
			break;
		n += (size_t)got;
		if (strstr(buf, "\r\n\r\n") != NULL && n > 12)
			break; /* the status line and headers are enough */
	}
	buf[n] = '\0';
	return n;
}

/* Send raw bytes on a new connection; the response's status code. */
static int
hostile_status(struct fixture *f, const char *raw, size_t len)
{
	char buf[4096];
	int fd, status = -1;

	fd = hostile_connect(f, NULL);
	if (fd < 0)
		return -1;
	if (write(fd, raw, len) == (ssize_t)len &&
	    hostile_read(fd, buf, sizeof(buf), 3000) > 12 &&
	    strncmp(buf, "HTTP/1.1 ", 9) == 0)
		status = atoi(buf + 9);
	close(fd);
	return status;
}

#define RAW(s) (s), sizeof(s) - 1

static void
test_ambiguous_and_malformed_requests(void **state)
{
	struct fixture *f = *state;
	char *big;
	size_t len;

	/* Both Content-Length and Transfer-Encoding: smuggling, refused. */
	assert_int_equal(hostile_status(f,
	                     RAW("POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
	                         "Content-Length: 5\r\n"
	                         "Transfer-Encoding: chunked\r\n"
	                         "Content-Type: application/json\r\n\r\n"
	                         "0\r\n\r\n")),
	    400);
	/* An encoded NUL in the path, API and static. */
	assert_int_equal(hostile_status(f,
	                     RAW("GET /api/v1/health%00 HTTP/1.1\r\nHost: x\r\n"
	                         "Connection: close\r\n\r\n")),
	    400);
	assert_int_equal(hostile_status(f,
	                     RAW("GET /js/%00app.js HTTP/1.1\r\nHost: x\r\n"
	                         "Connection: close\r\n\r\n")),
	    400);
	/* TRACE and unknown methods. */
	assert_int_equal(hostile_status(f,
	                     RAW("TRACE /api/v1/health HTTP/1.1\r\nHost: x\r\n"
	                         "Connection: close\r\n\r\n")),
	    405);
	assert_int_equal(hostile_status(f,
	                     RAW("TRACE / HTTP/1.1\r\nHost: x\r\n"
	                         "Connection: close\r\n\r\n")),
	    405);
	assert_int_equal(hostile_status(f,
	                     RAW("FROB /api/v1/health HTTP/1.1\r\nHost: x\r\n"
	                         "Connection: close\r\n\r\n")),
	    405);
	/* A body announced far past the limit: refused before reading. */
	assert_int_equal(hostile_status(f,
	                     RAW("POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
	                         "Content-Length: 1000000000000\r\n"
	                         "Content-Type: application/json\r\n\r\n")),
	    413);
	/* A header flood past the per-connection memory: 431, no crash. */
	len = 200000;
	big = malloc(len + 64);
	assert_non_null(big);
	memcpy(big, "GET / HTTP/1.1\r\nHost: x\r\nX-A: ", 31);
	memset(big + 31, 'a', len - 35);
	memcpy(big + len - 4, "\r\n\r\n", 4);
	{
		int st = hostile_status(f, big, len);

		assert_true(st == 431 || st == 413 || st == 400);
	}
	free(big);
	/* Still serving afterwards. */
	assert_int_equal(hostile_status(f,
	                     RAW("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
	                         "Connection: close\r\n\r\n")),
	    200);
}

static double
hostile_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_slowloris_does_not_starve_real_clients(void **state)
{
	static const char partial[] =
	    "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n";
	static const char whole[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"
	                            "Connection: close\r\n\r\n";
	struct fixture *f = *state;
	int idle[HOSTILE_IDLE];
	int opened = 0, closed = 0, i, fd;
	char buf[1024];
	double t0, worst = 0;
	struct pollfd p;

	for (i = 0; i < HOSTILE_IDLE; i++) {
		idle[i] = hostile_connect(f, "127.0.0.1");
		if (idle[i] >= 0) {
			opened++;
			(void)!write(idle[i], partial, sizeof(partial) - 1);
		}
	}
	assert_true(opened > 0);
	/* A real client elsewhere on loopback: answered, and quickly. */
	for (i = 0; i < 10; i++) {
		t0 = hostile_now();
		fd = hostile_connect(f, "127.0.0.2");
		assert_true(fd >= 0);
		assert_int_equal(write(fd, whole, sizeof(whole) - 1),
		    (ssize_t)sizeof(whole) - 1);
		assert_true(hostile_read(fd, buf, sizeof(buf), 1000) > 12);
		assert_int_equal(strncmp(buf, "HTTP/1.1 200", 12), 0);
		close(fd);
		if (hostile_now() - t0 > worst)
			worst = hostile_now() - t0;
	}
	assert_true(worst < 1.0);
	/* The idle ones are closed by the server after its timeout. */
	sleep(HOSTILE_TIMEOUT_S + 2);
	for (i = 0; i < HOSTILE_IDLE; i++) {
		if (idle[i] < 0)
			continue;
		p.fd = idle[i];
		p.events = POLLIN;
		p.revents = 0;
		if (poll(&p, 1, 0) > 0 &&
		    (read(idle[i], buf, sizeof(buf)) <= 0 ||
		        (p.revents & (POLLHUP | POLLERR)) != 0))
			closed++;
		else if (p.revents != 0)
			closed++; /* an answer (408/429) counts as dealt with */
		close(idle[i]);
	}
	if (closed < opened)
		fail_msg("%d of %d idle connections still open after the "
		         "timeout",
		    opened - closed, opened);
}

static int
hostile_setup(void **state)
{
	struct fixture *f;

	if (harness_setup(state) != 0)
		return -1;
	f = *state;
	f->cfg.timeout_s = HOSTILE_TIMEOUT_S;
	return harness_restart(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ambiguous_and_malformed_requests),
		cmocka_unit_test(test_slowloris_does_not_starve_real_clients),
	};

	return cmocka_run_group_tests(tests, hostile_setup, harness_teardown);
}
