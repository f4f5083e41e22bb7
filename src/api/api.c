/* Every route table of the application, in one list the router walks. */
#include "pergamino/api.h"

const struct route *const api_route_tables[] = {
	health_routes,
	session_routes,
	organization_routes,
	user_routes,
	grant_routes,
	token_routes,
	audit_routes,
	numbering_routes,
	reception_routes,
	note_routes,
	settlement_routes,
	producer_routes,
	plot_routes,
	certification_routes,
	lpa_routes,
	settings_routes,
	registry_csv_routes,
	NULL,
};
