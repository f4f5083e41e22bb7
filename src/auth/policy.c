/*
 * The access policy: one table of role x permission.  Routes name a
 * permission; the router asks policy_allows() before any handler runs.
 * Organization scope is not decided here but in SQL (user_scope view).
 */
#include <string.h>

#include "pergamino/policy.h"

/* clang-format off */
/* rows: role; columns: enum perm in order. */
static const bool policy_table[ROLE_COUNT][PERM_COUNT] = {
	/*                 PUBLIC SIGNED ORGREAD AUDIT USERADM ORGADM INSTANCE COOP PLANT EXPORT */
	[ROLE_NONE]       = { 1,    0,     0,     0,     0,     0,     0,       0,   0,    0 },
	[ROLE_SUPERADMIN] = { 1,    1,     0,     1,     1,     0,     1,       0,   0,    0 },
	[ROLE_ADMIN]      = { 1,    1,     1,     1,     1,     1,     0,       1,   1,    1 },
	[ROLE_CLERK]      = { 1,    1,     1,     0,     0,     0,     0,       1,   1,    0 },
	[ROLE_EXPORTER]   = { 1,    1,     1,     0,     0,     0,     0,       0,   0,    1 },
	[ROLE_AUDITOR]    = { 1,    1,     1,     1,     0,     0,     0,       0,   0,    0 },
};

/* Organization kinds a permission is limited to (bits of 1 << kind); 0: any. */
static const unsigned policy_perm_kinds[PERM_COUNT] = {
	[PERM_COOP_WRITE] = 1u << ORG_COOPERATIVE,
	[PERM_PLANT_WRITE] = 1u << ORG_PLANT,
	[PERM_EXPORT_WRITE] = (1u << ORG_COOPERATIVE) | (1u << ORG_EXPORTER),
};

static const char *const policy_role_names[ROLE_COUNT] = {
	[ROLE_NONE] = NULL,
	[ROLE_SUPERADMIN] = "superadmin",
	[ROLE_ADMIN] = "admin",
	[ROLE_CLERK] = "clerk",
	[ROLE_EXPORTER] = "exporter",
	[ROLE_AUDITOR] = "auditor",
};

static const char *const policy_kind_names[ORG_KIND_COUNT] = {
	[ORG_NONE] = NULL,
	[ORG_COOPERATIVE] = "cooperative",
	[ORG_PLANT] = "plant",
	[ORG_EXPORTER] = "exporter",
	[ORG_CERTIFIER] = "certifier",
};

static const char *const policy_perm_names[PERM_COUNT] = {
	"public", "signed_in", "org_read", "audit_read", "user_admin",
	"org_admin", "instance", "coop_write", "plant_write", "export_write",
};
/* clang-format on */

bool
policy_allows(const struct principal *p, enum perm perm)
{
	if (p == NULL || (unsigned)p->role >= ROLE_COUNT ||
	    (unsigned)perm >= PERM_COUNT)
		return false;
	if (policy_perm_kinds[perm] != 0 &&
	    ((unsigned)p->org_kind >= ORG_KIND_COUNT ||
	        !(policy_perm_kinds[perm] & (1u << p->org_kind))))
		return false;
	return policy_table[p->role][perm];
}

bool
policy_read_only(enum role role)
{
	return role == ROLE_AUDITOR || role == ROLE_NONE;
}

const char *
policy_role_name(enum role role)
{
	if ((unsigned)role >= ROLE_COUNT)
		return NULL;
	return policy_role_names[role];
}

enum role
policy_role_parse(const char *s)
{
	int i;

	for (i = 1; s != NULL && i < ROLE_COUNT; i++)
		if (strcmp(s, policy_role_names[i]) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

const char *
policy_org_kind_name(enum org_kind kind)
{
	if ((unsigned)kind >= ORG_KIND_COUNT)
		return NULL;
	return policy_kind_names[kind];
}

enum org_kind
policy_org_kind_parse(const char *s)
{
	int i;

	for (i = 1; s != NULL && i < ORG_KIND_COUNT; i++)
		if (strcmp(s, policy_kind_names[i]) == 0)
			return (enum org_kind)i;
	return ORG_NONE;
}

const char *
policy_perm_name(enum perm perm)
{
	if ((unsigned)perm >= PERM_COUNT)
		return "unknown";
	return policy_perm_names[perm];
}

/* Which stage sections an organization kind works in. */
static bool
policy_kind_has(enum org_kind kind, const char *section)
{
	if (strcmp(section, "acopio") == 0)
		return kind == ORG_COOPERATIVE;
	if (strcmp(section, "planta") == 0)
		return kind == ORG_COOPERATIVE || kind == ORG_PLANT;
	if (strcmp(section, "exportacion") == 0)
		return kind == ORG_COOPERATIVE || kind == ORG_EXPORTER;
	return true;
}

size_t
policy_nav(const struct principal *p, const char **out, size_t cap)
{
	static const char *const stages[] = { "acopio", "planta",
		"exportacion" };
	size_t n = 0, i;

#define POLICY_NAV_ADD(key)                                                    \
	do {                                                                   \
		if (n < cap)                                                   \
			out[n++] = (key);                                      \
	} while (0)

	if (p == NULL || p->role == ROLE_NONE)
		return 0;
	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
		/* Auditors read every stage of the orgs that granted them. */
		if (p->role == ROLE_AUDITOR ||
		    (policy_allows(p, PERM_ORG_READ) &&
		        policy_kind_has(p->org_kind, stages[i])))
			POLICY_NAV_ADD(stages[i]);
	}
	if (policy_allows(p, PERM_ORG_READ))
		POLICY_NAV_ADD("trazabilidad");
	if (policy_allows(p, PERM_AUDIT_READ))
		POLICY_NAV_ADD("auditoria");
	if (policy_allows(p, PERM_USER_ADMIN))
		POLICY_NAV_ADD("administracion");
#undef POLICY_NAV_ADD
	return n;
}

bool
policy_role_assignable(enum org_kind kind, enum role role)
{
	switch (role) {
	case ROLE_ADMIN:
	case ROLE_CLERK:
		return kind != ORG_NONE;
	case ROLE_EXPORTER:
		return kind == ORG_COOPERATIVE || kind == ORG_EXPORTER;
	case ROLE_AUDITOR:
		return kind == ORG_CERTIFIER;
	default:
		return false;
	}
}

bool
policy_username_valid(const char *s)
{
	size_t n, i;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n < 3 || n > POLICY_USERNAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		        s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}
