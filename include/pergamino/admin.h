/*
 * Operator actions shared by the CLI and the demo: create organizations
 * and users, set passwords.  Each validates its input the way the API
 * does, and writes with its audit event in one transaction.
 */
#ifndef PERGAMINO_ADMIN_H
#define PERGAMINO_ADMIN_H

#include <stdio.h>

#include "pergamino/db.h"
#include "pergamino/err.h"
#include "pergamino/stores.h"

/* Validate and insert o (sets o->id).  *why explains ERR_INVALID. */
enum err admin_org_add(struct db *db, struct org *o, struct msg *why);
/*
 * Validate, hash password and insert u (sets u->id).  u->password_hash
 * is ignored.  *why explains ERR_INVALID / ERR_CONFLICT.
 */
enum err admin_user_add(
    struct db *db, struct user *u, const char *password, struct msg *why);
/* Set a new password for username and revoke its sessions. */
enum err admin_user_passwd(
    struct db *db, const char *username, const char *password, struct msg *why);
/* Grant auditor_id access to org_id's records; *id is the grant. */
enum err admin_grant(struct db *db, int64_t org_id, int64_t auditor_id,
    int64_t by_user, int64_t *id);

/*
 * Load the guide's demo organizations and one account per role when the
 * database has no organizations yet; print each account once to out as
 * "demo-account role=<r> username=<u> password=<p>".  *seeded tells
 * whether anything was loaded.
 */
enum err demo_seed(struct db *db, FILE *out, bool *seeded);

/*
 * The guide's acopio example for the cooperative org (src/admin/
 * demo_acopio.c): registry, LPA, certifications, settings, numbering and
 * the 15 deliveries of lot CO-2365 with their notes and settlements.  One
 * transaction.
 */
enum err demo_acopio_seed(
    struct db *db, int64_t org, int64_t admin, int64_t clerk);

#endif
