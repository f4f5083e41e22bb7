/*
 * The logger under hostile input: a request method, a path and a message
 * longer than a log line.  Before the fix the closing text of the line was
 * copied past the 2 KB stack buffer: one request with a 2 100-byte method
 * killed the server ("stack smashing detected").  Each line must stay one
 * complete JSON object, truncated inside its strings, and the server must
 * keep answering.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "pergamino/log.h"

#define LONG_LEN 3000 /* bytes: longer than a whole log line */

/* Read the file at path into buf (NUL-terminated); bytes read. */
static size_t
slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t got = fd >= 0 ? read(fd, buf, cap - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[got > 0 ? got : 0] = '\0';
	return got > 0 ? (size_t)got : 0;
}

static void
test_long_method_path_and_message(void **state)
{
	struct fixture *f = *state;
	struct response r;
	static char method[LONG_LEN + 1], path[LONG_LEN + 1], buf[65536];
	char file[200], *line, *next;
	int saved, fd, n, lines = 0;

	memset(method, 'M', LONG_LEN);
	path[0] = '/'; /* a static path: logged as sent, not as a route */
	memset(path + 1, 'p', LONG_LEN - 1);
	snprintf(file, sizeof(file), "%s/log.jsonl", f->dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	log_set_quiet(0);

	assert_int_equal(
	    http_request(f, method, "/api/v1/health", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 405);
	response_free(&r);
	assert_int_equal(http_request(f, "GET", path, NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 404);
	response_free(&r);
	log_error("test", method, path);
	assert_int_equal(
	    http_request(f, "GET", "/api/v1/health", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);

	/*
	 * Access lines are written when MHD reports completion, on any
	 * worker, in any order: wait for all three.
	 */
	for (n = 0; n < 100; n++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		slurp(file, buf, sizeof(buf));
		if (strstr(buf, "\"status\":405") != NULL &&
		    strstr(buf, "\"status\":404") != NULL &&
		    strstr(buf, "\"status\":200") != NULL)
			break;
		nanosleep(&ts, NULL);
	}
	log_set_quiet(1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	slurp(file, buf, sizeof(buf));
	unlink(file);

	for (line = buf; *line != '\0'; line = next) {
		json_error_t err;
		json_t *j;

		next = strchr(line, '\n');
		assert_non_null(next); /* every line is complete */
		*next++ = '\0';
		if (strstr(line, "MMMM") == NULL &&
		    strstr(line, "pppp") == NULL)
			continue;
		j = json_loads(line, 0, &err);
		if (j == NULL)
			fail_msg("not JSON (%s): %.120s", err.text, line);
		assert_true(strlen(line) < 2048);
		assert_true(json_is_string(json_object_get(j, "msg")) ||
		    json_is_integer(json_object_get(j, "status")));
		json_decref(j);
		lines++;
	}
	assert_int_equal(lines, 3); /* the 405, the 404 and the message */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_method_path_and_message),
	};

	return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
