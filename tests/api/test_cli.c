/*
 * The command line as an operator uses it: bootstrap an organization and
 * an admin without demo data, serve, answer, stop cleanly on SIGTERM,
 * back up, and verify the audit chain (exit codes included).  Runs the
 * real binary named by PERGAMINO_BIN.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static char cli_dir[128];

static const char *
cli_bin(void)
{
	const char *b = getenv("PERGAMINO_BIN");

	return b != NULL ? b : "./pergamino";
}

/* Run "bin args..." with stdin_text; exit status, stdout into out. */
static int
cli_run(const char *args, const char *stdin_text, char *out, size_t cap)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd),
	    "cd %s && printf '%%s\\n' '%s' | %s %s 2>/dev/null", cli_dir,
	    stdin_text != NULL ? stdin_text : "", cli_bin(), args);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(cli_dir, sizeof(cli_dir), "/tmp/pergamino-cli-XXXXXX");
	return mkdtemp(cli_dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", cli_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_bootstrap_without_demo(void **state)
{
	char out[4096];

	(void)state;
	assert_int_equal(cli_run("org add --db p.db --name 'Cooperativa X'"
	                         " --ruc 2051078079 --kind cooperative",
	                     NULL, out, sizeof(out)),
	    1); /* the guide's 10-digit RUC is refused */
	assert_int_equal(cli_run("org add --db p.db --name 'Cooperativa X'"
	                         " --ruc 20427376983 --kind cooperative",
	                     NULL, out, sizeof(out)),
	    0);
	assert_int_equal(cli_run("user add --db p.db --username ana"
	                         " --display-name Ana --role admin"
	                         " --org 20427376983 --password-stdin",
	                     "1234567890", out, sizeof(out)),
	    1); /* a common password */
	assert_int_equal(cli_run("user add --db p.db --username ana"
	                         " --display-name Ana --role admin"
	                         " --org 20427376983 --password-stdin",
	                     "una clave larga y propia", out, sizeof(out)),
	    0);
	assert_int_equal(cli_run("user passwd --db p.db --username ana"
	                         " --password-stdin",
	                     "otra clave larga y propia", out, sizeof(out)),
	    0);
	assert_int_equal(
	    cli_run("audit verify --db p.db", NULL, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "audit chain ok: 3 events"));
	assert_int_equal(cli_run("frobnicate", NULL, out, sizeof(out)), 2);
	assert_int_equal(cli_run("serve --help", NULL, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "--demo"));
}

static void
test_serve_answers_and_stops_on_sigterm(void **state)
{
	char line[256], path[256], url[128], cmd[512];
	unsigned port = 0;
	int fds[2], st = 0, i;
	FILE *in;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/p.db", cli_dir);
		dup2(fds[1], 1);
		close(fds[0]);
		execl(cli_bin(), cli_bin(), "serve", "--db", path, "--port",
		    "0", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	assert_non_null(in);
	while (fgets(line, sizeof(line), in) != NULL)
		if (sscanf(line, "listening http://127.0.0.1:%u", &port) == 1)
			break;
	assert_true(port > 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/api/v1/health", port);
	snprintf(cmd, sizeof(cmd),
	    "curl -sf %s | grep -q '\"database\":\"ok\"'", url);
	assert_int_equal(system(cmd), 0);
	kill(pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		nanosleep(&ts, NULL);
	}
	fclose(in);
	assert_true(i < 100);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_backup_restores_and_verifies(void **state)
{
	char out[4096], cmd[512];

	(void)state;
	assert_int_equal(
	    cli_run("backup copia.db --db p.db", NULL, out, sizeof(out)), 0);
	assert_int_equal(
	    cli_run("audit verify --db copia.db", NULL, out, sizeof(out)), 0);
	snprintf(cmd, sizeof(cmd),
	    "sqlite3 %s/copia.db 'PRAGMA integrity_check' | grep -qx ok",
	    cli_dir);
	assert_int_equal(system(cmd), 0);
	/* A tampered log is caught, with a non-zero exit. */
	snprintf(cmd, sizeof(cmd),
	    "sqlite3 %s/copia.db \"DROP TRIGGER audit_events_no_update;"
	    " UPDATE audit_events SET action = 'x' WHERE seq = 2\"",
	    cli_dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(
	    cli_run("audit verify --db copia.db", NULL, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "BROKEN at event 2"));
	assert_int_equal(
	    cli_run("audit verify --db missing.db", NULL, out, sizeof(out)), 1);
}

/*
 * A signed checkpoint handed to a certifier: it verifies while the log
 * only grows; a rebuilt log (every hash recomputed, so the chain alone
 * looks intact) or an edited checkpoint is caught with exit status 1.
 */
static void
test_signed_checkpoint_proves_the_log_only_grew(void **state)
{
	char out[4096], cmd[512];
	struct stat st;

	(void)state;
	assert_int_equal(cli_run("audit checkpoint --db p.db --out cp.json",
	                     NULL, out, sizeof(out)),
	    0);
	assert_non_null(strstr(out, "checkpoint of event 3"));
	snprintf(cmd, sizeof(cmd), "%s/p.db.audit-key", cli_dir);
	assert_int_equal(stat(cmd, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(cli_run("audit verify --db p.db --checkpoint cp.json",
	                     NULL, out, sizeof(out)),
	    0);
	assert_non_null(strstr(out, "the log only grew since (0 new events)"));

	/* The log grows: the kept checkpoint still verifies. */
	assert_int_equal(cli_run("org add --db p.db --name 'Planta Y'"
	                         " --ruc 20510780796 --kind plant",
	                     NULL, out, sizeof(out)),
	    0);
	assert_int_equal(cli_run("audit verify --db p.db --checkpoint cp.json",
	                     NULL, out, sizeof(out)),
	    0);
	assert_non_null(strstr(out, "(1 new events)"));

	/* The same history typed again: an intact chain, another head. */
	assert_int_equal(cli_run("org add --db r.db --name 'Cooperativa X'"
	                         " --ruc 20427376983 --kind cooperative",
	                     NULL, out, sizeof(out)),
	    0);
	assert_int_equal(cli_run("org add --db r.db --name 'Planta Y'"
	                         " --ruc 20510780796 --kind plant",
	                     NULL, out, sizeof(out)),
	    0);
	assert_int_equal(cli_run("org add --db r.db --name 'Planta Z'"
	                         " --ruc 20100412447 --kind plant",
	                     NULL, out, sizeof(out)),
	    0);
	assert_int_equal(
	    cli_run("audit verify --db r.db", NULL, out, sizeof(out)), 0);
	assert_int_equal(cli_run("audit verify --db r.db --checkpoint cp.json",
	                     NULL, out, sizeof(out)),
	    1);
	assert_non_null(strstr(out, "does NOT extend the checkpoint"));

	/* An edited checkpoint fails its signature. */
	snprintf(cmd, sizeof(cmd),
	    "cd %s && sed 's/\"seq\": 3/\"seq\": 2/' cp.json > cp2.json",
	    cli_dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(cli_run("audit verify --db p.db --checkpoint cp2.json",
	                     NULL, out, sizeof(out)),
	    1);
	assert_non_null(strstr(out, "signature INVALID"));
	assert_int_equal(cli_run("audit verify --db p.db --checkpoint p.db",
	                     NULL, out, sizeof(out)),
	    1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bootstrap_without_demo),
		cmocka_unit_test(test_serve_answers_and_stops_on_sigterm),
		cmocka_unit_test(test_backup_restores_and_verifies),
		cmocka_unit_test(
		    test_signed_checkpoint_proves_the_log_only_grew),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
