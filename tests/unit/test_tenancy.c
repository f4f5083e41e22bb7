/*
 * Tenant isolation by construction (docs/reliability.md, section 5).
 *
 * Three scans that fail when someone adds organization data without the
 * means to keep it apart:
 *  (a) the schema: every table holds an organization_id column, or is in
 *      the allowlist of global tables, or is a child table reached only
 *      through a named parent that holds one;
 *  (b) the foreign keys: a reference from one tenant table to another
 *      carries organization_id (composite), unless it is in the
 *      allowlist of references that cross organizations on purpose or
 *      are checked by a trigger or by the service;
 *  (c) the SQL in the C files of src/db: every statement that reads, updates or
 *      deletes a tenant table mentions organization_id or user_scope
 *      (directly or through a string macro that does), unless a
 *      "tenancy: <reason>" comment says why it needs not.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pergamino/db.h"

#ifndef PERGAMINO_SRC_DIR
#error "PERGAMINO_SRC_DIR must name the source tree's src directory"
#endif

/*
 * Tables without organization_id that hold no organization's data, or
 * whose rows every organization shares.
 */
static const char *const tenancy_global[] = {
	/* the tenants themselves */
	"organizations",
	/* password hashes, one per user: read by login before any scope */
	"credentials",
	/* lockout counters keyed by login subject, before any session */
	"login_failures",
	/* replayed responses keyed by user_id: a user only replays its own */
	"idempotency",
	/* signed chain heads over the whole audit log, not per tenant */
	"audit_checkpoints",
	/* SQLite's own bookkeeping (AUTOINCREMENT), if ever created */
	"sqlite_sequence",
	NULL,
};

/*
 * Tables with organization_id that are still not a tenant's data for the
 * foreign-key check (b): a reference to them names an actor, not a
 * document of the organization.
 */
static const char *const tenancy_identity[] = {
	/* accounts: created_by, annulled_by, auditor_user_id... name the
	 * actor, who may belong to another organization (an auditor, the
	 * instance operator whose organization_id is NULL) */
	"users",
	NULL,
};

/*
 * Child rows without their own organization_id: reached only through the
 * parent, which holds one (the test checks the foreign key to it).
 */
static const struct {
	const char *table;
	const char *column;
	const char *parent;
} tenancy_children[] = {
	/* an order's consumption of plant receipts */
	{ "process_order_inputs", "process_order_id", "process_orders" },
	/* a LOP's output categories */
	{ "process_settlement_outputs", "process_settlement_id",
	    "process_settlements" },
	/* the LOP outputs an export lot draws on */
	{ "export_lot_sources", "export_lot_id", "export_lots" },
	/* the export lots of a shipment */
	{ "shipment_lots", "shipment_id", "shipments" },
	{ NULL, NULL, NULL },
};

/*
 * Single-column references between tenant tables, each with why it is
 * not composite.  The cross-organization ones are the supply chain: a
 * cooperative's guía is received by a plant, a plant's LOP is drawn on by
 * the exporter that owns the coffee.
 */
static const struct {
	const char *table;
	const char *column;
	const char *target;
} tenancy_fk_allowed[] = {
	/* the child tables' link to their parent (tenancy_children) */
	{ "process_order_inputs", "process_order_id", "process_orders" },
	{ "process_settlement_outputs", "process_settlement_id",
	    "process_settlements" },
	{ "export_lot_sources", "export_lot_id", "export_lots" },
	{ "shipment_lots", "shipment_id", "shipments" },
	/* same organization, checked by the trigger dispatch_notes_segregated
	 * (d.organization_id = NEW.organization_id, migration 0005) */
	{ "dispatch_notes", "dispatch_id", "dispatches" },
	/* across organizations: the plant's receipt of the cooperative's
	 * guía addressed to it (trigger plant_receipts_segregated) */
	{ "plant_receipts", "dispatch_id", "dispatches" },
	/* across organizations: the plant's LOP of the cooperative's order */
	{ "process_settlements", "process_order_id", "process_orders" },
	/* across organizations: the cooperative's order consumes the kilos
	 * of the plant's receipts of its own guías */
	{ "process_order_inputs", "plant_receipt_id", "plant_receipts" },
	/* across organizations: the exporter's lot draws on the plant's LOP
	 * of its coffee (client_org_id) */
	{ "export_lot_sources", "process_settlement_id",
	    "process_settlements" },
	/* same organization (the cooperative's marking order of its own
	 * process order), checked by the service in the write transaction */
	{ "marking_orders", "process_order_id", "process_orders" },
	/* same organization (the plant's exit guide of its own LOP), checked
	 * by the service in the write transaction */
	{ "plant_exits", "process_settlement_id", "process_settlements" },
	/* same organization (the exporter's shipment of its own lots),
	 * checked by the service in the write transaction */
	{ "shipment_lots", "export_lot_id", "export_lots" },
	{ NULL, NULL, NULL },
};

static bool
tenancy_in(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static const char *
tenancy_parent(const char *table)
{
	for (size_t i = 0; tenancy_children[i].table != NULL; i++)
		if (strcmp(tenancy_children[i].table, table) == 0)
			return tenancy_children[i].parent;
	return NULL;
}

static bool
tenancy_fk_is_allowed(const char *table, const char *column, const char *target)
{
	for (size_t i = 0; tenancy_fk_allowed[i].table != NULL; i++)
		if (strcmp(tenancy_fk_allowed[i].table, table) == 0 &&
		    strcmp(tenancy_fk_allowed[i].column, column) == 0 &&
		    strcmp(tenancy_fk_allowed[i].target, target) == 0)
			return true;
	return false;
}

#define TENANCY_MAX_TABLES 128

struct tenancy_schema {
	char dir[64];
	char path[96];
	struct db *db;
	size_t n;
	char name[TENANCY_MAX_TABLES][64];
	bool has_org[TENANCY_MAX_TABLES];
};

static struct tenancy_schema tenancy_s;

static bool
tenancy_has_column(sqlite3 *h, const char *table, const char *column)
{
	sqlite3_stmt *st = NULL;
	bool found = false;

	assert_int_equal(sqlite3_prepare_v2(h,
	                     "SELECT 1 FROM pragma_table_info(?1)"
	                     " WHERE name = ?2",
	                     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static int
tenancy_setup(void **state)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *h;

	(void)state;
	snprintf(tenancy_s.dir, sizeof(tenancy_s.dir), "/tmp/tenancyXXXXXX");
	if (mkdtemp(tenancy_s.dir) == NULL)
		return -1;
	snprintf(
	    tenancy_s.path, sizeof(tenancy_s.path), "%s/t.db", tenancy_s.dir);
	if (db_open(tenancy_s.path, &tenancy_s.db) != ERR_OK ||
	    db_migrate(tenancy_s.db) != ERR_OK)
		return -1;
	h = db_handle(tenancy_s.db);
	if (sqlite3_prepare_v2(h,
	        "SELECT name FROM sqlite_master WHERE type = 'table'"
	        " ORDER BY name",
	        -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW &&
	    tenancy_s.n < TENANCY_MAX_TABLES) {
		snprintf(tenancy_s.name[tenancy_s.n], sizeof(tenancy_s.name[0]),
		    "%s", (const char *)sqlite3_column_text(st, 0));
		tenancy_s.n++;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < tenancy_s.n; i++)
		tenancy_s.has_org[i] =
		    tenancy_has_column(h, tenancy_s.name[i], "organization_id");
	return tenancy_s.n >= 20 ? 0 : -1;
}

static int
tenancy_teardown(void **state)
{
	char p[128];

	(void)state;
	db_close(tenancy_s.db);
	snprintf(p, sizeof(p), "%s-wal", tenancy_s.path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", tenancy_s.path);
	unlink(p);
	unlink(tenancy_s.path);
	rmdir(tenancy_s.dir);
	return 0;
}

/* A table whose rows belong to one organization (directly or not). */
static bool
tenancy_is_tenant(const char *table)
{
	for (size_t i = 0; i < tenancy_s.n; i++)
		if (strcmp(tenancy_s.name[i], table) == 0)
			return tenancy_s.has_org[i] ||
			    tenancy_parent(table) != NULL;
	return false;
}

/* (a) */
static void
test_every_table_has_organization_id_or_is_listed(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < tenancy_s.n; i++) {
		const char *t = tenancy_s.name[i];
		const char *parent = tenancy_parent(t);

		if (tenancy_s.has_org[i]) {
			if (tenancy_in(tenancy_global, t) || parent != NULL) {
				/* a stale allowlist hides nothing, but
				 * lies */
				printf("table %s has organization_id but is"
				       " allowlisted\n",
				    t);
				bad++;
			}
			continue;
		}
		if (tenancy_in(tenancy_global, t))
			continue;
		if (parent == NULL) {
			printf("table %s has no organization_id and is in"
			       " no allowlist: add the column (and"
			       " composite foreign keys), or justify it in"
			       " tenancy_global\n",
			    t);
			bad++;
		}
	}
	/* Each child's link to its parent exists and the parent holds
	 * organization_id. */
	for (size_t i = 0; tenancy_children[i].table != NULL; i++) {
		sqlite3_stmt *st = NULL;
		bool linked;

		assert_int_equal(sqlite3_prepare_v2(db_handle(tenancy_s.db),
		                     "SELECT 1 FROM pragma_foreign_key_list(?1)"
		                     " WHERE \"from\" = ?2 AND \"table\" = ?3",
		                     -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(
		    st, 1, tenancy_children[i].table, -1, SQLITE_STATIC);
		sqlite3_bind_text(
		    st, 2, tenancy_children[i].column, -1, SQLITE_STATIC);
		sqlite3_bind_text(
		    st, 3, tenancy_children[i].parent, -1, SQLITE_STATIC);
		linked = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (!linked ||
		    !tenancy_has_column(db_handle(tenancy_s.db),
		        tenancy_children[i].parent, "organization_id")) {
			printf("child %s.%s does not reference %s, or %s has"
			       " no organization_id\n",
			    tenancy_children[i].table,
			    tenancy_children[i].column,
			    tenancy_children[i].parent,
			    tenancy_children[i].parent);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* (b) */
static void
test_foreign_keys_between_tenants_are_composite(void **state)
{
	sqlite3 *h = db_handle(tenancy_s.db);
	int bad = 0;
	int composite = 0;
	int allowed = 0;

	(void)state;
	for (size_t i = 0; i < tenancy_s.n; i++) {
		const char *t = tenancy_s.name[i];
		sqlite3_stmt *st = NULL;

		if (!tenancy_is_tenant(t) || tenancy_in(tenancy_identity, t))
			continue;
		/* One row per foreign key: its target, its columns, and
		 * whether organization_id is one of them. */
		assert_int_equal(sqlite3_prepare_v2(h,
		                     "SELECT \"table\", group_concat(\"from\"),"
		                     " count(*),"
		                     " max(\"from\" = 'organization_id')"
		                     " FROM pragma_foreign_key_list(?1)"
		                     " GROUP BY id ORDER BY id",
		                     -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *target =
			    (const char *)sqlite3_column_text(st, 0);
			const char *cols =
			    (const char *)sqlite3_column_text(st, 1);
			int ncols = sqlite3_column_int(st, 2);
			bool with_org = sqlite3_column_int(st, 3) != 0;

			if (!tenancy_is_tenant(target) ||
			    tenancy_in(tenancy_identity, target))
				continue;
			if (ncols > 1 && with_org) {
				composite++;
				continue;
			}
			if (ncols == 1 &&
			    tenancy_fk_is_allowed(t, cols, target)) {
				allowed++;
				continue;
			}
			printf("foreign key %s(%s) -> %s does not carry"
			       " organization_id: make it composite, or"
			       " justify it in tenancy_fk_allowed\n",
			    t, cols, target);
			bad++;
		}
		sqlite3_finalize(st);
	}
	printf("foreign keys between tenant tables: %d composite, %d"
	       " allowlisted\n",
	    composite, allowed);
	assert_int_equal(bad, 0);
	/* The scan saw something: the composite keys of 0002/0003. */
	assert_true(composite >= 5);
}

/*
 * (c) The SQL scan.  The C source is cut into statements: a #define
 * (with its continuation lines) is one; anything else ends at ';', '{'
 * or '}' outside strings and comments.  Each statement keeps its string
 * literals (concatenated), its identifiers (to expand string macros) and
 * whether a comment in it or just before it carries "tenancy:".
 */

#define TENANCY_MAX_STMTS 4096
#define TENANCY_MAX_MACROS 512

struct tenancy_stmt {
	char *lits;  /* the string literals, joined by spaces */
	char *code;  /* the code outside literals and comments */
	char *macro; /* the macro's name, or NULL */
	bool marked; /* a "tenancy:" comment */
	int line;    /* where the statement starts */
	const char *file;
};

struct tenancy_src {
	struct tenancy_stmt st[TENANCY_MAX_STMTS];
	size_t n;
	char files[64][64];
	size_t nfiles;
};

static struct tenancy_src *tenancy_src;

struct tenancy_buf {
	char *p;
	size_t len, cap;
};

static void
tenancy_put(struct tenancy_buf *b, char c)
{
	if (b->len + 2 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static char *
tenancy_take(struct tenancy_buf *b)
{
	char *p = b->p ? b->p : strdup("");

	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

static char *
tenancy_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* The name of the macro a "#define" directive at p defines, or NULL. */
static char *
tenancy_define_name(const char *p)
{
	const char *q;

	p++; /* '#' */
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "define", 6) != 0)
		return NULL;
	p += 6;
	while (*p == ' ' || *p == '\t')
		p++;
	q = p;
	while (isalnum((unsigned char)*q) || *q == '_')
		q++;
	return q > p ? strndup(p, (size_t)(q - p)) : NULL;
}

static void
tenancy_cut(const char *file, const char *text)
{
	struct tenancy_buf lits = { 0 }, code = { 0 };
	const char *p = text;
	int line = 1, start_line = 1;
	bool marked = false, in_directive = false, at_line_start = true;
	char *macro = NULL;
	bool has_content = false;

#define TENANCY_FLUSH()                                                        \
	do {                                                                   \
		if (has_content || macro != NULL) {                            \
			struct tenancy_stmt *s =                               \
			    &tenancy_src->st[tenancy_src->n++];                \
			assert_true(tenancy_src->n < TENANCY_MAX_STMTS);       \
			s->lits = tenancy_take(&lits);                         \
			s->code = tenancy_take(&code);                         \
			s->macro = macro;                                      \
			s->marked = marked;                                    \
			s->line = start_line;                                  \
			s->file = file;                                        \
		} else {                                                       \
			free(tenancy_take(&lits));                             \
			free(tenancy_take(&code));                             \
			free(macro);                                           \
		}                                                              \
		macro = NULL;                                                  \
		marked = false;                                                \
		has_content = false;                                           \
	} while (0)

	while (*p != '\0') {
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");

			assert_non_null(end);
			for (const char *q = p; q < end; q++)
				if (*q == '\n')
					line++;
			if (memmem(p, (size_t)(end - p), "tenancy:", 8))
				marked = true;
			p = end + 2;
			continue;
		}
		if (p[0] == '/' && p[1] == '/') {
			const char *end = strchr(p, '\n');

			if (end == NULL)
				end = p + strlen(p);
			if (memmem(p, (size_t)(end - p), "tenancy:", 8))
				marked = true;
			p = end;
			continue;
		}
		if (*p == '"') {
			if (!has_content)
				start_line = line;
			has_content = true;
			p++;
			while (*p != '\0' && *p != '"') {
				if (*p == '\\' && p[1] != '\0') {
					tenancy_put(
					    &lits, p[1] == 'n' ? ' ' : p[1]);
					p += 2;
					continue;
				}
				tenancy_put(&lits, *p++);
			}
			tenancy_put(&lits, ' ');
			tenancy_put(&code, ' ');
			if (*p == '"')
				p++;
			continue;
		}
		if (*p == '\'') {
			/* a character literal: skip it whole */
			p++;
			while (*p != '\0' && *p != '\'') {
				if (*p == '\\' && p[1] != '\0')
					p++;
				p++;
			}
			if (*p != '\0')
				p++;
			continue;
		}
		if (*p == '\n') {
			line++;
			if (in_directive && (p == text || p[-1] != '\\')) {
				in_directive = false;
				TENANCY_FLUSH();
			}
			at_line_start = true;
			tenancy_put(&code, ' ');
			p++;
			continue;
		}
		if (*p == '#' && at_line_start && !in_directive) {
			/* A directive ends whatever statement preceded it
			 * only if it is a #define: #if inside a statement
			 * keeps the statement whole. */
			char *name = tenancy_define_name(p);

			in_directive = true;
			if (name != NULL) {
				bool keep = marked;

				TENANCY_FLUSH();
				marked = keep;
				macro = name;
				start_line = line;
				/* skip the name: it is not an identifier
				 * use */
				p = strstr(p, name) + strlen(name);
				continue;
			}
			/* skip other directives entirely */
			while (*p != '\0' && !(*p == '\n' && p[-1] != '\\')) {
				if (*p == '\n')
					line++;
				p++;
			}
			in_directive = false;
			continue;
		}
		if (!isspace((unsigned char)*p))
			at_line_start = false;
		if (!in_directive && (*p == ';' || *p == '{' || *p == '}')) {
			TENANCY_FLUSH();
			p++;
			continue;
		}
		if (!isspace((unsigned char)*p)) {
			if (!has_content)
				start_line = line;
			has_content = true;
		}
		tenancy_put(&code, *p);
		p++;
	}
	TENANCY_FLUSH();
#undef TENANCY_FLUSH
}

static int
tenancy_src_setup(void **state)
{
	DIR *d;
	struct dirent *e;

	(void)state;
	tenancy_src = calloc(1, sizeof(*tenancy_src));
	if (tenancy_src == NULL)
		return -1;
	d = opendir(PERGAMINO_SRC_DIR "/db");
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		/* Names that would not fit are not ours (src/db/x_store.c). */
		if (len > 2 && len < sizeof(tenancy_src->files[0]) &&
		    strcmp(e->d_name + len - 2, ".c") == 0 &&
		    tenancy_src->nfiles < 64)
			memcpy(tenancy_src->files[tenancy_src->nfiles++],
			    e->d_name, len + 1);
	}
	closedir(d);
	for (size_t i = 0; i < tenancy_src->nfiles; i++) {
		char path[512];
		char *text;

		snprintf(path, sizeof(path), "%s/db/%s", PERGAMINO_SRC_DIR,
		    tenancy_src->files[i]);
		text = tenancy_read(path);
		tenancy_cut(tenancy_src->files[i], text);
		free(text);
	}
	return tenancy_src->nfiles >= 10 ? 0 : -1;
}

static int
tenancy_src_teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < tenancy_src->n; i++) {
		free(tenancy_src->st[i].lits);
		free(tenancy_src->st[i].code);
		free(tenancy_src->st[i].macro);
	}
	free(tenancy_src);
	return 0;
}

static const struct tenancy_stmt *
tenancy_macro(const char *name, size_t len)
{
	for (size_t i = 0; i < tenancy_src->n; i++) {
		const char *m = tenancy_src->st[i].macro;

		if (m != NULL && strlen(m) == len && memcmp(m, name, len) == 0)
			return &tenancy_src->st[i];
	}
	return NULL;
}

/*
 * Append s's literals to out, then those of every macro its code names,
 * recursively (bounded); *marked collects their "tenancy:" comments.
 */
static void
tenancy_expand(const struct tenancy_stmt *s, struct tenancy_buf *out,
    bool *marked, int depth)
{
	const char *p = s->code;

	for (const char *q = s->lits; *q != '\0'; q++)
		tenancy_put(out, *q);
	tenancy_put(out, ' ');
	if (s->marked)
		*marked = true;
	if (depth > 8)
		return;
	while (*p != '\0') {
		const char *q = p;
		const struct tenancy_stmt *m;

		if (!isalpha((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		m = tenancy_macro(p, (size_t)(q - p));
		if (m != NULL && m != s)
			tenancy_expand(m, out, marked, depth + 1);
		p = q;
	}
}

/* Whether sql has "FROM t" or "UPDATE t" (a whole word) for a tenant t. */
static const char *
tenancy_touches(const char *sql, char *table, size_t cap)
{
	static const char *const kw[] = { "FROM", "UPDATE", NULL };

	for (size_t k = 0; kw[k] != NULL; k++) {
		size_t kl = strlen(kw[k]);

		for (const char *p = sql; (p = strstr(p, kw[k])) != NULL;
		     p += kl) {
			const char *q = p + kl;
			size_t n = 0;

			if (p > sql &&
			    (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
				continue;
			if (!isspace((unsigned char)*q))
				continue;
			while (isspace((unsigned char)*q))
				q++;
			while ((isalnum((unsigned char)q[n]) || q[n] == '_') &&
			    n + 1 < cap)
				n++;
			if (n == 0)
				continue;
			memcpy(table, q, n);
			table[n] = '\0';
			if (tenancy_is_tenant(table))
				return p;
		}
	}
	return NULL;
}

/*
 * sql without its SQL string literals: 'organization_id' as a JSON key
 * of a result names no condition.
 */
static char *
tenancy_unquote(const char *sql)
{
	char *out = strdup(sql);
	char *o = out;
	bool quoted = false;

	assert_non_null(out);
	for (const char *p = sql; *p != '\0'; p++) {
		if (*p == '\'')
			quoted = !quoted;
		else if (!quoted)
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

static void
test_sql_on_tenant_tables_is_scoped(void **state)
{
	int bad = 0, scoped = 0, marked_n = 0;

	(void)state;
	for (size_t i = 0; i < tenancy_src->n; i++) {
		const struct tenancy_stmt *s = &tenancy_src->st[i];
		struct tenancy_buf all = { 0 };
		bool marked = false;
		char table[64];
		char *sql;

		/* Macros are checked where they are used. */
		if (s->macro != NULL || s->lits[0] == '\0')
			continue;
		tenancy_expand(s, &all, &marked, 0);
		sql = tenancy_take(&all);
		if (tenancy_touches(sql, table, sizeof(table)) != NULL) {
			char *cond = tenancy_unquote(sql);

			if (strstr(cond, "organization_id") != NULL ||
			    strstr(cond, "user_scope") != NULL) {
				scoped++;
			} else if (marked) {
				marked_n++;
			} else {
				printf("%s:%d: a statement on %s names"
				       " neither organization_id nor"
				       " user_scope, and has no"
				       " /* tenancy: <reason> */ comment:\n"
				       "  %.300s\n",
				    s->file, s->line, table, sql);
				bad++;
			}
			free(cond);
		}
		free(sql);
	}
	printf("statements on tenant tables: %d scoped, %d marked\n", scoped,
	    marked_n);
	assert_int_equal(bad, 0);
	assert_true(scoped >= 50);
}

int
main(void)
{
	const struct CMUnitTest schema[] = {
		cmocka_unit_test(
		    test_every_table_has_organization_id_or_is_listed),
		cmocka_unit_test(
		    test_foreign_keys_between_tenants_are_composite),
	};
	const struct CMUnitTest sql[] = {
		cmocka_unit_test_setup_teardown(
		    test_sql_on_tenant_tables_is_scoped, tenancy_src_setup,
		    tenancy_src_teardown),
	};
	int failed;

	failed = cmocka_run_group_tests(schema, tenancy_setup, NULL);
	/* The SQL scan needs the schema's table list. */
	failed += cmocka_run_group_tests(sql, NULL, NULL);
	tenancy_teardown(NULL);
	return failed;
}
