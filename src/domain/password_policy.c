/*
 * Password policy: length in code points, byte cap, UTF-8, username, a
 * repeated character, and a built-in list of common passwords (English and
 * Spanish/Peruvian).  Nothing here does I/O or hashing.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pergamino/err.h"
#include "pergamino/password_policy.h"
#include "pergamino/utf8.h"

/* The limits as string literals, for the reasons. */
#define STR_(x) #x
#define STR(x) STR_(x)
#define MIN_LEN_TEXT STR(PASSWORD_MIN_LEN)
#define MAX_LEN_TEXT STR(PASSWORD_MAX_LEN)

/* Usernames shorter than this (bytes) are only compared for equality. */
#define USERNAME_CONTAINED_MIN 4

/* UTF-8 lead byte of U+00C0..U+00FF, and the range of upper-case letters. */
#define LATIN1_LEAD 0xC3u
#define LATIN1_UPPER_MIN 0x80u /* À */
#define LATIN1_UPPER_MAX 0x9Eu /* Þ */
#define LATIN1_TIMES 0x97u     /* ×, not a letter */
#define LATIN1_CASE_DELTA 0x20u

/*
 * Common passwords of at least PASSWORD_MIN_LEN code points, lower-case,
 * sorted by strcmp() (byte order), for bsearch().  test_password_policy.c
 * checks the order.  Shorter ones are already refused by the length rule.
 */
/* clang-format off */
static const char *const common[] = {
	"0123456789", "0987654321", "1029384756", "1122334455", "1212121212",
	"1231231231", "1234512345", "1234554321", "1234567890", "12345678901",
	"123456789012", "1234567890123", "1234567891", "12345678910",
	"123456789a", "123456789abc", "123456789q", "1472583690", "1q2w3e4r5t",
	"1q2w3e4r5t6y", "1qaz2wsx3edc", "1qazxsw23edc", "7894561230",
	"9876543210", "a123456789", "aa12345678", "abc1234567", "abc12345678",
	"abc123abc123", "abcd123456", "abcdefg123", "abcdefghij", "admin12345",
	"admin123456", "adminadmin", "adminadmin123", "administrador",
	"administrador1", "administrador123", "administrator",
	"administrator1", "alianzalima", "alianzalima1", "america123",
	"amorcito123", "arribaperu", "arribaperu1", "asdf123456",
	"asdfasdfasdf", "asdfghjkl1", "asdfghjkl123", "asdfghjklñ",
	"asociacion", "asociacion1", "asociacion123", "asociación",
	"barcelona1", "barcelona123", "baseball123", "basketball",
	"basketball1", "batman1234", "bienvenido", "bienvenido1",
	"bienvenido123", "bienvenidos", "cafe123456", "cafe1234567",
	"cafeorganico", "cafeorganico1", "cafeorgánico", "cafetalero",
	"cafetalero1", "caficultor", "caficultor1", "café123456", "cajamarca1",
	"cajamarca123", "chachapoyas", "changeme123", "chocolate1",
	"chocolate123", "clave12345", "clave123456", "clavesecreta",
	"computer123", "contrasena", "contrasena1", "contrasena12",
	"contrasena123", "contrasena1234", "contraseña", "contraseña1",
	"contraseña12", "contraseña123", "contraseña1234", "cooperativa",
	"cooperativa1", "cooperativa123", "corazon123", "corazón123",
	"default123", "dragon1234", "estrella123", "facebook123", "football12",
	"football123", "freedom123", "futbol1234", "futbol12345", "google1234",
	"hello12345", "helloworld", "helloworld1", "helloworld123",
	"hola123456", "holahola123", "holamundo1", "holamundo123",
	"iloveyou12", "iloveyou123", "iloveyou1234", "internet123",
	"jaen123456", "jennifer123", "jesucristo", "jesucristo1", "letmein123",
	"letmein1234", "lima123456", "limaperu123", "liverpool1",
	"liverpool123", "mariposa123", "master1234", "michael123",
	"miclave1234", "micontrasena", "micontraseña", "microsoft1",
	"microsoft123", "minecraft1", "minecraft123", "monkey1234",
	"mypassword", "mypassword1", "mypassword123", "nopassword",
	"p@ssw0rd123", "p@ssword123", "passw0rd123", "password01",
	"password12", "password123", "password1234", "password12345",
	"password2020", "password2021", "password2022", "password2023",
	"password2024", "password2025", "passwordpassword", "pergamino1",
	"pergamino123", "peru123456", "peru1234567", "peru12345678",
	"perucampeon", "perú123456", "pokemon123", "princesa123", "princess12",
	"princess123", "q1w2e3r4t5", "qazwsxedc123", "qazwsxedcrfv",
	"qwer123456", "qwerasdfzxcv", "qwerqwerqwer", "qwerty1234",
	"qwerty12345", "qwerty123456", "qwertyuiop", "qwertyuiop123",
	"qwertyuiopñ", "realmadrid", "realmadrid1", "samsung123",
	"samsung1234", "sanignacio", "sanignacio1", "secret1234", "secreto123",
	"secreto1234", "secretpassword", "shadow1234", "sportingcristal",
	"spring2024", "starwars123", "summer2024", "sunshine12", "sunshine123",
	"superman123", "teamo12345", "teamo123456", "teamomucho",
	"teamomucho1", "tequiero123", "tequieromucho", "test123456",
	"testing123", "testtest123", "trustno1234", "universitario",
	"universitario1", "usuario123", "usuario1234", "usuario12345",
	"vivaperu123", "welcome123", "welcome1234", "welcome2024",
	"whatever123", "winter2024", "zaq1xsw2cde3", "zxcv123456",
	"zxcvbnm123", "zxcvbnm1234",
};
/* clang-format on */

static void
set_why(struct msg *why, struct msg m)
{
	if (why != NULL)
		*why = m;
}

static unsigned char
ascii_lower(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c - 'A' + 'a');
	return c;
}

/*
 * Lower-case the len bytes of valid UTF-8 in s, in place: ASCII letters and
 * the Latin-1 capitals U+00C0..U+00DE (except ×), which keep their length.
 */
static void
fold_case(unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == LATIN1_LEAD && i + 1 < len &&
		    s[i + 1] >= LATIN1_UPPER_MIN &&
		    s[i + 1] <= LATIN1_UPPER_MAX && s[i + 1] != LATIN1_TIMES) {
			s[i + 1] =
			    (unsigned char)(s[i + 1] + LATIN1_CASE_DELTA);
			i++;
		} else {
			s[i] = ascii_lower(s[i]);
		}
	}
}

/* True if needle (nlen bytes) occurs in hay, ASCII case-insensitive. */
static bool
contains_ci(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i, k;

	if (nlen > hlen)
		return false;
	for (i = 0; i + nlen <= hlen; i++) {
		for (k = 0; k < nlen; k++) {
			if (ascii_lower((unsigned char)hay[i + k]) !=
			    ascii_lower((unsigned char)needle[k]))
				break;
		}
		if (k == nlen)
			return true;
	}
	return false;
}

static bool
matches_username(const char *pw, size_t pw_len, const char *username)
{
	size_t ulen;

	if (username == NULL || username[0] == '\0')
		return false;
	ulen = strlen(username);
	if (ulen == pw_len && contains_ci(pw, pw_len, username, ulen))
		return true;
	return ulen >= USERNAME_CONTAINED_MIN &&
	    contains_ci(pw, pw_len, username, ulen);
}

/*
 * True if the valid UTF-8 string s (len bytes, len > 0) is one code point
 * repeated.
 */
static bool
one_repeated(const unsigned char *s, size_t len)
{
	size_t cp_len = 1, i;

	while (cp_len < len && (s[cp_len] & 0xC0u) == 0x80u)
		cp_len++;
	if (len % cp_len != 0)
		return false;
	for (i = cp_len; i < len; i += cp_len) {
		if (memcmp(s, s + i, cp_len) != 0)
			return false;
	}
	return true;
}

static int
cmp_common(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

/* Byte length of s if it is at most max, else max + 1; never reads past. */
static size_t
bounded_len(const char *s, size_t max)
{
	size_t n = 0;

	/* cppcheck follows s = "" and misses that the NUL ends the loop. */
	// cppcheck-suppress arrayIndexOutOfBoundsCond
	while (n <= max && s[n] != '\0')
		n++;
	return n;
}

enum err
password_policy_check(
    const char *password, const char *username, struct msg *why)
{
	unsigned char folded[PASSWORD_MAX_LEN + 1];
	size_t len;

	set_why(why, MSG(NULL, NULL));
	if (password == NULL)
		password = "";
	len = bounded_len(password, PASSWORD_MAX_LEN);
	if (len > PASSWORD_MAX_LEN) {
		set_why(why,
		    MSG("La contraseña no puede superar " MAX_LEN_TEXT " bytes",
		        "Password must not exceed " MAX_LEN_TEXT " bytes"));
		return ERR_INVALID;
	}
	if (!utf8_valid(password, len)) {
		set_why(why,
		    MSG("La contraseña no es UTF-8 válido",
		        "Password is not valid UTF-8"));
		return ERR_INVALID;
	}
	if (utf8_count(password) < PASSWORD_MIN_LEN) {
		set_why(why,
		    MSG("La contraseña debe tener al menos " MIN_LEN_TEXT
		        " caracteres",
		        "Password must have at least " MIN_LEN_TEXT
		        " characters"));
		return ERR_INVALID;
	}
	if (matches_username(password, len, username)) {
		set_why(why,
		    MSG("La contraseña no puede contener el usuario",
		        "Password must not contain the username"));
		return ERR_INVALID;
	}
	memcpy(folded, password, len + 1);
	fold_case(folded, len);
	if (one_repeated(folded, len)) {
		set_why(why,
		    MSG("La contraseña no puede ser un solo carácter repetido",
		        "Password must not be a single repeated character"));
		return ERR_INVALID;
	}
	if (bsearch(folded, common, sizeof(common) / sizeof(common[0]),
	        sizeof(common[0]), cmp_common) != NULL) {
		set_why(why,
		    MSG("La contraseña es demasiado común",
		        "Password is too common"));
		return ERR_INVALID;
	}
	return ERR_OK;
}

const char *const *
password_policy_common_list(size_t *out)
{
	*out = sizeof(common) / sizeof(common[0]);
	return common;
}
