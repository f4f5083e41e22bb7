/* 'YYYY-MM-DD' dates: validation and the Peruvian printed form. */
#include <string.h>

#include "pergamino/dates.h"

static int
date_digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool
date_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool
date_valid(const char *s)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int y, m, d, max;

	if (s == NULL || strlen(s) != DATE_LEN || s[4] != '-' || s[7] != '-')
		return false;
	y = date_digits(s, 4);
	m = date_digits(s + 5, 2);
	d = date_digits(s + 8, 2);
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 || d < 1)
		return false;
	max = days[m - 1] + (m == 2 && date_leap(y) ? 1 : 0);
	return d <= max;
}

int
date_year(const char *s)
{
	return date_valid(s) ? date_digits(s, 4) : 0;
}

void
date_print_pe(const char *s, char out[DATE_LEN + 1])
{
	if (!date_valid(s)) {
		out[0] = '\0';
		return;
	}
	memcpy(out, s + 8, 2);
	out[2] = '/';
	memcpy(out + 3, s + 5, 2);
	out[5] = '/';
	memcpy(out + 6, s, 4);
	out[10] = '\0';
}
