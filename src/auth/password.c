/* argon2id hashing behind a counting semaphore. */
#include <errno.h>
#include <stdio.h>
#include <semaphore.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "pergamino/log.h"
#include "pergamino/password.h"

#define PASSWORD_SLOT_WAIT_MS 3000

static sem_t password_sem;
static bool password_ready;
static enum password_cost password_cost = PASSWORD_COST_INTERACTIVE;
/* A hash of a random password, verified against for unknown users. */
static char password_dummy[PASSWORD_HASH_MAX];

void
password_set_cost(enum password_cost cost)
{
	password_cost = cost;
}

static enum err
password_hash_raw(const char *pw, char out[PASSWORD_HASH_MAX])
{
	unsigned long long ops = password_cost == PASSWORD_COST_MIN
	    ? crypto_pwhash_OPSLIMIT_MIN
	    : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = password_cost == PASSWORD_COST_MIN
	    ? crypto_pwhash_MEMLIMIT_MIN
	    : crypto_pwhash_MEMLIMIT_INTERACTIVE;

	if (crypto_pwhash_str(out, pw, strlen(pw), ops, mem) != 0)
		return ERR_NOMEM;
	return ERR_OK;
}

/*
 * An argon2id string ("$argon2id$v=19$m=KiB,t=OPS,p=1$salt$digest") with
 * the current cost and random salt and digest.  ERR_INTERNAL when
 * libsodium does not accept it as a hash of these parameters.
 */
static enum err
password_dummy_encode(char out[PASSWORD_HASH_MAX])
{
	unsigned long long ops = password_cost == PASSWORD_COST_MIN
	    ? crypto_pwhash_OPSLIMIT_MIN
	    : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = password_cost == PASSWORD_COST_MIN
	    ? crypto_pwhash_MEMLIMIT_MIN
	    : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	unsigned char salt[crypto_pwhash_SALTBYTES], digest[32];
	char salt64[64], digest64[64];
	int n;

	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(digest, sizeof(digest));
	sodium_bin2base64(salt64, sizeof(salt64), salt, sizeof(salt),
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	sodium_bin2base64(digest64, sizeof(digest64), digest, sizeof(digest),
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	n = snprintf(out, PASSWORD_HASH_MAX,
	    "$argon2id$v=19$m=%zu,t=%llu,p=1$%s$%s", mem / 1024, ops, salt64,
	    digest64);
	if (n < 0 || n >= PASSWORD_HASH_MAX ||
	    crypto_pwhash_str_needs_rehash(out, ops, mem) != 0)
		return ERR_INTERNAL;
	return ERR_OK;
}

enum err
password_init(unsigned slots)
{
	char random_pw[33];
	unsigned char raw[16];
	long cpus;

	if (password_ready)
		return ERR_OK;
	if (sodium_init() < 0)
		return ERR_INTERNAL;
	if (slots == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		slots = cpus > 0 ? (unsigned)cpus : 1;
	}
	if (sem_init(&password_sem, 0, slots) != 0)
		return ERR_INTERNAL;
	/*
	 * The dummy needs the real cost parameters, not a real hash: its
	 * salt and digest are random, so no password matches it, and a
	 * verify against it costs what a real one costs.  Writing it
	 * instead of hashing saves an argon2id run (~170 ms here) at every
	 * start (docs/performance.md).  Should libsodium not read it back
	 * with these parameters, hash a random password as before.
	 */
	if (password_dummy_encode(password_dummy) != ERR_OK) {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(random_pw, sizeof(random_pw), raw, sizeof(raw));
		if (password_hash_raw(random_pw, password_dummy) != ERR_OK)
			return ERR_NOMEM;
	}
	password_ready = true;
	return ERR_OK;
}

static enum err
password_slot_take(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += PASSWORD_SLOT_WAIT_MS / 1000;
	while (sem_timedwait(&password_sem, &ts) != 0) {
		if (errno == EINTR)
			continue;
		log_error("password", "no hashing slot", "login storm?");
		return ERR_BUSY;
	}
	return ERR_OK;
}

enum err
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	enum err rc;

	rc = password_slot_take();
	if (rc != ERR_OK)
		return rc;
	rc = password_hash_raw(pw, out);
	sem_post(&password_sem);
	return rc;
}

enum err
password_verify(const char *hash, const char *pw, bool *ok)
{
	enum err rc;
	int r;

	*ok = false;
	rc = password_slot_take();
	if (rc != ERR_OK)
		return rc;
	r = crypto_pwhash_str_verify(
	    hash != NULL ? hash : password_dummy, pw, strlen(pw));
	sem_post(&password_sem);
	*ok = hash != NULL && r == 0;
	return ERR_OK;
}
