/*
 * Structured logging: one JSON object per line on stderr.  Callers never
 * pass passwords, tokens or DNIs; detail is for our own messages.
 */
#ifndef PERGAMINO_LOG_H
#define PERGAMINO_LOG_H

#include <stdint.h>

void log_info(const char *module, const char *what, const char *detail);
void log_error(const char *module, const char *what, const char *detail);

/* The access-log line of one request. user_id 0: anonymous. */
void log_access(const char *request_id, const char *method, const char *path,
    unsigned int status, double duration_ms, int64_t user_id);

/* Silence info and access lines (tests); errors are always written. */
void log_set_quiet(int quiet);

#endif
