/*
 * Unit tests for src/domain/password_policy.c and src/domain/utf8.c (the
 * policy's UTF-8 rules).  Tables: each row a password, a username and the
 * expected English reason (NULL when accepted).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/err.h"
#include "pergamino/password_policy.h"
#include "pergamino/utf8.h"

#define PW_LONG "Password must not exceed 256 bytes"
#define PW_UTF8 "Password is not valid UTF-8"
#define PW_SHORT "Password must have at least 10 characters"
#define PW_USER "Password must not contain the username"
#define PW_REPEATED "Password must not be a single repeated character"
#define PW_COMMON "Password is too common"

struct pw_case {
	const char *password;
	const char *username;
	const char *why_en; /* NULL: accepted */
};

/* clang-format off */
static const struct pw_case pw_cases[] = {
	{ "cafe-de-altura-2024",	"jperez",	NULL },
	{ "k9#mW2!pQz",			"jperez",	NULL },	/* 10 */
	{ "k9#mW2!pQ",			"jperez",	PW_SHORT },	/* 9 */
	{ "",				"jperez",	PW_SHORT },
	{ NULL,				"jperez",	PW_SHORT },
	/* Length is in code points: 10 code points, 13 bytes. */
	{ "ñandú-café",			NULL,		NULL },
	/* 9 code points in 11 bytes is still too short. */
	{ "ñandú-caf",			NULL,		PW_SHORT },
	/* Invalid UTF-8: stray byte, overlong '/', surrogate, > U+10FFFF. */
	{ "abcdefghij\xff",		NULL,		PW_UTF8 },
	{ "\xc0\xaf" "abcdefghij",	NULL,		PW_UTF8 },
	{ "\xed\xa0\x80" "abcdefghij",	NULL,		PW_UTF8 },
	{ "\xf4\x90\x80\x80" "abcdefghij", NULL,	PW_UTF8 },
	{ "abcdefghij\xc3",		NULL,		PW_UTF8 },
	/* Username: contained, any ASCII case, when >= 4 bytes. */
	{ "jperez2024!!",		"jperez",	PW_USER },
	{ "mi-JPEREZ-clave",		"jperez",	PW_USER },
	{ "mi-jperez-clave",		"JPerez",	PW_USER },
	{ "xx-juan-xx-99",		"juan",		PW_USER },
	{ "xx-ana-xx-99",		"ana",		NULL },	/* 3 bytes */
	{ "Secreto-Cafe42",		"secreto-cafe42", PW_USER },
	{ "cafe-de-altura-2024",	"",		NULL },
	{ "cafe-de-altura-2024",	NULL,		NULL },
	/* One character repeated, in any case. */
	{ "aaaaaaaaaa",			NULL,		PW_REPEATED },
	{ "AaAaAaAaAaAa",		NULL,		PW_REPEATED },
	{ "1111111111",			NULL,		PW_REPEATED },
	{ "ññññññññññ",			NULL,		PW_REPEATED },
	{ "ÑñÑñÑñÑñÑñ",			NULL,		PW_REPEATED },
	{ "€€€€€€€€€€",			NULL,		PW_REPEATED },
	{ "aaaaaaaaab",			NULL,		NULL },
	{ "ñññññññññn",			NULL,		NULL },
	/* The built-in list, case-insensitive (ASCII and Latin-1). */
	{ "1234567890",			NULL,		PW_COMMON },
	{ "qwertyuiop",			NULL,		PW_COMMON },
	{ "password123",		NULL,		PW_COMMON },
	{ "PASSWORD123",		NULL,		PW_COMMON },
	{ "Password123",		NULL,		PW_COMMON },
	{ "contraseña123",		NULL,		PW_COMMON },
	{ "CONTRASEÑA123",		NULL,		PW_COMMON },
	{ "Contraseña123",		NULL,		PW_COMMON },
	{ "contrasena123",		NULL,		PW_COMMON },
	{ "peru123456",			NULL,		PW_COMMON },
	{ "Perú123456",			NULL,		PW_COMMON },
	{ "cafe123456",			NULL,		PW_COMMON },
	{ "CAFÉ123456",			NULL,		PW_COMMON },
	{ "administrador",		NULL,		PW_COMMON },
	{ "Administrador",		NULL,		PW_COMMON },
	{ "asdfghjklñ",			NULL,		PW_COMMON },
	/* Near misses are not on the list. */
	{ "password123x",		NULL,		NULL },
	{ "1234567890!",		NULL,		NULL },
	{ "administrado",		NULL,		NULL },
};
/* clang-format on */

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
test_policy_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pw_cases) / sizeof(pw_cases[0]); i++) {
		const struct pw_case *c = &pw_cases[i];
		struct msg why = MSG("stale", "stale");
		enum err rc;

		rc = password_policy_check(c->password, c->username, &why);
		if (!same_str(why.en, c->why_en))
			print_message("failing case %zu: \"%s\" -> %s\n", i,
			    c->password != NULL ? c->password : "(null)",
			    why.en != NULL ? why.en : "(ok)");
		assert_int_equal(rc, c->why_en == NULL ? ERR_OK : ERR_INVALID);
		if (c->why_en == NULL) {
			assert_null(why.es);
			assert_null(why.en);
		} else {
			assert_non_null(why.es);
			assert_string_equal(why.en, c->why_en);
		}
	}
}

/* PASSWORD_MAX_LEN bytes pass; one more byte is refused. */
static void
test_max_len_boundary(void **state)
{
	char pw[PASSWORD_MAX_LEN + 2];
	struct msg why;
	size_t i;

	(void)state;
	for (i = 0; i < PASSWORD_MAX_LEN + 1; i++)
		pw[i] = (char)('a' + i % 26);
	pw[PASSWORD_MAX_LEN] = '\0';
	assert_int_equal(password_policy_check(pw, "jperez", &why), ERR_OK);

	pw[PASSWORD_MAX_LEN] = 'x';
	pw[PASSWORD_MAX_LEN + 1] = '\0';
	assert_int_equal(
	    password_policy_check(pw, "jperez", &why), ERR_INVALID);
	assert_string_equal(why.en, PW_LONG);
}

/* The cap is in bytes: 128 two-byte 'ñ' pass, one more 'ñ' does not. */
static void
test_max_len_counts_bytes(void **state)
{
	char pw[PASSWORD_MAX_LEN + 3];
	struct msg why;
	size_t i;

	(void)state;
	for (i = 0; i + 1 < sizeof(pw); i += 2)
		memcpy(pw + i, i % 4 == 0 ? "\xc3\xb1" : "\xc3\xa1", 2);
	pw[PASSWORD_MAX_LEN] = '\0';
	assert_int_equal(password_policy_check(pw, NULL, &why), ERR_OK);

	memcpy(pw + PASSWORD_MAX_LEN, "\xc3\xb1", 3); /* one more ñ */
	assert_int_equal(password_policy_check(pw, NULL, &why), ERR_INVALID);
	assert_string_equal(why.en, PW_LONG);
}

/* A multi-kilobyte input is refused by length, not scanned to the end. */
static void
test_very_long_refused(void **state)
{
	char pw[8192];
	struct msg why;

	(void)state;
	memset(pw, 'z', sizeof(pw) - 1);
	pw[sizeof(pw) - 1] = '\0';
	assert_int_equal(password_policy_check(pw, NULL, &why), ERR_INVALID);
	assert_string_equal(why.en, PW_LONG);
}

static void
test_why_may_be_null(void **state)
{
	(void)state;
	assert_int_equal(
	    password_policy_check("cafe-de-altura-2024", NULL, NULL), ERR_OK);
	assert_int_equal(
	    password_policy_check("1234567890", NULL, NULL), ERR_INVALID);
}

/*
 * The list must be sorted for bsearch, already lower-case, long enough to
 * matter, and every entry must actually be refused as common.
 */
static void
test_common_list_well_formed(void **state)
{
	const char *const *list;
	size_t count, i;

	(void)state;
	list = password_policy_common_list(&count);
	assert_true(count >= 200);
	for (i = 0; i < count; i++) {
		struct msg why;

		if (i > 0 && strcmp(list[i - 1], list[i]) >= 0)
			print_message("out of order: %s\n", list[i]);
		if (i > 0)
			assert_true(strcmp(list[i - 1], list[i]) < 0);
		assert_true(utf8_valid(list[i], strlen(list[i])));
		assert_true(utf8_count(list[i]) >= PASSWORD_MIN_LEN);
		assert_true(strlen(list[i]) <= PASSWORD_MAX_LEN);
		assert_int_equal(
		    password_policy_check(list[i], NULL, &why), ERR_INVALID);
		if (strcmp(why.en, PW_COMMON) != 0)
			print_message("not refused as common: %s\n", list[i]);
		assert_string_equal(why.en, PW_COMMON);
	}
}

struct utf8_case {
	const char *bytes;
	size_t len;
	bool valid;
};

/* clang-format off */
static const struct utf8_case utf8_cases[] = {
	{ "",			0, true },
	{ "a",			1, true },
	{ "a\0b",		3, true },	/* NUL is valid UTF-8 */
	{ "\xc3\xb1",		2, true },	/* ñ */
	{ "\xc2\x80",		2, true },	/* U+0080, smallest 2-byte */
	{ "\xdf\xbf",		2, true },	/* U+07FF */
	{ "\xe0\xa0\x80",	3, true },	/* U+0800, smallest 3-byte */
	{ "\xe2\x82\xac",	3, true },	/* € */
	{ "\xed\x9f\xbf",	3, true },	/* U+D7FF, below surrogates */
	{ "\xee\x80\x80",	3, true },	/* U+E000, above surrogates */
	{ "\xef\xbf\xbf",	3, true },	/* U+FFFF */
	{ "\xf0\x90\x80\x80",	4, true },	/* U+10000 */
	{ "\xf0\x9d\x84\x9e",	4, true },	/* 𝄞 */
	{ "\xf4\x8f\xbf\xbf",	4, true },	/* U+10FFFF, the last */
	{ "\x80",		1, false },	/* lone continuation */
	{ "\xbf",		1, false },
	{ "\xc0\x80",		2, false },	/* overlong NUL */
	{ "\xc1\xbf",		2, false },	/* overlong U+007F */
	{ "\xe0\x80\x80",	3, false },	/* overlong */
	{ "\xe0\x9f\xbf",	3, false },	/* overlong U+07FF */
	{ "\xf0\x80\x80\x80",	4, false },	/* overlong */
	{ "\xf0\x8f\xbf\xbf",	4, false },	/* overlong U+FFFF */
	{ "\xed\xa0\x80",	3, false },	/* U+D800 surrogate */
	{ "\xed\xbf\xbf",	3, false },	/* U+DFFF surrogate */
	{ "\xf4\x90\x80\x80",	4, false },	/* U+110000 */
	{ "\xf5\x80\x80\x80",	4, false },
	{ "\xff",		1, false },
	{ "\xfe",		1, false },
	{ "\xc3",		1, false },	/* truncated */
	{ "\xe2\x82",		2, false },	/* truncated */
	{ "\xf0\x9d\x84",	3, false },	/* truncated */
	{ "\xc3\x28",		2, false },	/* bad continuation */
	{ "\xe2\x28\xa1",	3, false },
	{ "\xf0\x9d\x84\x28",	4, false },
	/* len limits the scan: the ñ is cut in half. */
	{ "a\xc3\xb1",		2, false },
};
/* clang-format on */

static void
test_utf8_valid_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		bool got = utf8_valid(utf8_cases[i].bytes, utf8_cases[i].len);

		if (got != utf8_cases[i].valid)
			print_message("failing utf8 case %zu\n", i);
		assert_true(got == utf8_cases[i].valid);
	}
	assert_true(utf8_valid(NULL, 0));
	assert_false(utf8_valid(NULL, 1));
}

static void
test_utf8_count(void **state)
{
	(void)state;
	assert_int_equal(utf8_count(NULL), 0);
	assert_int_equal(utf8_count(""), 0);
	assert_int_equal(utf8_count("abc"), 3);
	assert_int_equal(utf8_count("ñandú"), 5);
	assert_int_equal(utf8_count("€\xf0\x9d\x84\x9e"), 2);
	assert_int_equal(utf8_count("contraseña123"), 13);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_table),
		cmocka_unit_test(test_max_len_boundary),
		cmocka_unit_test(test_max_len_counts_bytes),
		cmocka_unit_test(test_very_long_refused),
		cmocka_unit_test(test_why_may_be_null),
		cmocka_unit_test(test_common_list_well_formed),
		cmocka_unit_test(test_utf8_valid_table),
		cmocka_unit_test(test_utf8_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
