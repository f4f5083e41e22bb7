/* The access policy table, navigation, roles and strict number parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pergamino/parse.h"
#include "pergamino/policy.h"

static void
test_policy_table(void **state)
{
	/* clang-format off */
	static const struct {
		enum role role;
		enum perm perm;
		bool allowed;
	} cases[] = {
		{ ROLE_NONE, PERM_PUBLIC, true },
		{ ROLE_NONE, PERM_SIGNED_IN, false },
		{ ROLE_AUDITOR, PERM_ORG_READ, true },
		{ ROLE_AUDITOR, PERM_AUDIT_READ, true },
		{ ROLE_AUDITOR, PERM_USER_ADMIN, false },
		{ ROLE_AUDITOR, PERM_ORG_ADMIN, false },
		{ ROLE_CLERK, PERM_AUDIT_READ, false },
		{ ROLE_CLERK, PERM_USER_ADMIN, false },
		{ ROLE_EXPORTER, PERM_ORG_READ, true },
		{ ROLE_ADMIN, PERM_ORG_ADMIN, true },
		{ ROLE_ADMIN, PERM_INSTANCE, false },
		{ ROLE_SUPERADMIN, PERM_INSTANCE, true },
		{ ROLE_SUPERADMIN, PERM_ORG_READ, false },
	};
	/* clang-format on */
	struct principal p = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p.role = cases[i].role;
		if (policy_allows(&p, cases[i].perm) != cases[i].allowed)
			fail_msg(
			    "role %d perm %d", cases[i].role, cases[i].perm);
	}
	assert_false(policy_allows(NULL, PERM_PUBLIC));

	/* Acopio writes are a cooperative's clerks' and admins'. */
	p.role = ROLE_CLERK;
	p.org_kind = ORG_COOPERATIVE;
	assert_true(policy_allows(&p, PERM_COOP_WRITE));
	p.org_kind = ORG_PLANT;
	assert_false(policy_allows(&p, PERM_COOP_WRITE));
	p.role = ROLE_EXPORTER;
	p.org_kind = ORG_COOPERATIVE;
	assert_false(policy_allows(&p, PERM_COOP_WRITE));
	p.role = ROLE_AUDITOR;
	p.org_kind = ORG_CERTIFIER;
	assert_false(policy_allows(&p, PERM_COOP_WRITE));
	assert_false(policy_allows(&p, PERM_PLANT_WRITE));
	/* Plant writes are a plant's clerks' and admins'. */
	p.role = ROLE_CLERK;
	p.org_kind = ORG_PLANT;
	assert_true(policy_allows(&p, PERM_PLANT_WRITE));
	assert_false(policy_allows(&p, PERM_COOP_WRITE));
	p.org_kind = ORG_COOPERATIVE;
	assert_false(policy_allows(&p, PERM_PLANT_WRITE));
	/*
	 * Export documents: a cooperative's or exporter's exporters and
	 * admins, never its clerks, a plant or an auditor.
	 */
	assert_false(policy_allows(&p, PERM_EXPORT_WRITE));
	p.role = ROLE_EXPORTER;
	assert_true(policy_allows(&p, PERM_EXPORT_WRITE));
	assert_false(policy_allows(&p, PERM_COOP_WRITE));
	assert_false(policy_allows(&p, PERM_PLANT_WRITE));
	p.org_kind = ORG_EXPORTER;
	assert_true(policy_allows(&p, PERM_EXPORT_WRITE));
	p.role = ROLE_ADMIN;
	assert_true(policy_allows(&p, PERM_EXPORT_WRITE));
	p.org_kind = ORG_COOPERATIVE;
	assert_true(policy_allows(&p, PERM_EXPORT_WRITE));
	p.org_kind = ORG_PLANT;
	assert_false(policy_allows(&p, PERM_EXPORT_WRITE));
	p.role = ROLE_AUDITOR;
	p.org_kind = ORG_CERTIFIER;
	assert_false(policy_allows(&p, PERM_EXPORT_WRITE));
	p.role = ROLE_COUNT;
	assert_false(policy_allows(&p, PERM_PUBLIC));
}

static void
test_nav_by_role(void **state)
{
	struct principal p = { 0 };
	const char *nav[8];
	size_t n;

	(void)state;
	p.user_id = 1;
	p.role = ROLE_CLERK;
	p.org_kind = ORG_PLANT;
	n = policy_nav(&p, nav, 8);
	assert_int_equal(n, 2);
	assert_string_equal(nav[0], "planta");
	assert_string_equal(nav[1], "trazabilidad");

	p.role = ROLE_AUDITOR;
	p.org_kind = ORG_CERTIFIER;
	n = policy_nav(&p, nav, 8);
	assert_int_equal(n, 5);
	assert_string_equal(nav[4], "auditoria");

	p.role = ROLE_ADMIN;
	p.org_kind = ORG_COOPERATIVE;
	n = policy_nav(&p, nav, 8);
	assert_int_equal(n, 6);
	assert_string_equal(nav[5], "administracion");

	p.role = ROLE_NONE;
	assert_int_equal(policy_nav(&p, nav, 8), 0);
}

static void
test_roles_assignable(void **state)
{
	(void)state;
	assert_true(policy_role_assignable(ORG_CERTIFIER, ROLE_AUDITOR));
	assert_false(policy_role_assignable(ORG_COOPERATIVE, ROLE_AUDITOR));
	assert_false(policy_role_assignable(ORG_PLANT, ROLE_EXPORTER));
	assert_true(policy_role_assignable(ORG_EXPORTER, ROLE_EXPORTER));
	assert_false(policy_role_assignable(ORG_COOPERATIVE, ROLE_SUPERADMIN));
	assert_int_equal(policy_role_parse("admin"), ROLE_ADMIN);
	assert_int_equal(policy_role_parse("Admin"), ROLE_NONE);
	assert_int_equal(policy_org_kind_parse("plant"), ORG_PLANT);
}

static void
test_usernames(void **state)
{
	(void)state;
	assert_true(policy_username_valid("coop-acopio"));
	assert_true(policy_username_valid("j.perez_2"));
	assert_false(policy_username_valid("ab"));
	assert_false(policy_username_valid("Juan"));
	assert_false(policy_username_valid("juan perez"));
	assert_false(policy_username_valid(NULL));
}

static void
test_parse_uint_table(void **state)
{
	/* clang-format off */
	static const struct {
		const char *s;
		uint64_t max;
		bool ok;
		uint64_t v;
	} cases[] = {
		{ "0", 10, true, 0 },
		{ "10", 10, true, 10 },
		{ "11", 10, false, 0 },
		{ "007", 1000, false, 0 },
		{ "", 10, false, 0 },
		{ "-1", 10, false, 0 },
		{ "+1", 10, false, 0 },
		{ " 1", 10, false, 0 },
		{ "1a", 10, false, 0 },
		{ "9223372036854775807", INT64_MAX, true, INT64_MAX },
		{ "9223372036854775808", INT64_MAX, false, 0 },
		{ "18446744073709551615", UINT64_MAX, false, 0 },
		{ "5", 0, false, 0 },
	};
	/* clang-format on */
	uint64_t v;
	int64_t id;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 12345;
		if ((parse_uint(cases[i].s, cases[i].max, &v) == ERR_OK) !=
		    cases[i].ok)
			fail_msg("parse_uint(%s)", cases[i].s);
		assert_int_equal(v, cases[i].ok ? cases[i].v : 12345);
	}
	assert_int_equal(parse_id("0", &id), ERR_INVALID);
	assert_int_equal(parse_id("12", &id), ERR_OK);
	assert_int_equal(id, 12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_table),
		cmocka_unit_test(test_nav_by_role),
		cmocka_unit_test(test_roles_assignable),
		cmocka_unit_test(test_usernames),
		cmocka_unit_test(test_parse_uint_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
