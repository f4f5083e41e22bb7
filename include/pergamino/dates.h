/* Calendar dates as printed on documents: 'YYYY-MM-DD' text.  Pure. */
#ifndef PERGAMINO_DATES_H
#define PERGAMINO_DATES_H

#include <stdbool.h>

#define DATE_LEN 10 /* "YYYY-MM-DD" */
#define DATE_YEAR_MIN 2000
#define DATE_YEAR_MAX 2100

/* Is s exactly "YYYY-MM-DD", a real calendar day in 2000..2100? */
bool date_valid(const char *s);
/* The year of a valid date (the coffee campaign of a delivery). */
int date_year(const char *s);
/* "2017-06-10" -> "10/06/2017" into out (11 bytes); "" if invalid. */
void date_print_pe(const char *s, char out[DATE_LEN + 1]);

#endif
