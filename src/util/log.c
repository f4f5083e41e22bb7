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

/*
 * "2026-11-23T17:39:00.843Z".  The text up to the seconds is kept per
 * thread and rebuilt only when the second changes: strftime and snprintf
 * for every access line were ~3 k instructions a request.
 */
static void
log_now(char *buf, size_t cap)
{
	static _Thread_local time_t last_sec = (time_t)-1;
	static _Thread_local char base[24];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != last_sec) {
		gmtime_r(&ts.tv_sec, &tm);
		if (strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
			base[0] = '\0';
		last_sec = ts.tv_sec;
	}
	n = strlen(base);
	if (n + 6 > cap) {
		buf[0] = '\0';
		return;
	}
	ms = (int)(ts.tv_nsec / 1000000);
	memcpy(buf, base, n);
	buf[n++] = '.';
	buf[n++] = (char)('0' + ms / 100);
	buf[n++] = (char)('0' + ms / 10 % 10);
	buf[n++] = (char)('0' + ms % 10);
	buf[n++] = 'Z';
	buf[n] = '\0';
}

/* Append v in decimal (NUL included). */
static void
log_put_uint(char *buf, size_t *len, unsigned long long v)
{
	char digits[24];
	size_t n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		buf[(*len)++] = digits[--n];
	buf[*len] = '\0';
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
	size_t len = 0;
	long long us;

	if (log_quiet)
		return;
	/*
	 * Written piece by piece rather than with snprintf: the same line,
	 * ~4 k instructions fewer on every request.  The fixed pieces and the
	 * numbers fit in LOG_TAIL_RESERVE, which log_escape leaves free.
	 */
	log_now(now, sizeof(now));
	log_put(buf, &len, "{\"ts\":\"");
	log_put(buf, &len, now);
	log_put(buf, &len, "\",\"level\":\"access\",\"rid\":\"");
	log_escape(buf, sizeof(buf), &len, request_id);
	log_put(buf, &len, "\",\"method\":\"");
	log_escape(buf, sizeof(buf), &len, method);
	log_put(buf, &len, "\",\"path\":\"");
	log_escape(buf, sizeof(buf), &len, path);
	log_put(buf, &len, "\",\"status\":");
	log_put_uint(buf, &len, status);
	log_put(buf, &len, ",\"ms\":");
	if (duration_ms >= 0 && duration_ms < 1e12) {
		/* %.3f of a duration, in whole microseconds. */
		us = (long long)(duration_ms * 1000 + 0.5);
		log_put_uint(buf, &len, (unsigned long long)(us / 1000));
		buf[len++] = '.';
		buf[len++] = (char)('0' + us / 100 % 10);
		buf[len++] = (char)('0' + us / 10 % 10);
		buf[len++] = (char)('0' + us % 10);
		buf[len] = '\0';
	} else {
		/* Not a duration a clock gives; the first digits will do. */
		char odd[24];

		(void)snprintf(odd, sizeof(odd), "%.3f", duration_ms);
		log_put(buf, &len, odd);
	}
	log_put(buf, &len, ",\"user\":");
	if (user_id < 0) {
		buf[len++] = '-';
		log_put_uint(buf, &len, 0ULL - (unsigned long long)user_id);
	} else
		log_put_uint(buf, &len, (unsigned long long)user_id);
	log_put(buf, &len, "}\n");
	fputs(buf, stderr);
}
