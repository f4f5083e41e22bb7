/*
 * Unit tests for src/util/jsonw.c and textbuf.c: the trace answers are
 * written as text, so the text must be what Jansson's compact dump of the
 * same tree gives (clients and the byte-for-byte comparisons rely on it),
 * commas must land right in every nesting, and a failure (memory, size)
 * must give no text at all rather than a truncated answer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/jsonw.h"
#include "pergamino/jsonx.h"
#include "pergamino/textbuf.h"

/* The writer's text for w, taken. */
static char *
take(struct jsonw *w)
{
	char *text = NULL;

	assert_int_equal(jsonw_take(w, &text), ERR_OK);
	assert_non_null(text);
	return text;
}

/* Jansson's compact dump of v (stolen). */
static char *
dump(json_t *v)
{
	char *text;

	assert_non_null(v);
	text = jsonx_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(v);
	assert_non_null(text);
	return text;
}

/* Every byte 1..127 and some UTF-8 escape exactly as Jansson escapes. */
static void
test_strings_as_jansson(void **state)
{
	const char *samples[] = { "", "plain", "Juan Pérez Vargas", "a\"b",
		"back\\slash", "tab\there", "line\nbreak", "cr\r", "bell\a",
		"\b\f", "/slash/", "ñandú ☕ 𝄞", "\x7f del", "\x1f unit" };
	char one[2] = { 0, 0 };
	struct jsonw w;
	char *mine, *theirs;
	size_t i;
	int c;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		jsonw_init(&w);
		jsonw_str(&w, samples[i]);
		mine = take(&w);
		theirs = dump(json_string(samples[i]));
		assert_string_equal(mine, theirs);
		free(mine);
		free(theirs);
	}
	for (c = 1; c < 128; c++) {
		one[0] = (char)c;
		jsonw_init(&w);
		jsonw_str(&w, one);
		mine = take(&w);
		theirs = dump(json_string(one));
		assert_string_equal(mine, theirs);
		free(mine);
		free(theirs);
	}
}

/* A nested answer: the same text as the tree Jansson would dump. */
static void
test_nesting_as_jansson(void **state)
{
	const char node[] = "{\"id\":7,\"net_kg\":\"472.600\"}";
	struct jsonw w;
	char *mine, *theirs;
	json_t *tree;

	(void)state;
	jsonw_init(&w);
	jsonw_object(&w);
	jsonw_key(&w, "root");
	jsonw_object(&w);
	jsonw_key(&w, "kind");
	jsonw_str(&w, "export-lots");
	jsonw_key(&w, "id");
	jsonw_int(&w, 1);
	jsonw_key(&w, "document");
	jsonw_raw(&w, node, strlen(node));
	jsonw_end_object(&w);
	jsonw_key(&w, "empty");
	jsonw_array(&w);
	jsonw_end_array(&w);
	jsonw_key(&w, "list");
	jsonw_array(&w);
	jsonw_int(&w, -9223372036854775807LL - 1);
	jsonw_null(&w);
	jsonw_bool(&w, true);
	jsonw_bool(&w, false);
	jsonw_decimal(&w, 472600, 3, 3);
	jsonw_decimal(&w, -352672, 2, 2);
	jsonw_object(&w);
	jsonw_end_object(&w);
	jsonw_array(&w);
	jsonw_array(&w);
	jsonw_int(&w, 0);
	jsonw_end_array(&w);
	jsonw_end_array(&w);
	jsonw_raw(&w, NULL, 0);
	jsonw_json(&w, NULL);
	jsonw_end_array(&w);
	jsonw_key(&w, "tree");
	tree = json_pack("{s:[i,s], s:n}", "a", 1, "b", "c", "d");
	jsonw_json(&w, tree);
	json_decref(tree);
	jsonw_end_object(&w);
	mine = take(&w);
	theirs = dump(json_pack("{s:{s:s, s:i, s:{s:i, s:s}}, s:[], s:[I, n,"
	                        " b, b, s, s, {}, [[i]], n, n], s:{s:[i,s],"
	                        " s:n}}",
	    "root", "kind", "export-lots", "id", 1, "document", "id", 7,
	    "net_kg", "472.600", "empty", "list",
	    (json_int_t)(-9223372036854775807LL - 1), 1, 0, "472.600",
	    "-3526.72", 0, "tree", "a", 1, "b", "c", "d"));
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);
}

/* Past the size limit: no text, ERR_TOO_LARGE, and nothing is kept. */
static void
test_limit_sticks(void **state)
{
	struct jsonw w;
	char *text = (char *)"untouched";
	int i;

	(void)state;
	jsonw_init(&w);
	w.t.max = 64;
	jsonw_array(&w);
	for (i = 0; i < 100; i++)
		jsonw_str(&w, "0123456789");
	jsonw_end_array(&w);
	assert_int_equal(w.t.err, ERR_TOO_LARGE);
	assert_int_equal(jsonw_take(&w, &text), ERR_TOO_LARGE);
	assert_null(text);
	assert_null(w.t.s);
	assert_int_equal(w.t.len, 0);
}

/* The buffer grows past its first block and keeps every byte. */
static void
test_textbuf_grows(void **state)
{
	struct textbuf t = { 0 };
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++)
		textbuf_add(&t, i % 2 ? "b" : "a", 1);
	assert_int_equal(t.len, 100000);
	assert_int_equal(textbuf_take(&t, &text), ERR_OK);
	assert_int_equal(strlen(text), 100000);
	assert_int_equal(text[0], 'a');
	assert_int_equal(text[99999], 'b');
	free(text);
	/* Nothing added: an empty text, not NULL. */
	assert_int_equal(textbuf_take(&t, &text), ERR_OK);
	assert_string_equal(text, "");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_as_jansson),
		cmocka_unit_test(test_nesting_as_jansson),
		cmocka_unit_test(test_limit_sticks),
		cmocka_unit_test(test_textbuf_grows),
	};

	jsonx_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
