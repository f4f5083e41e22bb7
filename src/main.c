/*
 * pergamino: the command line.  Configuration comes from options, then
 * PERGAMINO_* environment variables, then defaults.  Commands:
 * serve, migrate, version, backup, org add, user add, user passwd,
 * audit verify, bench-data.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#include "pergamino/admin.h"
#include "pergamino/audit.h"
#include "pergamino/audit_checkpoint.h"
#include "pergamino/bench_data.h"
#include "pergamino/db.h"
#include "pergamino/http.h"
#include "pergamino/log.h"
#include "pergamino/parse.h"
#include "pergamino/password.h"
#include "pergamino/stores.h"

#ifndef PERGAMINO_WEB_DIR
#define PERGAMINO_WEB_DIR "web"
#endif
#ifndef PERGAMINO_LEAFLET_DIR
#define PERGAMINO_LEAFLET_DIR "/usr/share/javascript/leaflet" /* Debian */
#endif
#define MAIN_LEAFLET_PREFIX "/vendor/leaflet/"
#define MAIN_PASSWORD_MAX 512 /* bytes read from stdin */
#define MAIN_PORT_DEFAULT 8080
#define MAIN_BENCH_OPTS 7

/* bench-data's numeric options, in struct opts' bench[] order. */
static const char *const main_bench_opts[MAIN_BENCH_OPTS] = { "--producers",
	"--deliveries", "--cooperatives", "--plants", "--notes-per-dispatch",
	"--campaign", "--seed" };

struct opts {
	const char *db;
	const char *web;
	const char *leaflet; /* served at /vendor/leaflet/ */
	const char *bind;
	unsigned port;
	unsigned threads;
	bool demo;
	bool password_stdin;
	const char *name, *ruc, *kind, *address, *phone;
	const char *username, *display_name, *role, *org_ruc;
	const char *positional;
	const char *audit_key, *checkpoint, *out;
	const char *bench[MAIN_BENCH_OPTS]; /* bench-data's, main_bench_opts */
	bool help;
};

static const char main_usage[] =
    "usage: pergamino <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve [--port N] [--bind ADDR] [--db FILE] [--web DIR] [--leaflet DIR]\n"
    "        [--threads N] [--demo]\n"
    "  migrate [--db FILE]\n"
    "  version\n"
    "  backup FILE [--db FILE]\n"
    "  org add --name NAME --ruc RUC --kind cooperative|plant|exporter|"
    "certifier\n"
    "          [--address TEXT] [--phone TEXT] [--db FILE]\n"
    "  user add --username U --display-name NAME --role ROLE [--org RUC]\n"
    "           --password-stdin [--db FILE]\n"
    "  user passwd --username U --password-stdin [--db FILE]\n"
    "  audit verify [--db FILE] [--checkpoint FILE]\n"
    "  audit checkpoint [--db FILE] [--audit-key FILE] [--out FILE]\n"
    "  bench-data --db FILE [--producers N] [--deliveries N] [--seed N]\n"
    "             [--cooperatives N] [--plants N] [--notes-per-dispatch N]\n"
    "             [--campaign YEAR] [--password-stdin]\n"
    "\n"
    "environment: PERGAMINO_DB (pergamino.db), PERGAMINO_PORT (8080),\n"
    "  PERGAMINO_BIND (127.0.0.1), PERGAMINO_WEB, PERGAMINO_LEAFLET\n"
    "  (" PERGAMINO_LEAFLET_DIR "), PERGAMINO_THREADS (CPUs),\n"
    "  PERGAMINO_TRUST_PROXY=1, PERGAMINO_SECURE_COOKIES=1,\n"
    "  PERGAMINO_AUDIT_KEY (<db>.audit-key), PERGAMINO_CHECKPOINT_INTERVAL\n"
    "  (86400 seconds between signed audit checkpoints)\n"
    "`pergamino <command> --help` describes one command.\n";

/* clang-format off */
static const struct {
	const char *cmd;
	const char *help;
} main_helps[] = {
	{ "serve", "pergamino serve [--port N] [--bind ADDR] [--db FILE] [--web DIR] [--leaflet DIR] [--threads N] [--demo]\n"
	  "  Migrate the database and serve the API and web app until SIGINT/SIGTERM.\n"
	  "  --leaflet names Leaflet's directory (Debian's libjs-leaflet by default),\n"
	  "  served at /vendor/leaflet/ for the plot maps; without it maps are not drawn.\n"
	  "  --port 0 lets the kernel pick a port; the line 'listening http://ADDR:PORT'\n"
	  "  is printed on stdout.  --demo loads the guide's organizations and one\n"
	  "  account per role into an empty database and prints the passwords once.\n" },
	{ "migrate", "pergamino migrate [--db FILE]\n  Apply pending schema migrations and exit.\n" },
	{ "version", "pergamino version\n  Print the version and the schema version this binary expects.\n" },
	{ "backup", "pergamino backup FILE [--db FILE]\n"
	  "  Copy the database to FILE with SQLite's online backup: consistent\n"
	  "  while the server keeps writing.\n" },
	{ "org", "pergamino org add --name NAME --ruc RUC --kind KIND [--address A] [--phone P]\n"
	  "  Create an organization (KIND: cooperative, plant, exporter, certifier).\n"
	  "  The RUC's check digit is validated.\n" },
	{ "user", "pergamino user add --username U --display-name NAME --role ROLE [--org RUC] --password-stdin\n"
	  "pergamino user passwd --username U --password-stdin\n"
	  "  ROLE: superadmin (no --org), admin, clerk, exporter, auditor.  The\n"
	  "  password is read from the first line of standard input.\n" },
	{ "audit", "pergamino audit verify [--db FILE] [--checkpoint FILE]\n"
	  "pergamino audit checkpoint [--db FILE] [--audit-key FILE] [--out FILE]\n"
	  "  verify: recompute the audit hash chain; exit 0 when intact, 1 naming\n"
	  "  the first broken event otherwise.  With --checkpoint (a signed\n"
	  "  checkpoint kept earlier), also check its Ed25519 signature and that\n"
	  "  the log still holds that head: it only grew since.\n"
	  "  checkpoint: sign the current head with the instance key (created\n"
	  "  with mode 0600 at <db>.audit-key if missing), record it, and write\n"
	  "  the document to hand to a certifier to FILE (or stdout).\n" },
	{ "bench-data", "pergamino bench-data --db FILE [--producers 200000] [--deliveries 1000000] [--seed 1]\n"
	  "        [--cooperatives 300] [--plants 20] [--notes-per-dispatch 250] [--campaign 2025]\n"
	  "        [--password-stdin]\n"
	  "  Fill a new (empty) database with a synthetic national campaign that obeys\n"
	  "  every rule: registry, LPA, deliveries with notes and settlements, guías,\n"
	  "  plant receipts, process orders, LOPs, exits, export lots, shipments and\n"
	  "  a valid audit chain; deterministic for a seed.  Every organization gets\n"
	  "  an account <slug>-admin (coop001-admin, planta01-admin, cert1-admin)\n"
	  "  plus coopNNN-acopio, coopNNN-export, plantaNN-clerk and certN-auditor,\n"
	  "  all with the password read from standard input, or by default\n"
	  "  \"" BENCH_DATA_PASSWORD_DEFAULT "\".  Progress goes to standard error.\n" },
	{ NULL, NULL },
};
/* clang-format on */

static const char *
main_env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : def;
}

static int
main_uint(const char *s, unsigned max, unsigned *out, const char *what)
{
	uint64_t v;

	if (parse_uint(s, max, &v) != ERR_OK) {
		fprintf(stderr, "pergamino: invalid %s: %s\n", what, s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* The slot of a bench-data option named a, or NULL. */
static const char **
main_bench_opt(struct opts *o, const char *a)
{
	size_t i;

	for (i = 0; i < MAIN_BENCH_OPTS; i++)
		if (strcmp(a, main_bench_opts[i]) == 0)
			return &o->bench[i];
	return NULL;
}

/* Parse argv[from..] into o; -1 on an unknown or incomplete option. */
static int
main_parse(int argc, char **argv, int from, struct opts *o)
{
	int i;

	for (i = from; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **dst = NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = true;
			continue;
		}
		if (strcmp(a, "--demo") == 0) {
			o->demo = true;
			continue;
		}
		if (strcmp(a, "--password-stdin") == 0) {
			o->password_stdin = true;
			continue;
		}
		if (a[0] != '-') {
			if (o->positional != NULL)
				goto bad;
			o->positional = a;
			continue;
		}
		if (v == NULL)
			goto bad;
		if (strcmp(a, "--port") == 0) {
			if (main_uint(v, 65535, &o->port, "port") != 0)
				return -1;
		} else if (strcmp(a, "--threads") == 0) {
			if (main_uint(v, 256, &o->threads, "threads") != 0)
				return -1;
		} else if (strcmp(a, "--db") == 0)
			dst = &o->db;
		else if (strcmp(a, "--web") == 0)
			dst = &o->web;
		else if (strcmp(a, "--leaflet") == 0)
			dst = &o->leaflet;
		else if (strcmp(a, "--bind") == 0)
			dst = &o->bind;
		else if (strcmp(a, "--name") == 0)
			dst = &o->name;
		else if (strcmp(a, "--ruc") == 0)
			dst = &o->ruc;
		else if (strcmp(a, "--kind") == 0)
			dst = &o->kind;
		else if (strcmp(a, "--address") == 0)
			dst = &o->address;
		else if (strcmp(a, "--phone") == 0)
			dst = &o->phone;
		else if (strcmp(a, "--username") == 0)
			dst = &o->username;
		else if (strcmp(a, "--display-name") == 0)
			dst = &o->display_name;
		else if (strcmp(a, "--role") == 0)
			dst = &o->role;
		else if (strcmp(a, "--org") == 0)
			dst = &o->org_ruc;
		else if (strcmp(a, "--audit-key") == 0)
			dst = &o->audit_key;
		else if (strcmp(a, "--checkpoint") == 0)
			dst = &o->checkpoint;
		else if (strcmp(a, "--out") == 0)
			dst = &o->out;
		else if ((dst = main_bench_opt(o, a)) == NULL)
			goto bad;
		if (dst != NULL)
			*dst = v;
		i++;
	}
	return 0;
bad:
	fprintf(stderr, "pergamino: unexpected argument: %s\n", argv[i]);
	return -1;
}

static int
main_help(const char *cmd)
{
	size_t i;

	for (i = 0; main_helps[i].cmd != NULL; i++) {
		if (strcmp(main_helps[i].cmd, cmd) == 0) {
			fputs(main_helps[i].help, stdout);
			return 0;
		}
	}
	fputs(main_usage, stdout);
	return 0;
}

/* Open and migrate the database named by the options. */
static int
main_open(const struct opts *o, struct db **db)
{
	if (db_open(o->db, db) != ERR_OK) {
		fprintf(stderr, "pergamino: cannot open database %s\n", o->db);
		return -1;
	}
	if (db_migrate(*db) != ERR_OK) {
		fprintf(stderr,
		    "pergamino: cannot migrate %s (is it from a newer "
		    "pergamino?)\n",
		    o->db);
		db_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

/*
 * Open without migrating (backup, audit verify must not change the file
 * they examine); refuse a database newer than this binary.
 */
static int
main_open_existing(const struct opts *o, struct db **db)
{
	int v = 0;

	if (access(o->db, R_OK) != 0 || db_open(o->db, db) != ERR_OK) {
		fprintf(stderr, "pergamino: cannot open database %s\n", o->db);
		return -1;
	}
	if (db_schema_version(*db, &v) != ERR_OK || v > db_schema_target()) {
		fprintf(stderr,
		    "pergamino: %s has schema %d; this binary knows %d\n",
		    o->db, v, db_schema_target());
		db_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

static void
main_msg(const char *what, struct msg why)
{
	fprintf(stderr, "pergamino: %s: %s / %s\n", what,
	    why.es != NULL ? why.es : "error",
	    why.en != NULL ? why.en : "error");
}

/* First line of stdin, without its newline, into buf. */
static int
main_read_password(char *buf, size_t cap)
{
	size_t n;

	if (fgets(buf, (int)cap, stdin) == NULL) {
		fprintf(stderr, "pergamino: no password on standard input\n");
		return -1;
	}
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return 0;
}

/* The signing key file: --audit-key, PERGAMINO_AUDIT_KEY, <db>.audit-key. */
static void
main_audit_key_path(const struct opts *o, char *out, size_t cap)
{
	if (o->audit_key != NULL)
		snprintf(out, cap, "%s", o->audit_key);
	else
		audit_key_default_path(o->db, out, cap);
}

/* Housekeeping: drop old idempotency records, dead sessions, stale
 * login failures. */
static void
main_purge(struct db *db, int64_t now)
{
	struct housekeeping_counts n;
	char detail[96];

	if (housekeeping_purge(db, now, IDEMPOTENCY_KEEP_S, &n) != ERR_OK)
		return;
	if (n.idempotency + n.sessions + n.login_failures == 0)
		return;
	snprintf(detail, sizeof(detail),
	    "idempotency=%lld sessions=%lld login_failures=%lld",
	    (long long)n.idempotency, (long long)n.sessions,
	    (long long)n.login_failures);
	log_info("db", "purged", detail);
}

/* Every tick (hourly, and at start): housekeeping, and a signed
 * checkpoint of the audit head when one is due. */
static void
main_checkpoint_tick(
    const struct opts *o, const char *key_path, int64_t interval_s)
{
	struct audit_checkpoint cp;
	struct audit_key key;
	struct timespec now;
	struct db *db = NULL;
	char seq[32];
	bool due = false;

	clock_gettime(CLOCK_REALTIME, &now);
	if (db_open(o->db, &db) != ERR_OK)
		return;
	main_purge(db, (int64_t)now.tv_sec);
	if (audit_checkpoint_due(db, (int64_t)now.tv_sec * 1000,
	        interval_s * 1000, &due) == ERR_OK &&
	    due) {
		if (audit_key_load(key_path, true, &key) != ERR_OK) {
			log_error(
			    "audit", "cannot read the signing key", key_path);
		} else if (audit_checkpoint_make(db, &key,
		               (int64_t)now.tv_sec * 1000, 0, &cp) == ERR_OK) {
			snprintf(seq, sizeof(seq), "%lld", (long long)cp.seq);
			log_info("audit", "signed checkpoint", seq);
		}
		sodium_memzero(&key, sizeof(key));
	}
	db_close(db);
}

static int
cmd_serve(struct opts *o)
{
	char key_path[4096];
	unsigned interval_s = 86400;
	struct timespec wait;
	struct server_config cfg = { 0 };
	struct server *srv = NULL;
	struct db *db = NULL;
	sigset_t set;
	bool seeded;
	int sig;

	if (main_open(o, &db) != 0)
		return 1;
	if (password_init(0) != ERR_OK)
		return 1;
	if (o->demo) {
		if (demo_seed(db, stdout, &seeded) != ERR_OK) {
			fprintf(stderr, "pergamino: cannot load demo data\n");
			db_close(db);
			return 1;
		}
		if (!seeded)
			printf("demo data already present: the accounts' "
			       "passwords were printed when it was loaded\n");
	}
	db_close(db);

	cfg.bind = o->bind;
	cfg.port = o->port;
	cfg.db_path = o->db;
	cfg.web_root = o->web;
	cfg.mounts[0].prefix = MAIN_LEAFLET_PREFIX;
	cfg.mounts[0].root = o->leaflet;
	cfg.threads = o->threads;
	cfg.trust_proxy =
	    strcmp(main_env("PERGAMINO_TRUST_PROXY", "0"), "1") == 0;
	cfg.secure_cookies =
	    strcmp(main_env("PERGAMINO_SECURE_COOKIES", "0"), "1") == 0;
	main_audit_key_path(o, key_path, sizeof(key_path));
	cfg.audit_key = key_path;
	if (getenv("PERGAMINO_CHECKPOINT_INTERVAL") != NULL &&
	    main_uint(getenv("PERGAMINO_CHECKPOINT_INTERVAL"), 31 * 86400,
	        &interval_s, "checkpoint interval") != 0)
		return 2;
	if (interval_s == 0)
		interval_s = 86400;

	/* Block the signals in every thread; this one waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (server_start(&cfg, &srv) != ERR_OK) {
		fprintf(stderr, "pergamino: cannot listen on %s:%u\n", o->bind,
		    o->port);
		return 1;
	}
	printf("listening http://%s:%u\n", o->bind, server_port(srv));
	fflush(stdout);
	log_info("main", "listening", o->db);
	/* Wait for the signal; meanwhile sign the audit head when due. */
	main_checkpoint_tick(o, key_path, interval_s);
	for (;;) {
		wait.tv_sec = interval_s < 3600 ? interval_s : 3600;
		wait.tv_nsec = 0;
		sig = sigtimedwait(&set, NULL, &wait);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		/* Interrupted (a debugger attaching): not yet time. */
		if (sig < 0 && errno == EINTR)
			continue;
		main_checkpoint_tick(o, key_path, interval_s);
	}
	log_info("main", "stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	server_stop(srv);
	return 0;
}

static int
cmd_migrate(struct opts *o)
{
	struct db *db = NULL;
	int v = 0;

	if (main_open(o, &db) != 0)
		return 1;
	(void)db_schema_version(db, &v);
	printf("schema version %d\n", v);
	db_close(db);
	return 0;
}

static int
cmd_backup(struct opts *o)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	struct db *db = NULL;
	int rc = 1;

	if (o->positional == NULL) {
		fputs(main_helps[3].help, stderr);
		return 2;
	}
	if (main_open_existing(o, &db) != 0)
		return 1;
	if (sqlite3_open(o->positional, &dst) != SQLITE_OK) {
		fprintf(stderr, "pergamino: cannot create %s\n", o->positional);
		goto out;
	}
	b = sqlite3_backup_init(dst, "main", db_handle(db), "main");
	if (b == NULL) {
		fprintf(stderr, "pergamino: backup: %s\n", sqlite3_errmsg(dst));
		goto out;
	}
	for (;;) {
		/* One step: a live writer would restart a paged copy. */
		int step = sqlite3_backup_step(b, -1);

		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_OK && step != SQLITE_BUSY &&
		    step != SQLITE_LOCKED) {
			fprintf(stderr, "pergamino: backup failed: %s\n",
			    sqlite3_errstr(step));
			sqlite3_backup_finish(b);
			goto out;
		}
		if (step != SQLITE_OK)
			nanosleep(
			    &(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK) {
		fprintf(stderr, "pergamino: backup: %s\n", sqlite3_errmsg(dst));
		goto out;
	}
	printf("backup written to %s\n", o->positional);
	rc = 0;
out:
	sqlite3_close(dst);
	db_close(db);
	return rc;
}

static int
cmd_org(struct opts *o)
{
	struct org org = { 0 };
	struct db *db = NULL;
	struct msg why;
	enum err rc;

	if (o->positional == NULL || strcmp(o->positional, "add") != 0 ||
	    o->name == NULL || o->ruc == NULL || o->kind == NULL) {
		fputs(main_helps[4].help, stderr);
		return 2;
	}
	if (main_open(o, &db) != 0)
		return 1;
	org.name = o->name;
	org.ruc = o->ruc;
	org.kind = policy_org_kind_parse(o->kind);
	org.address = o->address;
	org.phone = o->phone;
	rc = admin_org_add(db, &org, &why);
	db_close(db);
	if (rc != ERR_OK) {
		main_msg("org add", why);
		return 1;
	}
	printf("organization %lld created\n", (long long)org.id);
	return 0;
}

static int
cmd_user(struct opts *o)
{
	char pw[MAIN_PASSWORD_MAX];
	struct user u = { 0 };
	struct db *db = NULL;
	struct msg why;
	int64_t org_id = 0;
	enum err rc;
	bool add = o->positional != NULL && strcmp(o->positional, "add") == 0;
	bool passwd =
	    o->positional != NULL && strcmp(o->positional, "passwd") == 0;

	if ((!add && !passwd) || o->username == NULL || !o->password_stdin ||
	    (add && (o->role == NULL || o->display_name == NULL))) {
		fputs(main_helps[5].help, stderr);
		return 2;
	}
	if (main_read_password(pw, sizeof(pw)) != 0)
		return 1;
	if (password_init(0) != ERR_OK || main_open(o, &db) != 0)
		return 1;
	if (passwd) {
		rc = admin_user_passwd(db, o->username, pw, &why);
	} else {
		if (o->org_ruc != NULL &&
		    (org_store_find_ruc(db, o->org_ruc, &org_id) != ERR_OK ||
		        org_id == 0)) {
			fprintf(stderr,
			    "pergamino: no organization has RUC "
			    "%s\n",
			    o->org_ruc);
			db_close(db);
			return 1;
		}
		u.username = o->username;
		u.display_name = o->display_name;
		u.role = policy_role_parse(o->role);
		u.organization_id = org_id;
		if (u.role == ROLE_NONE ||
		    (u.role != ROLE_SUPERADMIN && org_id == 0)) {
			fprintf(stderr,
			    "pergamino: unknown role or "
			    "organization (--org RUC)\n");
			db_close(db);
			return 1;
		}
		rc = admin_user_add(db, &u, pw, &why);
	}
	sodium_memzero(pw, sizeof(pw));
	db_close(db);
	if (rc != ERR_OK) {
		main_msg(add ? "user add" : "user passwd", why);
		return 1;
	}
	printf(add ? "user %s created\n" : "password of %s changed\n",
	    o->username);
	return 0;
}

/* Read a checkpoint document kept earlier; -1 with a message on failure. */
static int
main_read_checkpoint(const char *path, struct audit_checkpoint *cp)
{
	json_error_t jerr;
	json_t *doc;
	int rc = 0;

	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL || audit_checkpoint_from_json(doc, cp) != ERR_OK) {
		fprintf(
		    stderr, "pergamino: %s is not an audit checkpoint\n", path);
		rc = -1;
	}
	json_decref(doc);
	return rc;
}

static int
cmd_audit_checkpoint(struct opts *o)
{
	struct audit_checkpoint cp;
	struct audit_key key;
	struct timespec now;
	struct db *db = NULL;
	char key_path[4096];
	json_t *doc;
	enum err rc;
	int out_rc;

	main_audit_key_path(o, key_path, sizeof(key_path));
	if (main_open_existing(o, &db) != 0)
		return 1;
	if (audit_key_load(key_path, true, &key) != ERR_OK) {
		fprintf(stderr, "pergamino: cannot read the audit key %s\n",
		    key_path);
		db_close(db);
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	rc =
	    audit_checkpoint_make(db, &key, (int64_t)now.tv_sec * 1000, 0, &cp);
	sodium_memzero(&key, sizeof(key));
	db_close(db);
	if (rc != ERR_OK)
		return 1;
	doc = audit_checkpoint_json(&cp);
	if (doc == NULL)
		return 1;
	out_rc = o->out != NULL
	    ? json_dump_file(doc, o->out, JSON_INDENT(2) | JSON_SORT_KEYS)
	    : json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
	if (out_rc != 0) {
		fprintf(stderr, "pergamino: cannot write the checkpoint\n");
		return 1;
	}
	if (o->out == NULL)
		putchar('\n');
	else
		printf("checkpoint of event %lld written to %s\n",
		    (long long)cp.seq, o->out);
	return 0;
}

static int
cmd_audit(struct opts *o)
{
	struct audit_verify_result r;
	struct audit_checkpoint cp;
	struct db *db = NULL;
	bool grew_only = true;

	if (o->positional != NULL && strcmp(o->positional, "checkpoint") == 0)
		return cmd_audit_checkpoint(o);
	if (o->positional == NULL || strcmp(o->positional, "verify") != 0) {
		fputs(main_helps[6].help, stderr);
		return 2;
	}
	if (o->checkpoint != NULL) {
		if (main_read_checkpoint(o->checkpoint, &cp) != 0)
			return 1;
		if (!audit_checkpoint_signature_ok(&cp)) {
			printf(
			    "checkpoint signature INVALID: %s was altered or "
			    "not signed by its key\n",
			    o->checkpoint);
			return 1;
		}
	}
	if (main_open_existing(o, &db) != 0)
		return 1;
	if (audit_verify(db, &r) != ERR_OK ||
	    (o->checkpoint != NULL &&
	        audit_checkpoint_check(db, &cp, &grew_only) != ERR_OK)) {
		db_close(db);
		return 1;
	}
	db_close(db);
	if (!r.ok) {
		printf("audit chain BROKEN at event %lld (%lld events)\n",
		    (long long)r.first_broken_seq, (long long)r.events);
		return 1;
	}
	if (!grew_only) {
		printf("audit log does NOT extend the checkpoint: event %lld "
		       "no longer has the signed hash (%lld events now)\n",
		    (long long)cp.seq, (long long)r.events);
		return 1;
	}
	printf("audit chain ok: %lld events, head %s\n", (long long)r.events,
	    r.head_hash);
	if (o->checkpoint != NULL)
		printf("checkpoint ok: signed at event %lld, the log only grew "
		       "since (%lld new events)\n",
		    (long long)cp.seq, (long long)(r.events - cp.seq));
	return 0;
}

/* bench-data's options over the national defaults; -1 on a bad value. */
static int
main_bench_options(const struct opts *o, struct bench_data_options *b)
{
	int64_t *const dst[MAIN_BENCH_OPTS - 1] = { &b->producers,
		&b->deliveries, &b->cooperatives, &b->plants,
		&b->notes_per_dispatch, &b->campaign };
	uint64_t v;
	size_t i;

	bench_data_defaults(b);
	for (i = 0; i < MAIN_BENCH_OPTS; i++) {
		if (o->bench[i] == NULL)
			continue;
		if (parse_uint(o->bench[i], INT64_MAX, &v) != ERR_OK) {
			fprintf(stderr, "pergamino: invalid %s: %s\n",
			    main_bench_opts[i], o->bench[i]);
			return -1;
		}
		if (i < MAIN_BENCH_OPTS - 1)
			*dst[i] = (int64_t)v;
		else
			b->seed = v;
	}
	return 0;
}

static int
cmd_bench_data(struct opts *o)
{
	char pw[MAIN_PASSWORD_MAX];
	struct bench_data_options b;
	struct bench_data_counts c;
	struct db *db = NULL;
	const char *why = NULL;
	enum err rc;

	if (main_bench_options(o, &b) != 0)
		return 2;
	if (o->password_stdin) {
		if (main_read_password(pw, sizeof(pw)) != 0)
			return 1;
		b.password = pw;
	}
	if (password_init(0) != ERR_OK || main_open(o, &db) != 0)
		return 1;
	rc = bench_data_generate(db, &b, stderr, &c, &why);
	db_close(db);
	sodium_memzero(pw, sizeof(pw));
	if (rc != ERR_OK) {
		fprintf(stderr, "pergamino: bench-data: %s\n",
		    why != NULL ? why : "failed");
		return rc == ERR_INVALID ? 2 : 1;
	}
	printf("bench-data: %s: %lld organizations, %lld users, %lld "
	       "producers, %lld plots\n",
	    o->db, (long long)c.organizations, (long long)c.users,
	    (long long)c.producers, (long long)c.plots);
	printf("bench-data: %lld receptions (+ notes and settlements), %lld "
	       "dispatches of %lld notes, %lld plant receipts\n",
	    (long long)c.receptions, (long long)c.dispatches,
	    (long long)c.dispatch_notes, (long long)c.plant_receipts);
	printf("bench-data: %lld process orders, %lld LOPs, %lld exits, %lld "
	       "export lots, %lld shipments, %lld audit events\n",
	    (long long)c.process_orders, (long long)c.process_settlements,
	    (long long)c.plant_exits, (long long)c.export_lots,
	    (long long)c.shipments, (long long)c.audit_events);
	printf("bench-data: %.1f s (load %.1f s, indexes %.1f s, analyze "
	       "%.1f s)\n",
	    c.total_s, c.load_s, c.index_s, c.analyze_s);
	printf("bench-data: log in as coop001-admin, planta01-admin or "
	       "cert1-auditor (every organization: <slug>-admin) with %s\n",
	    o->password_stdin ? "the password given"
	                      : "the password \"" BENCH_DATA_PASSWORD_DEFAULT
	                        "\"");
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	const char *cmd;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(main_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	o.db = main_env("PERGAMINO_DB", "pergamino.db");
	o.web = main_env("PERGAMINO_WEB", PERGAMINO_WEB_DIR);
	o.leaflet = main_env("PERGAMINO_LEAFLET", PERGAMINO_LEAFLET_DIR);
	o.bind = main_env("PERGAMINO_BIND", "127.0.0.1");
	o.port = MAIN_PORT_DEFAULT;
	if (getenv("PERGAMINO_PORT") != NULL &&
	    main_uint(getenv("PERGAMINO_PORT"), 65535, &o.port, "port") != 0)
		return 2;
	if (getenv("PERGAMINO_THREADS") != NULL &&
	    main_uint(
	        getenv("PERGAMINO_THREADS"), 256, &o.threads, "threads") != 0)
		return 2;
	if (main_parse(argc, argv, 2, &o) != 0)
		return 2;
	if (o.help)
		return main_help(cmd);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(&o);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(&o);
	if (strcmp(cmd, "version") == 0) {
		printf("pergamino %s (schema %d)\n", PERGAMINO_VERSION,
		    db_schema_target());
		return 0;
	}
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(&o);
	if (strcmp(cmd, "org") == 0)
		return cmd_org(&o);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(&o);
	if (strcmp(cmd, "audit") == 0)
		return cmd_audit(&o);
	if (strcmp(cmd, "bench-data") == 0)
		return cmd_bench_data(&o);
	fprintf(stderr, "pergamino: unknown command %s\n\n%s", cmd, main_usage);
	return 2;
}
