/*
 * Demo data: the guide's organizations and one account per role.
 * The guide's RUCs are mostly invalid (see DOMAIN.md); the demo uses
 * corrected ones: the association's 20427376985 fails its check digit and
 * becomes 20427376983; the plant's 10-digit "2051078079" gets its check
 * digit: 20510780796; Organic World has none in the guide: 20600000005 is
 * invented.  Passwords are random and printed once.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pergamino/admin.h"
#include "pergamino/export.h"
#include "pergamino/process.h"
#include "pergamino/transfer.h"

#define DEMO_PASSWORD_LEN 16

struct demo_account {
	const char *username;
	const char *display_name;
	enum role role;
	int org; /* index into demo_orgs; -1: none (operator) */
};

/* clang-format off */
static const struct {
	const char *name, *ruc, *address, *phone;
	enum org_kind kind;
} demo_orgs[] = {
	{ "Asociación San Ignacio-Tabaconas", "20427376983",
	  "Jr. Jaén n.º 874, San Ignacio, Cajamarca", "(076) 352 058",
	  ORG_COOPERATIVE },
	{ "Procesadora del Norte", "20510780796",
	  "Jr. Huáscar n.º 563, Jaén, Cajamarca", "(076) 462 532", ORG_PLANT },
	{ "Organic World", "20600000005", "Lima", "", ORG_CERTIFIER },
};

static const struct demo_account demo_accounts[] = {
	{ "operador", "Operador de la instancia", ROLE_SUPERADMIN, -1 },
	{ "coop-admin", "Administración de la asociación", ROLE_ADMIN, 0 },
	{ "coop-acopio", "Almacén de acopio", ROLE_CLERK, 0 },
	{ "coop-export", "Exportaciones de la asociación", ROLE_EXPORTER, 0 },
	{ "planta-admin", "Administración de la planta", ROLE_ADMIN, 1 },
	{ "planta-clerk", "Recepción de planta", ROLE_CLERK, 1 },
	{ "auditor", "Inspector de Organic World", ROLE_AUDITOR, 2 },
};
/* clang-format on */

#define DEMO_ORG_COUNT (sizeof(demo_orgs) / sizeof(demo_orgs[0]))
#define DEMO_ACCOUNT_COUNT (sizeof(demo_accounts) / sizeof(demo_accounts[0]))

/* Random password from an unambiguous alphabet (no 0/O, 1/l). */
static void
demo_password(char out[DEMO_PASSWORD_LEN + 1])
{
	static const char alphabet[] =
	    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t i;

	for (i = 0; i < DEMO_PASSWORD_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[DEMO_PASSWORD_LEN] = '\0';
}

static enum err
demo_has_orgs(struct db *db, bool *has)
{
	json_t *items = NULL;
	int64_t next;
	enum err rc;

	rc = org_store_list_json(db, -1, 0, 1, &items, &next);
	*has = rc == ERR_OK && json_array_size(items) > 0;
	json_decref(items);
	return rc;
}

enum err
demo_seed(struct db *db, FILE *out, bool *seeded)
{
	int64_t org_ids[DEMO_ORG_COUNT], auditor_id = 0, admin_ids[2] = { 0 };
	int64_t coop_clerk = 0, plant_clerk = 0, coop_export = 0;
	int64_t grant_id;
	char pw[DEMO_PASSWORD_LEN + 1];
	struct msg why;
	bool has;
	size_t i;
	enum err rc;

	*seeded = false;
	rc = demo_has_orgs(db, &has);
	if (rc != ERR_OK || has)
		return rc;
	for (i = 0; i < DEMO_ORG_COUNT; i++) {
		struct org o = { 0 };

		o.name = demo_orgs[i].name;
		o.ruc = demo_orgs[i].ruc;
		o.address = demo_orgs[i].address;
		o.phone = demo_orgs[i].phone;
		o.kind = demo_orgs[i].kind;
		rc = admin_org_add(db, &o, &why);
		if (rc != ERR_OK)
			return rc;
		org_ids[i] = o.id;
	}
	for (i = 0; i < DEMO_ACCOUNT_COUNT; i++) {
		struct user u = { 0 };
		const struct demo_account *a = &demo_accounts[i];

		u.username = a->username;
		u.display_name = a->display_name;
		u.role = a->role;
		u.organization_id = a->org >= 0 ? org_ids[a->org] : 0;
		demo_password(pw);
		rc = admin_user_add(db, &u, pw, &why);
		if (rc != ERR_OK)
			return rc;
		if (a->role == ROLE_AUDITOR)
			auditor_id = u.id;
		if (a->role == ROLE_CLERK && a->org == 0)
			coop_clerk = u.id;
		if (a->role == ROLE_CLERK && a->org == 1)
			plant_clerk = u.id;
		if (a->role == ROLE_EXPORTER && a->org == 0)
			coop_export = u.id;
		if (a->role == ROLE_ADMIN && a->org >= 0 && a->org < 2)
			admin_ids[a->org] = u.id;
		fprintf(out, "demo-account role=%s username=%s password=%s\n",
		    policy_role_name(a->role), a->username, pw);
	}
	sodium_memzero(pw, sizeof(pw));
	/* The association and the plant let Organic World's inspector in. */
	for (i = 0; i < 2; i++) {
		rc = admin_grant(
		    db, org_ids[i], auditor_id, admin_ids[i], &grant_id);
		if (rc != ERR_OK)
			return rc;
	}
	rc = demo_acopio_seed(db, org_ids[0], admin_ids[0], coop_clerk);
	if (rc == ERR_OK)
		rc = demo_transfer_seed(
		    db, org_ids[0], coop_clerk, org_ids[1], plant_clerk);
	if (rc == ERR_OK)
		rc = demo_process_seed(
		    db, org_ids[0], coop_clerk, org_ids[1], plant_clerk);
	if (rc == ERR_OK)
		rc = demo_export_seed(db, org_ids[0], coop_export);
	if (rc != ERR_OK)
		return rc;
	fflush(out);
	*seeded = true;
	return ERR_OK;
}
