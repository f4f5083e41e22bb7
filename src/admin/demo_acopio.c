/*
 * Demo data for the acopio stage: the guide's example (section 3.3.1) as
 * the Asociación San Ignacio-Tabaconas would have registered it, issued
 * through the same rules as the API (acopio service).
 *
 * From the guide: Juan Pérez Vargas (DNI 08754611, caserío La Palma,
 * fundo La Perla, ticket 8727, nota 10685, liquidación 34795 and every
 * figure of them), and for the other 14 producers of the "Lista de
 * productores" of guía 5469: names, note numbers, dates, sacks, net
 * weights and settlement numbers.  Invented (the guide gives none): their
 * DNIs, caseríos, plots and estimates, ticket numbers after 8727, tare
 * (0.2 kg a sack, as Juan's 1.4 kg for 7), the physical analyses and
 * humidity, the price (Juan's S/ 412.00 a QQ for all), the certificate
 * codes and two extra producers (one in transition, one conventional) to
 * show the rules.
 *
 * The guide's numbering skips nota 10688 and liquidación 34804.  Since
 * numbering is gap-free, the demo explains them as the system would: a
 * note issued with a mistyped price and annulled (10688, reissued as
 * 10689), and a settlement issued with a wrong date and annulled (34804,
 * reissued as 34805).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pergamino/acopio.h"
#include "pergamino/admin.h"
#include "pergamino/audit.h"
#include "pergamino/registry.h"
#include "pergamino/stores.h"

struct demo_delivery {
	const char *first, *last, *dni, *sex, *caserio;
	const char *date; /* of the reception, note and settlement */
	int64_t sacks;
	int64_t net_g;
	int64_t exportable_g; /* of a 300 g sample */
	int64_t discard_g;
	int64_t humidity; /* tenths */
	const char *plot;
	const char *lon, *lat;
	int64_t area_m2;
};

/* clang-format off */
static const struct demo_delivery demo_lot[] = {
	{ "Juan", "Pérez Vargas", "08754611", "M", "La Palma", "2017-06-10", 7, 472600, 204, 36, 125, "La Perla", "-78.996512", "-5.141873", 10000 },
	{ "Pedro", "Suárez", "41235871", "M", "Laurel", "2017-06-10", 25, 2000000, 207, 33, 122, "El Mirador", "-78.988214", "-5.152209", 25000 },
	{ "Marco", "Suárez", "41235872", "M", "Laurel", "2017-06-11", 15, 1170000, 201, 39, 124, "Santa Rosa", "-78.987450", "-5.150918", 15000 },
	{ "Marian", "Ninamango", "42318845", "F", "La Palma", "2017-06-11", 18, 1404000, 205, 35, 121, "Los Naranjos", "-78.999873", "-5.139554", 18000 },
	{ "Mario", "Rafo", "40983312", "M", "Tabaconas", "2017-06-14", 27, 2106000, 203, 37, 126, "El Palto", "-79.284431", "-5.315620", 30000 },
	{ "Pablo", "Suárez", "41235873", "M", "Laurel", "2017-06-14", 26, 2028000, 206, 34, 123, "La Quebrada", "-78.985102", "-5.153347", 26000 },
	{ "Olivia", "Duarte", "43012276", "F", "Huarango", "2017-06-15", 22, 1716000, 202, 38, 125, "San Martín", "-78.774310", "-5.086615", 22000 },
	{ "Víctor", "Alberca", "40561298", "M", "Tabaconas", "2017-06-15", 30, 2340000, 208, 32, 120, "Alto Perú", "-79.281055", "-5.318740", 35000 },
	{ "Simón", "Santos", "44087123", "M", "Huarango", "2017-06-15", 14, 1092000, 204, 36, 127, "El Cedro", "-78.771942", "-5.084401", 14000 },
	{ "María", "Requejo", "45120934", "F", "La Palma", "2017-06-17", 12, 936000, 200, 40, 124, "Las Flores", "-78.998120", "-5.138077", 12000 },
	{ "Alberta", "Pardo", "42876501", "F", "Chirinos", "2017-06-18", 28, 2184000, 206, 34, 122, "Buenos Aires", "-78.898733", "-5.305126", 28000 },
	{ "Pedro", "Ortega", "40345567", "M", "Chirinos", "2017-06-19", 19, 1482000, 203, 37, 125, "La Esperanza", "-78.900219", "-5.307782", 19000 },
	{ "Lucy", "Bellido", "46210378", "F", "Tabaconas", "2017-06-21", 20, 1560000, 205, 35, 123, "El Porvenir", "-79.279912", "-5.312005", 20000 },
	{ "Juan", "Quispe", "41789023", "M", "Huarango", "2017-06-21", 25, 1950000, 207, 33, 121, "Nueva Esperanza", "-78.769845", "-5.088812", 25000 },
	{ "Jenny", "Obregón", "47032189", "F", "Chirinos", "2017-06-22", 12, 977350, 204, 36, 124, "Santa Clara", "-78.903401", "-5.303344", 12000 },
};
/* clang-format on */

#define DEMO_LOT_COUNT (sizeof(demo_lot) / sizeof(demo_lot[0]))
#define DEMO_TARE_PER_SACK_G 200
#define DEMO_PRICE_C 41200 /* S/ 412.00 per QQ */
#define DEMO_SAMPLE_G 300

static enum err
demo_audit(struct db *db, int64_t user_id, int64_t org_id, const char *action,
    const char *entity, int64_t id)
{
	struct audit_event ev = { 0 };

	ev.user_id = user_id;
	ev.organization_id = org_id;
	ev.action = action;
	ev.entity = entity;
	ev.entity_id = id;
	return audit_append(db, &ev);
}

/* One producer with one plot and its estimates (2017 and this year). */
static enum err
demo_producer(struct db *db, int64_t org, int64_t admin, int year,
    const struct demo_delivery *d, const char *status, const char *program,
    int64_t *producer_id, int64_t *plot_id)
{
	struct producer p = { 0 };
	struct plot pl = { 0 };
	enum err rc;

	p.organization_id = org;
	p.dni = d->dni;
	p.first_names = d->first;
	p.last_names = d->last;
	p.sex = d->sex;
	p.caserio = d->caserio;
	p.district = "San Ignacio";
	p.province = "San Ignacio";
	p.region = "Cajamarca";
	/* The address the guide's liquidación prints for Juan Pérez. */
	p.address = strcmp(d->dni, "08754611") == 0
	    ? "Caserío Laurel Mz N - San Ignacio"
	    : "";
	p.phone = "";
	p.status = status;
	p.programs = program != NULL ? json_pack("[s]", program) : json_array();
	p.other_certifications = json_array();
	p.active = 1;
	p.created_at = (int64_t)time(NULL);
	rc = producer_store_insert(db, &p);
	json_decref(p.programs);
	json_decref(p.other_certifications);
	if (rc == ERR_OK)
		rc = demo_audit(
		    db, admin, org, "producer.create", "producer", p.id);
	if (rc != ERR_OK)
		return rc;
	*producer_id = p.id;

	pl.organization_id = org;
	pl.producer_id = p.id;
	pl.name = d->plot;
	pl.area_m2 = d->area_m2;
	pl.crop = "café";
	pl.variety = "Caturra, Typica";
	pl.altitude_m = 1450;
	pl.location = json_pack(
	    "{s:s, s:[s, s]}", "type", "Point", "coordinates", d->lon, d->lat);
	pl.risk_notes = "";
	pl.active = 1;
	pl.created_at = p.created_at;
	rc = plot_store_insert(db, &pl);
	json_decref(pl.location);
	if (rc == ERR_OK)
		rc = demo_audit(db, admin, org, "plot.create", "plot", pl.id);
	/* Estimates 30 % above what was delivered: plausible deliveries. */
	if (rc == ERR_OK)
		rc = plot_store_estimate_put(
		    db, org, pl.id, 2017, d->net_g * 13 / 10);
	if (rc == ERR_OK)
		rc = plot_store_estimate_put(
		    db, org, pl.id, year, d->net_g * 13 / 10);
	if (rc == ERR_OK)
		rc = demo_audit(db, admin, org, "plot.estimate", "plot", pl.id);
	*plot_id = pl.id;
	return rc;
}

/* Certifications, settings, numbering: the association's set-up. */
static enum err
demo_setup(struct db *db, int64_t org, int64_t admin, int year)
{
	struct certification c = { 0 };
	struct org_settings s = { 0 };
	char from[24], to[24];
	enum err rc;

	c.organization_id = org;
	c.certifier = "Organic World";
	c.program = "EU";
	c.code = "CU835641";
	c.valid_from = "2017-01-01";
	c.valid_to = "2017-12-31";
	c.created_at = (int64_t)time(NULL);
	rc = certification_store_insert(db, &c);
	if (rc == ERR_OK)
		rc = demo_audit(db, admin, org, "certification.create",
		    "certification", c.id);
	/* And this year's, so the demo also works for today's deliveries. */
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	c.code = "PE-BIO-149";
	c.valid_from = from;
	c.valid_to = to;
	if (rc == ERR_OK)
		rc = certification_store_insert(db, &c);
	if (rc == ERR_OK)
		rc = demo_audit(db, admin, org, "certification.create",
		    "certification", c.id);

	s.humidity_min = 100;
	s.humidity_max = 135;
	snprintf(s.humidity_policy, sizeof(s.humidity_policy), "warn");
	s.estimate_tolerance_pct = 10;
	s.igv_rate_bp = 0;
	snprintf(s.place_of_sale, sizeof(s.place_of_sale),
	    "San Ignacio - Cajamarca");
	if (rc == ERR_OK)
		rc = settings_store_put(db, org, 0, &s);
	if (rc == ERR_OK)
		rc = demo_audit(
		    db, admin, org, "settings.update", "settings", org);

	/* The guide's paper numbering continues. */
	if (rc == ERR_OK)
		rc = numbering_set_start(db, org, "reception", "", 8727);
	if (rc == ERR_OK)
		rc = numbering_set_start(db, org, "warehouse_note", "", 10685);
	if (rc == ERR_OK)
		rc = numbering_set_start(
		    db, org, "purchase_settlement", "", 34795);
	if (rc == ERR_OK)
		rc = numbering_set_start(db, org, "dispatch", "", 5469);
	if (rc == ERR_OK)
		rc =
		    demo_audit(db, admin, org, "numbering.set", "numbering", 0);
	return rc;
}

static enum err
demo_refused(const char *what, enum err rc, const struct rule_error *e)
{
	fprintf(stderr, "demo: %s refused: %s (%s)\n", what,
	    e->why.en != NULL ? e->why.en : "error",
	    e->field != NULL ? e->field : "");
	return rc;
}

/* Ticket, note and settlement of delivery i, with the guide's gaps. */
static enum err
demo_deliver(struct db *db, const struct actor *clerk, size_t i,
    int64_t producer_id, int64_t plot_id)
{
	const struct demo_delivery *d = &demo_lot[i];
	struct reception_new r = { 0 };
	struct note_new n = { 0 };
	struct settlement_new s = { 0 };
	struct rule_error e = { 0 };
	int64_t rid, nid, sid;
	char code[16];
	enum err rc;

	snprintf(code, sizeof(code), "E01-17");
	r.issued_on = d->date;
	r.producer_id = producer_id;
	r.plot_id = plot_id;
	r.delivery_code = code;
	r.status = "organic";
	r.w.sacks = d->sacks;
	r.w.tare_g = d->sacks * DEMO_TARE_PER_SACK_G;
	r.w.gross_g = d->net_g + r.w.tare_g;
	r.w.sample_g = DEMO_SAMPLE_G;
	r.w.exportable_g = d->exportable_g;
	r.w.discard_g = d->discard_g;
	r.w.husk_g = DEMO_SAMPLE_G - d->exportable_g - d->discard_g;
	r.w.humidity = d->humidity;
	r.observations = "Ninguna";
	r.weighed_by = "Responsable de pesado";
	rc = acopio_receive(db, clerk, &r, &rid, &e);
	if (rc != ERR_OK)
		return demo_refused("reception", rc, &e);

	n.issued_on = d->date;
	n.reception_id = rid;
	n.observations = "Ninguna";
	if (i == 3) {
		/* Nota 10688: price mistyped, annulled, reissued as 10689. */
		n.price_centimos = 4120;
		rc = acopio_issue_note(db, clerk, &n, &nid, &e);
		if (rc == ERR_OK)
			rc = acopio_annul(db, clerk, ACOPIO_NOTE, nid,
			    "Precio por QQ mal digitado (S/ 41.20 en vez de "
			    "S/ 412.00); se emite la nota 10689",
			    &e);
		if (rc != ERR_OK)
			return demo_refused("note 10688", rc, &e);
	}
	n.price_centimos = DEMO_PRICE_C;
	rc = acopio_issue_note(db, clerk, &n, &nid, &e);
	if (rc != ERR_OK)
		return demo_refused("note", rc, &e);

	s.issued_on = d->date;
	s.note_id = nid;
	if (i == 9) {
		/* Liquidación 34804: wrong date, annulled, reissued 34805. */
		s.issued_on = "2017-06-27";
		rc = acopio_settle(db, clerk, &s, &sid, &e);
		if (rc == ERR_OK)
			rc = acopio_annul(db, clerk, ACOPIO_SETTLEMENT, sid,
			    "Fecha errada (27/06 en vez de 17/06); se emite la "
			    "liquidación 34805",
			    &e);
		if (rc != ERR_OK)
			return demo_refused("settlement 34804", rc, &e);
		s.issued_on = d->date;
	}
	rc = acopio_settle(db, clerk, &s, &sid, &e);
	if (rc != ERR_OK)
		return demo_refused("settlement", rc, &e);
	return ERR_OK;
}

/* Two more producers that show the rules: transition and conventional. */
static enum err
demo_others(struct db *db, int64_t org, int64_t admin, int year)
{
	static const struct demo_delivery others[] = {
		{ "Rosa", "Huamán Campos", "43567812", "F", "Laurel", "", 0, 0,
		    0, 0, 0, "El Huabal", "-78.984100", "-5.154120", 8000 },
		{ "Teodoro", "Vílchez Díaz", "40876543", "M", "La Palma", "", 0,
		    0, 0, 0, 0, "Santa Lucía", "-79.001500", "-5.137900",
		    9000 },
	};
	int64_t pid, plot;
	enum err rc;

	rc = demo_producer(
	    db, org, admin, year, &others[0], "transition", "EU", &pid, &plot);
	if (rc == ERR_OK)
		rc = lpa_store_approve(db, org, 2017, pid, "2017-01-15", admin);
	if (rc == ERR_OK)
		rc = demo_producer(db, org, admin, year, &others[1],
		    "conventional", NULL, &pid, &plot);
	return rc;
}

enum err
demo_acopio_seed(struct db *db, int64_t org, int64_t admin, int64_t clerk)
{
	struct actor a = { clerk, org };
	int64_t pids[DEMO_LOT_COUNT], plots[DEMO_LOT_COUNT];
	char approved[24];
	time_t now = time(NULL);
	struct tm tm;
	int year;
	size_t i;
	enum err rc;

	gmtime_r(&now, &tm);
	year = tm.tm_year + 1900;
	snprintf(approved, sizeof(approved), "%04d-01-15", year);
	rc = db_begin(db);
	if (rc != ERR_OK)
		return rc;
	rc = demo_setup(db, org, admin, year);
	for (i = 0; rc == ERR_OK && i < DEMO_LOT_COUNT; i++) {
		rc = demo_producer(db, org, admin, year, &demo_lot[i],
		    "organic", "EU", &pids[i], &plots[i]);
		if (rc == ERR_OK)
			rc = lpa_store_approve(
			    db, org, 2017, pids[i], "2017-01-15", admin);
		if (rc == ERR_OK && year != 2017)
			rc = lpa_store_approve(
			    db, org, year, pids[i], approved, admin);
		if (rc == ERR_OK)
			rc = demo_audit(
			    db, admin, org, "lpa.approve", "producer", pids[i]);
	}
	for (i = 0; rc == ERR_OK && i < DEMO_LOT_COUNT; i++)
		rc = demo_deliver(db, &a, i, pids[i], plots[i]);
	if (rc == ERR_OK)
		rc = demo_others(db, org, admin, year);
	if (rc == ERR_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
