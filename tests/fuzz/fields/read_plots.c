/* fuzz_fields: the readers of src/api/api_plots.c (see fuzz_fields.h). */
#include "api/api_plots.c"

#include "fuzz_fields.h"

/* plot_create() / plot_patch() up to their first SQL, and the location. */
static void
fuzz_read_plot(struct request *req, json_t *body, const struct field *spec)
{
	struct plot_in in;
	struct plot p = { .name = "fuzz",
		.area_m2 = 10000,
		.crop = "café",
		.altitude_m = REGISTRY_NONE,
		.active = 1 };
	json_t *loc_in, *loc = NULL;
	bool clear;

	if (plot_read(req, body, spec, &in, &loc_in, &clear) != ERR_OK)
		return;
	if (plot_location_in(req, loc_in, &loc) != ERR_OK)
		return;
	p.location = loc;
	plot_apply(&p, &in);
	(void)plot_check(&p, registry_report_request, req);
	json_decref(loc);
}

void
fuzz_read_plot_create(struct request *req, json_t *body)
{
	fuzz_read_plot(req, body, plot_create_fields);
}

void
fuzz_read_plot_patch(struct request *req, json_t *body)
{
	fuzz_read_plot(req, body, plot_patch_fields);
}

void
fuzz_read_plot_estimate(struct request *req, json_t *body)
{
	struct estimate_in in;

	(void)fields_read(req, body, estimate_fields, &in);
}
