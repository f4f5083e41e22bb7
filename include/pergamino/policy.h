/*
 * Who may do what: roles, organization kinds, the permission each route
 * declares, and the one table that says which role holds which permission.
 * Pure: no I/O.  Organization scope (whose rows) is enforced in SQL through
 * the user_scope view; this module decides only the kind of action.
 */
#ifndef PERGAMINO_POLICY_H
#define PERGAMINO_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
	ROLE_NONE = 0, /* anonymous */
	ROLE_SUPERADMIN,
	ROLE_ADMIN,
	ROLE_CLERK,
	ROLE_EXPORTER,
	ROLE_AUDITOR,
	ROLE_COUNT
};

enum org_kind {
	ORG_NONE = 0,
	ORG_COOPERATIVE,
	ORG_PLANT,
	ORG_EXPORTER,
	ORG_CERTIFIER,
	ORG_KIND_COUNT
};

/* The permission a route requires.  Every route names exactly one. */
enum perm {
	PERM_PUBLIC = 0, /* no session needed */
	PERM_SIGNED_IN,  /* any signed-in user: own account, tokens */
	PERM_ORG_READ,   /* read records of the orgs in the caller's scope */
	PERM_AUDIT_READ, /* read the audit log of the caller's scope */
	PERM_USER_ADMIN, /* manage users (admin: own org; superadmin: all) */
	PERM_ORG_ADMIN,  /* own org's settings, numbering, auditor grants */
	PERM_INSTANCE,   /* instance operator: organizations */
	PERM_COOP_WRITE, /* cooperative admin/clerk: registry, acopio, dispatch,
	                    orders */
	PERM_PLANT_WRITE,  /* plant admin/clerk: plant receipts, LOP, exits */
	PERM_EXPORT_WRITE, /* cooperative or exporter admin/exporter: export
	                      lots, shipments */
	PERM_COUNT
};

#define POLICY_USERNAME_MAX 64 /* bytes */

/* The authenticated caller of one request. */
struct principal {
	int64_t user_id; /* 0: anonymous */
	int64_t org_id;  /* 0: none (superadmin) */
	int64_t credential_id;
	enum role role;
	enum org_kind org_kind;
	bool via_cookie; /* cookie session: writes need the CSRF token */
	char username[POLICY_USERNAME_MAX + 1];
	char csrf[65]; /* hex; the token cookie writes must echo */
};

/*
 * Does p's role hold perm, and is p's organization of a kind that does
 * that work (acopio is a cooperative's)?
 */
bool policy_allows(const struct principal *p, enum perm perm);
/* True for roles that never write (auditors). */
bool policy_read_only(enum role role);

/* Name <-> enum; NULL / ROLE_NONE / ORG_NONE for unknown values. */
const char *policy_role_name(enum role role);
enum role policy_role_parse(const char *s);
const char *policy_org_kind_name(enum org_kind kind);
enum org_kind policy_org_kind_parse(const char *s);
const char *policy_perm_name(enum perm perm);

/*
 * Navigation sections for this caller, in display order, as stable keys
 * ("acopio", "planta", ...).  Writes at most cap keys; returns the count.
 */
size_t policy_nav(const struct principal *p, const char **out, size_t cap);

/* User names: 3 to 64 of [a-z0-9._-]. */
bool policy_username_valid(const char *s);

/* May an admin of org kind create a user with this role? */
bool policy_role_assignable(enum org_kind kind, enum role role);

#endif
