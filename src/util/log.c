/*
 * JSON-lines logger on stderr.  Each line is built in a local buffer and
 * written with one fputs, so lines from worker threads never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pergamino/log.h"

#define LOG_LINE_MAX 2048 /* bytes */
/*
 * Bytes an escaped field leaves free at the end of the line for the fixed
 * text written after it without a bound: at most 25 in log_line (three
 * closing pieces), about 70 in log_access (status, duration, user).  Without
 * it a 2 KB method or message ran the closing memcpy past the buffer: one
 * request with a long method crashed the server.
 */
#define LOG_TAIL_RESERVE 96 /* bytes */

/*
 * Read by every worker thread on each access line and set at any time (tests
 * toggle it while the server runs): atomic, not volatile, which orders
 * nothing between threads (a data race under ThreadSanitizer).
 */
static _Atomic int log_quiet;

void
log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

/*
 * Append s to buf as the inside of a JSON string, truncated so that
 * LOG_TAIL_RESERVE bytes stay free after it.
 */
static void
log_escape(char *buf, size_t cap, size_t *len, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;

	for (p = (const unsigned char *)(s != NULL ? s : ""); *p != '\0'; p++) {
		if (*len + 7 + LOG_TAIL_RESERVE >= cap)
			return;
		if (*p == '"' || *p == '\\') {
			buf[(*len)++] = '\\';
			buf[(*len)++] = (char)*p;
		} else if (*p < 0x20) {
			buf[(*len)++] = '\\';
			buf[(*len)++] = 'u';
			buf[(*len)++] = '0';
			buf[(*len)++] = '0';
			buf[(*len)++] = hex[*p >> 4];
			buf[(*len)++] = hex[*p & 0xf];
		} else {
			buf[(*len)++] = (char)*p;
		}
	}
}

/* Append the fixed text s, NUL included: the line is always terminated. */
static void
log_put(char *buf, size_t *len, const char *s)
{
	size_t n = strlen(s);

	memcpy(buf + *len, s, n + 1);
	*len += n;
}

static void
log_now(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	char base[24];

	if (strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		base[0] = '\0';
	(void)snprintf(buf, cap, "%s.%03dZ", base, (int)(ts.tv_nsec / 1000000));
}

static void
log_line(
    const char *level, const char *module, const char *what, const char *detail)
{
	char buf[LOG_LINE_MAX], now[32];
	size_t len = 0;

	log_now(now, sizeof(now));
	len = (size_t)snprintf(buf, sizeof(buf),
	    "{\"ts\":\"%s\",\"level\":\"%s\",\"module\":\"", now, level);
	log_escape(buf, sizeof(buf), &len, module);
	log_put(buf, &len, "\",\"msg\":\"");
	log_escape(buf, sizeof(buf), &len, what);
	log_put(buf, &len, "\",\"detail\":\"");
	log_escape(buf, sizeof(buf), &len, detail);
	log_put(buf, &len, "\"}\n");
	fputs(buf, stderr);
}

void
log_info(const char *module, const char *what, const char *detail)
{
	if (!log_quiet)
		log_line("info", module, what, detail);
}

void
log_error(const char *module, const char *what, const char *detail)
{
	log_line("error", module, what, detail);
}

void
log_access(const char *request_id, const char *method, const char *path,
    unsigned int status, double duration_ms, int64_t user_id)
{
	char buf[LOG_LINE_MAX], now[32];
	size_t len;

	if (log_quiet)
		return;
	log_now(now, sizeof(now));
	len = (size_t)snprintf(buf, sizeof(buf),
	    "{\"ts\":\"%s\",\"level\":\"access\",\"rid\":\"%s\",\"method\":\"",
	    now, request_id);
	log_escape(buf, sizeof(buf), &len, method);
	log_put(buf, &len, "\",\"path\":\"");
	log_escape(buf, sizeof(buf), &len, path);
	(void)snprintf(buf + len, sizeof(buf) - len,
	    "\",\"status\":%u,\"ms\":%.3f,\"user\":%lld}\n", status,
	    duration_ms, (long long)user_id);
	fputs(buf, stderr);
}
