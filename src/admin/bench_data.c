/*
 * pergamino bench-data: a synthetic national campaign written through
 * the product's schema (see bench_data.h).
 *
 * The campaign is simulated day by day over one year: deliveries from
 * April to September (a ticket, a warehouse note and a purchase
 * settlement each), a guía de remisión when a cooperative's warehouse
 * holds about notes_per_dispatch notes of one status, its plant receipt
 * the next day, process orders over one to three receipts of one status
 * (the last one often split with the next order) with their marking
 * order, the LOP two days later with an exact mass balance and its exit
 * guide, export lots over one to three LOP outputs (splitting them too)
 * and shipments of one or two lots (some partial).  What is left at the
 * end of the year stays as stock, as in a real mass balance.
 *
 * Every figure the services compute is computed here by the same domain
 * functions (reception_compute, settlement_compute, process_exit_
 * description, audit_hash); the parties columns hold what the services
 * freeze, byte for byte (compact JSON with sorted keys).  What it does not
 * do: go through the services one request at a time (a national load
 * that way takes hours), annul documents, or write the full document into
 * each audit event (after_json is a short summary: the full documents
 * would triple the file).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>

#include "pergamino/acopio_rules.h"
#include "pergamino/audit.h"
#include "pergamino/bench_data.h"
#include "pergamino/geo.h"
#include "pergamino/ids.h"
#include "pergamino/password.h"
#include "pergamino/password_policy.h"
#include "pergamino/process_rules.h"
#include "pergamino/units.h"

#define BD_SAMPLE_G 300         /* physical analysis sample */
#define BD_RECEPTION_TARE_G 200 /* one pergamino sack at the scale */
#define BD_PLANT_TARE_G 700     /* one sack at the plant */
#define BD_STEP_MS 1000         /* clock between two documents */
#define BD_REGISTRY_STEP_MS 100 /* between two registry records */
#define BD_ICO_COUNTRY 30       /* Peru */
#define BD_MAX_PLOTS 3          /* per producer */
#define BD_MAX_INPUTS 3         /* receipts in one process order */
#define BD_MAX_SOURCES 3        /* LOPs in one export lot */
#define BD_TEXT 512             /* bytes of a composed text */
#define BD_PARTIES 2048         /* bytes of a parties document */
#define BD_CACHE_KIB 262144     /* page cache during the load: 256 MiB */
#define BD_BATCH 4096           /* audit events handed over at once */
#define BD_QUEUE 8              /* batches queued for the writer */

enum bd_class { BD_ORGANIC, BD_TRANSITION, BD_CONVENTIONAL, BD_CLASSES };

static const char *const bd_status[BD_CLASSES] = { "organic", "transition",
	"conventional" };

enum bd_doc {
	BD_RECEPTION,
	BD_NOTE,
	BD_SETTLEMENT,
	BD_DISPATCH,
	BD_RECEIPT,
	BD_ORDER,
	BD_MARKING,
	BD_LOP,
	BD_EXIT,
	BD_LOT,
	BD_SHIPMENT,
	BD_ICO,
	BD_DOCS
};

/* The numbering service's doc_type of each. */
static const char *const bd_doc_type[BD_DOCS] = { "reception", "warehouse_note",
	"purchase_settlement", "dispatch", "plant_receipt", "process_order",
	"marking_order", "process_settlement", "plant_exit", "export_lot",
	"shipment", "ico-mark" };

/* ---- reference data ---- */

struct bd_place {
	const char *district, *province, *region;
	int64_t lat_e6, lon_e6; /* the district's coffee area */
};

/* clang-format off */
static const struct bd_place bd_places[] = {
	{ "San Ignacio", "San Ignacio", "Cajamarca", -5145000, -78997000 },
	{ "Tabaconas", "San Ignacio", "Cajamarca", -5316000, -79284000 },
	{ "Chirinos", "San Ignacio", "Cajamarca", -5305000, -78899000 },
	{ "Huarango", "San Ignacio", "Cajamarca", -5087000, -78774000 },
	{ "La Coipa", "San Ignacio", "Cajamarca", -5390000, -78900000 },
	{ "Namballe", "San Ignacio", "Cajamarca", -5003000, -79083000 },
	{ "San José de Lourdes", "San Ignacio", "Cajamarca", -5102000, -78910000 },
	{ "Jaén", "Jaén", "Cajamarca", -5708000, -78808000 },
	{ "Pomahuaca", "Jaén", "Cajamarca", -5930000, -79230000 },
	{ "Chontalí", "Jaén", "Cajamarca", -5645000, -79088000 },
	{ "Colasay", "Jaén", "Cajamarca", -5980000, -79068000 },
	{ "Santa Rosa", "Jaén", "Cajamarca", -5432000, -78562000 },
	{ "Cutervo", "Cutervo", "Cajamarca", -6378000, -78819000 },
	{ "Lonya Grande", "Utcubamba", "Amazonas", -6094000, -78421000 },
	{ "Cajaruro", "Utcubamba", "Amazonas", -5737000, -78426000 },
	{ "San Nicolás", "Rodríguez de Mendoza", "Amazonas", -6395000, -77481000 },
	{ "Luya", "Luya", "Amazonas", -6165000, -77947000 },
	{ "Moyobamba", "Moyobamba", "San Martín", -6034000, -76972000 },
	{ "Jepelacio", "Moyobamba", "San Martín", -6109000, -76914000 },
	{ "Soritor", "Moyobamba", "San Martín", -6140000, -77103000 },
	{ "Rioja", "Rioja", "San Martín", -6062000, -77167000 },
	{ "Nueva Cajamarca", "Rioja", "San Martín", -5938000, -77308000 },
	{ "Lamas", "Lamas", "San Martín", -6421000, -76519000 },
	{ "Juanjuí", "Mariscal Cáceres", "San Martín", -7178000, -76728000 },
	{ "Tocache", "Tocache", "San Martín", -8188000, -76512000 },
	{ "Chinchao", "Huánuco", "Huánuco", -9648000, -76068000 },
	{ "Villa Rica", "Oxapampa", "Pasco", -10731000, -75268000 },
	{ "Oxapampa", "Oxapampa", "Pasco", -10577000, -75404000 },
	{ "Chanchamayo", "Chanchamayo", "Junín", -11055000, -75330000 },
	{ "San Ramón", "Chanchamayo", "Junín", -11124000, -75354000 },
	{ "Pichanaqui", "Chanchamayo", "Junín", -10924000, -74871000 },
	{ "Perené", "Chanchamayo", "Junín", -10948000, -75224000 },
	{ "Satipo", "Satipo", "Junín", -11253000, -74638000 },
	{ "Río Negro", "Satipo", "Junín", -11208000, -74660000 },
	{ "Mazamari", "Satipo", "Junín", -11327000, -74531000 },
	{ "Pangoa", "Satipo", "Junín", -11428000, -74488000 },
	{ "Santa Ana", "La Convención", "Cusco", -12863000, -72692000 },
	{ "Echarati", "La Convención", "Cusco", -12768000, -72577000 },
	{ "Maranura", "La Convención", "Cusco", -12962000, -72664000 },
	{ "Huayopata", "La Convención", "Cusco", -13003000, -72553000 },
	{ "Kimbiri", "La Convención", "Cusco", -12618000, -73786000 },
	{ "Pichari", "La Convención", "Cusco", -12520000, -73830000 },
	{ "Ayna", "La Mar", "Ayacucho", -12648000, -73778000 },
	{ "Sandia", "Sandia", "Puno", -14322000, -69466000 },
	{ "San Juan del Oro", "Sandia", "Puno", -14220000, -69153000 },
	{ "Putina Punco", "Sandia", "Puno", -14103000, -69047000 },
	{ "Canchaque", "Huancabamba", "Piura", -5374000, -79605000 },
	{ "Montero", "Ayabaca", "Piura", -4632000, -79830000 },
};

static const char *const bd_coop_prefix[] = {
	"Cooperativa Agraria Cafetalera", "Asociación de Productores Cafetaleros",
	"Cooperativa de Servicios Múltiples", "Central de Productores de Café",
	"Asociación de Productores Orgánicos",
};

static const char *const bd_plant_names[] = {
	"Procesadora del Norte", "Agroindustrias Jaén", "Beneficio Seco Chiclayo",
	"Planta Procesadora Moyobamba", "Exportadora Selva Central",
	"Procesadora La Merced", "Planta Quillabamba", "Beneficiadora Satipo",
	"Agroexportadora Tarapoto", "Procesadora Villa Rica",
	"Beneficio Seco Juliaca", "Procesadora Piura", "Planta Café Pichanaqui",
	"Agroindustrial Bagua", "Procesadora Andina Lima", "Beneficio Seco Paita",
	"Planta Cafetalera Huánuco", "Procesadora Amazonas",
	"Beneficio Seco Kimbiri", "Planta Procesadora Sandia",
};

static const char *const bd_certifiers[] = { "Organic World",
	"Control Union Perú", "BCS Öko-Garantie Perú" };
static const char *const bd_cert_prefix[] = { "OW", "CU", "BCS" };
static const char *const bd_programs[] = { "EU", "NOP", "JAS" };

static const char *const bd_first_m[] = { "Juan", "Pedro", "Marco", "Mario",
	"Pablo", "Víctor", "Simón", "José", "Luis", "Carlos", "Jorge", "Miguel",
	"Segundo", "Santos", "Wilmer", "Eusebio", "Teodoro", "Manuel", "Hugo",
	"Nilton", "Elmer", "Walter", "Óscar", "Julio", "Alfredo", "Ángel",
	"Roberto", "Fidel", "Eladio", "Porfirio" };
static const char *const bd_first_f[] = { "María", "Marian", "Olivia", "Lucy",
	"Jenny", "Alberta", "Rosa", "Carmen", "Elena", "Norma", "Gladys",
	"Flor", "Yolanda", "Nélida", "Esther", "Santos", "Luz", "Dora",
	"Marleni", "Edith", "Irma", "Julia", "Ana", "Teresa", "Lidia" };
static const char *const bd_last[] = { "Pérez", "Vargas", "Suárez", "Rafo",
	"Ninamango", "Duarte", "Alberca", "Santos", "Requejo", "Pardo",
	"Ortega", "Bellido", "Quispe", "Obregón", "Huamán", "Campos", "Vílchez",
	"Díaz", "Chávez", "Torres", "Ramírez", "Flores", "Córdova", "Guevara",
	"Castillo", "Julca", "Tocto", "Neyra", "Cruz", "Sánchez", "Coronel",
	"Fernández", "Mendoza", "Rojas", "Carrasco", "Mego", "Delgado",
	"Tantaleán", "Huanca", "Mamani", "Condori", "Ccahuana", "Inga",
	"Cieza", "Villegas", "García", "Paredes", "Ruiz" };
static const char *const bd_caserios[] = { "La Palma", "Laurel", "Tabaconas",
	"Huarango", "Chirinos", "El Huabal", "Nueva Esperanza", "San Antonio",
	"Alto Ihuamaca", "La Lima", "Miraflores", "Santa Rosa", "El Triunfo",
	"Buenos Aires", "La Florida", "San Francisco", "Bellavista",
	"Los Ángeles", "Naranjos", "Pueblo Libre", "Palmeras", "El Porvenir",
	"Santa Cruz", "Progreso" };
static const char *const bd_plot_names[] = { "La Perla", "El Mirador",
	"Santa Rosa", "Los Naranjos", "El Palto", "La Quebrada", "San Martín",
	"Alto Perú", "El Cedro", "Las Flores", "Buenos Aires", "La Esperanza",
	"El Porvenir", "Nueva Esperanza", "Santa Clara", "El Huabal",
	"Santa Lucía", "La Lúcuma", "El Guabo", "Pampa Verde", "Los Pinos",
	"El Limón", "La Chacra", "Bella Vista" };
static const char *const bd_varieties[] = { "Caturra, Typica", "Bourbon",
	"Catimor", "Typica", "Caturra", "Pache", "Geisha", "Catuaí, Caturra",
	"Marsellesa", "Costa Rica 95" };
static const char *const bd_carriers[] = { "Pablo Chacón", "Hugo Callupe",
	"Transportes El Cafetal", "Wilson Guerrero", "Transportes Chiclayo",
	"Néstor Calle", "Transportes Selva Central", "Agustín Rojas",
	"Transportes San Ignacio", "Eleuterio Pizarro", "Transportes Ucayali",
	"Raúl Mendoza" };
static const char *const bd_brands[] = { "Volvo", "Hino", "Isuzu",
	"Mercedes-Benz", "Scania", "Volkswagen" };

struct bd_buyer {
	const char *name, *country, *port;
};

static const struct bd_buyer bd_buyers[] = {
	{ "Hanseatic Organic Coffee Importers GmbH", "DE", "Hamburgo" },
	{ "Bremen Green Coffee Trading GmbH", "DE", "Bremen" },
	{ "Cooperative Coffees Inc.", "US", "Nueva York" },
	{ "Pacific Northwest Roasters LLC", "US", "Seattle" },
	{ "Antwerp Specialty Coffee NV", "BE", "Amberes" },
	{ "Rotterdam Organic Imports BV", "NL", "Róterdam" },
	{ "Nordic Fair Coffee AB", "SE", "Gotemburgo" },
	{ "Maple Leaf Green Coffee Ltd.", "CA", "Montreal" },
	{ "Tokyo Organic Beans K.K.", "JP", "Yokohama" },
	{ "Seoul Specialty Coffee Co.", "KR", "Busan" },
};

static const char *const bd_vessels[] = { "Santa Catalina", "Maersk Lima",
	"MSC Valparaíso", "Cap San Juan", "CMA CGM Callao", "Hapag Paita",
	"Santa Rosa", "Maersk Salaverry" };
/* clang-format on */

#define BD_N(a) (sizeof(a) / sizeof((a)[0]))
#define BD_STR_(x) #x
#define BD_STR(x) BD_STR_(x)

/* ---- the generator's state ---- */

/* A FIFO of fixed-size elements: live ones are [head, n). */
struct bd_vec {
	unsigned char *a; /* owned */
	size_t size;      /* bytes of one element */
	size_t head, n, cap;
};

struct bd_note_item {
	int64_t id, sacks, net_g;
};

struct bd_receipt_item {
	int64_t id, left_g;
};

struct bd_lop_item {
	int64_t id, export_left_g, mc_left_g, day;
	char contract[48];
};

struct bd_lot_item {
	int64_t id, sacks_total, sacks_left, kilos_left, ready_day, buyer;
	char organic_lot[32], contract[48];
};

/* One cooperative's stocks of one status, stage by stage. */
struct bd_stock {
	struct bd_vec notes, receipts, lops, lots;
	int64_t notes_target;               /* notes of the next guía */
	int64_t receipts_g;                 /* live weight in receipts */
	int64_t order_target_g;             /* of the next process order */
	int64_t export_g;                   /* unallocated export kilos */
	int64_t lot_target_g;               /* of the next export lot */
	int64_t receipts_sum_g, receipts_n; /* every receipt so far */
	int64_t lops_sum_g, lops_n;         /* every LOP's export so far */
};

struct bd_org {
	int64_t id;
	enum org_kind kind;
	char name[128], ruc[IDS_RUC_LEN + 1], address[192], phone[32];
	char slug[32];
	char json[640]; /* as the parties columns freeze it */
	int64_t admin, clerk, exporter, auditor; /* user ids */
	size_t place;                            /* bd_places */
	size_t program, certifier;               /* coop: indexes */
	size_t plant;                            /* coop: index in orgs */
	char cert_code[32], ico_code[8], place_of_sale[160];
	int64_t start[BD_DOCS], issued[BD_DOCS];
	int64_t contracts, invoices;
	struct bd_stock stock[BD_CLASSES];
};

struct bd_producer {
	int64_t id;
	uint32_t org;
	uint8_t class;
	uint8_t plots;
	uint16_t delivered_n;
	uint32_t plot0;
	int64_t planned_g, delivered_g, estimate_g;
	char *json; /* owned: the producer as the parties freeze it */
};

struct bd_plot {
	int64_t id;
	int64_t area_m2;
	const char *name;
};

struct bd_delivery {
	uint32_t producer;
	uint16_t day;
	uint8_t plot; /* 0..plots-1 */
	uint8_t sacks;
	int64_t net_g;
};

/* A document waiting for its day: plant receipt or LOP. */
struct bd_pending {
	int64_t day, doc_id, coop, class, sacks, weight_g;
	int64_t outputs_g[PROCESS_OUT_COUNT];
	int64_t carrier;
	char contract[48], quality[48];
};

enum bd_stmt {
	S_ORG,
	S_USER,
	S_GRANT,
	S_SETTINGS,
	S_CERT,
	S_PRODUCER,
	S_PLOT,
	S_ESTIMATE,
	S_LPA,
	S_RECEPTION,
	S_DISPATCH,
	S_DNOTE,
	S_RECEIPT,
	S_ORDER,
	S_INPUT,
	S_MARKING,
	S_LOP,
	S_OUTPUT,
	S_EXIT,
	S_LOT,
	S_SOURCE,
	S_SHIPMENT,
	S_SHIPLOT,
	S_NUMBERING,
	S_COUNT
};

/* clang-format off */
static const char *const bd_sql[S_COUNT] = {
	[S_ORG] = "INSERT INTO organizations (name, ruc, kind, address, phone, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_USER] = "INSERT INTO users (organization_id, username, display_name, role, password_hash, active, created_at, password_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
	[S_GRANT] = "INSERT INTO auditor_grants (organization_id, auditor_user_id, granted_by, granted_at) VALUES (?1, ?2, ?3, ?4)",
	[S_SETTINGS] = "INSERT INTO org_settings (organization_id, humidity_min, humidity_max, humidity_policy, estimate_tolerance_pct, igv_rate_bp, place_of_sale, ico_exporter_code, ico_country_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_CERT] = "INSERT INTO certifications (organization_id, certifier, program, code, valid_from, valid_to, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_PRODUCER] = "INSERT INTO producers (organization_id, dni, first_names, last_names, sex, caserio, district, province, region, address, phone, status, programs, other_certifications, active, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 1, ?15)",
	[S_PLOT] = "INSERT INTO plots (organization_id, producer_id, name, area_m2, crop, variety, altitude_m, geometry, risk_notes, active, created_at) VALUES (?1, ?2, ?3, ?4, 'café', ?5, ?6, ?7, '', 1, ?8)",
	[S_ESTIMATE] = "INSERT INTO plot_estimates (organization_id, plot_id, campaign, estimated_g) VALUES (?1, ?2, ?3, ?4)",
	[S_LPA] = "INSERT INTO lpa_entries (organization_id, campaign, producer_id, approved_on, approved_by) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_RECEPTION] = "INSERT INTO receptions (organization_id, series, number, issued_on, campaign, producer_id, plot_id, delivery_code, status, sacks, gross_g, tare_g, net_g, qq_centi, sample_g, exportable_g, discard_g, husk_g, exportable_pct, discard_pct, husk_pct, humidity, humidity_warning, over_estimate, observations, weighed_by, parties, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, '', ?24, ?25, ?26, ?27)",
	[S_DISPATCH] = "INSERT INTO dispatches (organization_id, series, number, issued_on, transfer_on, recipient_org_id, departure_address, arrival_address, reason, reason_other, carrier_name, carrier_doc, carrier_plate, carrier_licence, carrier_brand, carrier_mtc, lot_code, description, unit, status, programs, sacks, declared_g, notes_sacks, notes_g, observations, created_by, created_at) VALUES (?1, '', ?2, ?3, ?3, ?4, ?5, ?6, 3, '', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'Sacos', ?15, ?16, ?17, ?18, ?19, ?20, '', ?21, ?22)",
	[S_DNOTE] = "INSERT INTO dispatch_notes (dispatch_id, organization_id, note_id, position) VALUES (?1, ?2, ?3, ?4)",
	[S_RECEIPT] = "INSERT INTO plant_receipts (organization_id, series, number, issued_on, dispatch_id, client_org_id, carrier_name, vehicle_plate, product, status, programs, sacks, gross_g, tare_g, net_g, yield_pct, humidity, subproduct_pct, husk_pct, cup_score, observations, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, '', ?20, ?21)",
	[S_ORDER] = "INSERT INTO process_orders (organization_id, series, number, issued_on, plant_org_id, contract, process_type, quality, status, programs, input_g, observations, parties, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '', ?11, ?12, ?13)",
	[S_INPUT] = "INSERT INTO process_order_inputs (process_order_id, plant_receipt_id, kilos_g) VALUES (?1, ?2, ?3)",
	[S_MARKING] = "INSERT INTO marking_orders (organization_id, series, number, issued_on, process_order_id, sacks, marks, ico_mark, organic_lot, contract, net_per_sack_g, delivery_on, delivery_place, observation, parties, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, '', '', ?7, ?8, ?9, ?10, '', ?11, ?12, ?13)",
	[S_LOP] = "INSERT INTO process_settlements (organization_id, series, number, issued_on, process_order_id, client_org_id, contract, process_type, characteristics, status, programs, input_g, lot_code, observations, parties, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, '', ?13, ?14, ?15)",
	[S_OUTPUT] = "INSERT INTO process_settlement_outputs (process_settlement_id, category, kilos_g) VALUES (?1, ?2, ?3)",
	[S_EXIT] = "INSERT INTO plant_exits (organization_id, series, number, issued_on, process_settlement_id, client_org_id, destination, destination_address, carrier_name, carrier_doc, carrier_plate, carrier_licence, carrier_brand, carrier_mtc, lot_code, product_description, status, programs, sacks, gross_g, tare_g, net_g, observations, parties, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
	[S_LOT] = "INSERT INTO export_lots (organization_id, series, number, issued_on, organic_lot, ico_country, ico_exporter, ico_sequence, ico_mark, contract, buyer, preparation, defects, cup_score, status, programs, sacks, kilos_g, net_per_sack_g, marks, observations, parties, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, '', ?20, ?21, ?22)",
	[S_SOURCE] = "INSERT INTO export_lot_sources (export_lot_id, process_settlement_id, category, kilos_g) VALUES (?1, ?2, ?3, ?4)",
	[S_SHIPMENT] = "INSERT INTO shipments (organization_id, series, number, issued_on, contract, buyer_name, buyer_country, invoice_number, invoice_lot_ref, bl_number, bl_lot_ref, vessel, booking, container, seal, port_loading, port_destination, shipped_on, quality, status, programs, sacks, kilos_g, gross_g, observations, parties, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, '', ?24, ?25, ?26)",
	[S_SHIPLOT] = "INSERT INTO shipment_lots (shipment_id, export_lot_id, sacks, kilos_g) VALUES (?1, ?2, ?3, ?4)",
	[S_NUMBERING] = "INSERT INTO numbering (organization_id, doc_type, series, next_number, issued) VALUES (?1, ?2, '', ?3, ?4)",
};
/* What the side writers store (see struct bd_side), NULL-terminated. */
static const char *const bd_audit_tables[] = { "audit_events", NULL };
static const char *const bd_audit_sql[] = {
	"INSERT INTO audit_events (seq, at_ms, user_id, organization_id, action, entity, entity_id, before_json, after_json, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, ?8, ?9, ?10)",
	NULL,
};
static const char *const bd_acopio_tables[] = { "warehouse_notes", "purchase_settlements", NULL };
static const char *const bd_acopio_sql[] = {
	"INSERT INTO warehouse_notes (organization_id, series, number, issued_on, reception_id, price_centimos, yield_pct, total_centimos, certification_program, certifier, observations, parties, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '', ?10, ?11, ?12)",
	"INSERT INTO purchase_settlements (organization_id, series, number, issued_on, note_id, quality, place_of_sale, qq_centi, net_g, humidity, price_centimos, subtotal_centimos, igv_rate_bp, igv_centimos, total_centimos, amount_words, parties, created_by, created_at) VALUES (?1, '', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
	NULL,
};
/* clang-format on */

/* One audit event as queued: the texts are string literals. */
struct bd_event {
	int64_t seq, at_ms, user, org, entity_id, number;
	const char *action, *entity;
};

/*
 * A delivery's warehouse note and purchase settlement as queued for the
 * acopio writer: the generator gives the numbers, the clock and the
 * reception; the writer composes the texts and the settlement's figures.
 * Both tables start empty, so the ids are the running counts.
 */
struct bd_sale {
	const struct bd_org *o;
	const struct bd_producer *p;
	const struct bd_plot *pl;
	int64_t day, cls, reception_id, price;
	int64_t note_number, note_at, settlement_number, settlement_at;
	int64_t exportable_pct, qq_centi, net_g, humidity;
};

struct bd_side;

/* Store one queued record; false on a failure. */
typedef bool (*bd_side_fn)(struct bd_side *s, const void *rec);

/*
 * A side writer: a thread with its own connection to a side file
 * (<db>.bench-audit, <db>.bench-acopio) that stores some of the tables
 * while the main thread writes the others, then builds their indexes;
 * the tables are then copied into the database with INSERT ... SELECT
 * (SQLite's transfer optimization: records are copied, not rebuilt, and
 * the indexes come along already sorted).  The audit writer hashes the
 * chain; the acopio writer stores every delivery's note and settlement,
 * which with the ticket are most of the file.  Full batches of records
 * travel through a small ring.
 */
struct bd_side {
	const char *name;          /* "audit": file suffix, schema alias */
	const char *const *tables; /* what it stores */
	const char *const *sql;    /* its inserts, one per table */
	size_t rec_size;           /* bytes of one queued record */
	bd_side_fn step;           /* stores one record */
	int64_t cache_kib;         /* its page cache */
	const struct bd *g;        /* borrowed: reference data only */

	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *ring[BD_QUEUE]; /* owned while queued */
	size_t ring_n[BD_QUEUE];
	size_t head, tail;    /* batches taken, batches queued (monotonic) */
	bool done, failed;    /* under mu */
	unsigned char *batch; /* owned: being filled by the main thread */
	size_t batch_n;

	char path[4200];
	char *table_sql, *index_sql;        /* owned: the tables' definitions */
	sqlite3_stmt *st[2];                /* the writer's, by table */
	unsigned char prev[AUDIT_HASH_LEN]; /* audit: the chain's head */
	int64_t rows;                       /* acopio: notes stored */
	char parties[BD_PARTIES];           /* acopio */
};

/* A saved schema object, dropped for the load and recreated after. */
struct bd_object {
	char *name, *sql; /* owned */
};

struct bd {
	struct db *db;
	sqlite3 *h; /* borrowed from db */
	const struct bench_data_options *o;
	FILE *progress;
	sqlite3_stmt *st[S_COUNT];
	bool failed;
	uint64_t rng[4];

	int64_t year, days;     /* days in the year */
	int64_t day_epoch[366]; /* Unix seconds of each day, 00:00 */
	char dates[366][11];    /* "YYYY-MM-DD" */
	int64_t season_first, season_last, dispatch_flush, order_flush;
	int64_t lot_flush, ship_last;
	int64_t clock_ms;
	double t0; /* bd_seconds() at the start */

	struct bd_org *orgs;
	size_t n_orgs, n_coops, n_plants, n_certs;
	struct bd_producer *producers;
	struct bd_plot *plots;
	size_t n_producers, n_plots;
	struct bd_delivery *deliveries; /* in day order */
	size_t n_deliveries;
	size_t *day_first; /* deliveries of day d: [day_first[d], [d+1]) */

	struct bd_vec receipts_due, lops_due; /* struct bd_pending, FIFO */

	int64_t seq;   /* audit */
	int64_t sales; /* notes and settlements queued */
	struct bd_side audit, acopio;
	char password_hash[PASSWORD_HASH_MAX];

	struct bd_object *indexes, *triggers; /* dropped for the load */
	size_t n_indexes, n_triggers;

	struct bench_data_counts *counts;
	int64_t progress_next;
	char text[BD_TEXT], text2[BD_TEXT], parties[BD_PARTIES];
};

/* ---- small tools ---- */

static uint64_t
bd_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: fast, good enough, and the same on every machine. */
static uint64_t
bd_next(struct bd *g)
{
	uint64_t *s = g->rng;
	uint64_t result = bd_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = bd_rotl(s[3], 45);
	return result;
}

static void
bd_seed(struct bd *g, uint64_t seed)
{
	size_t i;

	/* splitmix64 spreads the seed over the four words. */
	for (i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		g->rng[i] = z ^ (z >> 31);
	}
}

/* Uniform in [lo, hi], both inclusive. */
static int64_t
bd_range(struct bd *g, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(bd_next(g) % (uint64_t)(hi - lo + 1));
}

static bool
bd_chance(struct bd *g, int64_t permille)
{
	return bd_range(g, 0, 999) < permille;
}

static const char *
bd_pick(struct bd *g, const char *const *list, size_t n)
{
	return list[bd_range(g, 0, (int64_t)n - 1)];
}

static void
bd_fail(struct bd *g, const char *where)
{
	if (!g->failed)
		fprintf(stderr, "bench-data: %s: %s\n", where,
		    sqlite3_errmsg(g->h));
	g->failed = true;
}

static void *
bd_push(struct bd *g, struct bd_vec *v)
{
	unsigned char *a;
	size_t cap;

	if (v->n == v->cap) {
		cap = v->cap < 16 ? 16 : v->cap * 2;
		a = realloc(v->a, cap * v->size);
		if (a == NULL) {
			fprintf(stderr, "bench-data: out of memory\n");
			g->failed = true;
			return NULL;
		}
		v->a = a;
		v->cap = cap;
	}
	memset(v->a + v->n * v->size, 0, v->size);
	return v->a + v->n++ * v->size;
}

static size_t
bd_len(const struct bd_vec *v)
{
	return v->n - v->head;
}

static void *
bd_at(const struct bd_vec *v, size_t i)
{
	return v->a + (v->head + i) * v->size;
}

static void
bd_vec_init(struct bd_vec *v, size_t size)
{
	memset(v, 0, sizeof(*v));
	v->size = size;
}

/* v (>= 0) as exactly n decimal digits, zero-padded, no NUL. */
static void
bd_digits(char *out, int64_t v, size_t n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
bd_days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
bd_calendar(struct bd *g)
{
	static const int64_t month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
		30, 31, 30, 31 };
	int64_t y = g->year, first = bd_days_from_civil(y, 1, 1), m, d, i = 0;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	for (m = 1; m <= 12; m++) {
		int64_t n = month_days[m - 1] + (m == 2 && leap ? 1 : 0);

		for (d = 1; d <= n; d++, i++) {
			g->day_epoch[i] = (first + i) * 86400;
			bd_digits(g->dates[i], y, 4);
			g->dates[i][4] = '-';
			bd_digits(g->dates[i] + 5, m, 2);
			g->dates[i][7] = '-';
			bd_digits(g->dates[i] + 8, d, 2);
			g->dates[i][10] = '\0';
		}
	}
	g->days = i;
	g->season_first = bd_days_from_civil(y, 4, 1) - first;
	g->season_last = bd_days_from_civil(y, 9, 30) - first;
	g->dispatch_flush = bd_days_from_civil(y, 10, 5) - first;
	g->order_flush = bd_days_from_civil(y, 10, 25) - first;
	g->lot_flush = bd_days_from_civil(y, 11, 20) - first;
	g->ship_last = bd_days_from_civil(y, 12, 20) - first;
}

/* Move the clock to 07:00 of day d unless it is already later. */
static void
bd_clock_day(struct bd *g, int64_t d)
{
	int64_t start = (g->day_epoch[d] + 7 * 3600) * 1000;

	if (g->clock_ms < start)
		g->clock_ms = start;
}

/* The next moment, in Unix seconds; the audit event takes it in ms. */
static int64_t
bd_tick(struct bd *g, int64_t step_ms)
{
	g->clock_ms += step_ms;
	return g->clock_ms / 1000;
}

static double
bd_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "bench-data: documents 40% (12.3 s)" on the progress stream. */
static void
bd_progress(struct bd *g, const char *stage, int64_t done, int64_t total)
{
	int64_t pct = total > 0 ? done * 100 / total : 100;

	if (g->progress == NULL)
		return;
	fprintf(g->progress, "bench-data: %s %lld%% (%.1f s)\n", stage,
	    (long long)pct, bd_seconds() - g->t0);
	fflush(g->progress);
}

/* ---- statements ---- */

/* A statement being bound: columns are bound in order from ?1. */
struct bd_ins {
	struct bd *g;
	enum bd_stmt s;
	int i;
	int rc;
};

static struct bd_ins
bd_start(struct bd *g, enum bd_stmt s)
{
	struct bd_ins b = { g, s, 0, g->failed ? SQLITE_ERROR : SQLITE_OK };

	return b;
}

static void
bd_i(struct bd_ins *b, int64_t v)
{
	if (b->rc == SQLITE_OK)
		b->rc = sqlite3_bind_int64(b->g->st[b->s], ++b->i, v);
}

/* Text that outlives the step. */
static void
bd_t(struct bd_ins *b, const char *s)
{
	if (b->rc == SQLITE_OK)
		b->rc = s == NULL ? sqlite3_bind_null(b->g->st[b->s], ++b->i)
		                  : sqlite3_bind_text(b->g->st[b->s], ++b->i, s,
		                        -1, SQLITE_STATIC);
}

/* Step and reset; the new rowid, or 0 after a failure (sticky). */
static int64_t
bd_done(struct bd_ins *b)
{
	struct bd *g = b->g;
	sqlite3_stmt *st = g->st[b->s];
	int step;

	if (g->failed)
		return 0;
	if (b->rc != SQLITE_OK) {
		bd_fail(g, "bind");
		sqlite3_reset(st);
		return 0;
	}
	step = sqlite3_step(st);
	if (step != SQLITE_DONE) {
		bd_fail(g, bd_sql[b->s]);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	return sqlite3_last_insert_rowid(g->h);
}

static enum err
bd_prepare(struct bd *g)
{
	size_t i;

	for (i = 0; i < S_COUNT; i++) {
		if (sqlite3_prepare_v3(g->h, bd_sql[i], -1,
		        SQLITE_PREPARE_PERSISTENT, &g->st[i],
		        NULL) != SQLITE_OK) {
			bd_fail(g, bd_sql[i]);
			return ERR_DB;
		}
	}
	return ERR_OK;
}

static enum err
bd_exec(struct bd *g, const char *sql)
{
	if (sqlite3_exec(g->h, sql, NULL, NULL, NULL) != SQLITE_OK) {
		bd_fail(g, sql);
		return ERR_DB;
	}
	return ERR_OK;
}

/* ---- the side writers (see struct bd_side) ---- */

/* A side writer's statement being bound: columns in order from ?1. */
struct bd_bind {
	sqlite3_stmt *st;
	int i;
	bool ok;
};

static void
bd_bi(struct bd_bind *b, int64_t v)
{
	if (b->ok)
		b->ok = sqlite3_bind_int64(b->st, ++b->i, v) == SQLITE_OK;
}

/* Text that outlives the step. */
static void
bd_bt(struct bd_bind *b, const char *s)
{
	if (b->ok)
		b->ok = (s == NULL ? sqlite3_bind_null(b->st, ++b->i)
		                   : sqlite3_bind_text(b->st, ++b->i, s, -1,
		                         SQLITE_STATIC)) == SQLITE_OK;
}

static bool
bd_bstep(struct bd_bind *b)
{
	bool ok = b->ok && sqlite3_step(b->st) == SQLITE_DONE;

	sqlite3_reset(b->st);
	return ok;
}

/* The audit writer: hash one event after the previous one and store it. */
static bool
bd_audit_step(struct bd_side *s, const void *rec)
{
	const struct bd_event *e = rec;
	struct audit_event ev = { 0 };
	unsigned char hash[AUDIT_HASH_LEN];
	struct bd_bind b = { s->st[0], 0, true };
	char after[96];
	bool ok;

	if (e->number > 0)
		snprintf(after, sizeof(after),
		    "{\"number\":%lld,\"source\":\"bench-data\"}",
		    (long long)e->number);
	else
		snprintf(after, sizeof(after), "{\"source\":\"bench-data\"}");
	ev.seq = e->seq;
	ev.at_ms = e->at_ms;
	ev.user_id = e->user;
	ev.organization_id = e->org;
	ev.action = e->action;
	ev.entity = e->entity;
	ev.entity_id = e->entity_id;
	ev.after_json = after;
	audit_hash(s->prev, &ev, hash);
	bd_bi(&b, e->seq);
	bd_bi(&b, e->at_ms);
	if (e->user == 0)
		bd_bt(&b, NULL);
	else
		bd_bi(&b, e->user);
	if (e->org == 0)
		bd_bt(&b, NULL);
	else
		bd_bi(&b, e->org);
	bd_bt(&b, e->action);
	bd_bt(&b, e->entity);
	if (e->entity_id == 0)
		bd_bt(&b, NULL);
	else
		bd_bi(&b, e->entity_id);
	bd_bt(&b, after);
	b.ok = b.ok &&
	    sqlite3_bind_blob(
	        b.st, 9, s->prev, AUDIT_HASH_LEN, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_blob(b.st, 10, hash, AUDIT_HASH_LEN, SQLITE_STATIC) ==
	        SQLITE_OK;
	ok = bd_bstep(&b);
	memcpy(s->prev, hash, AUDIT_HASH_LEN);
	return ok;
}

/*
 * The acopio writer: one delivery's warehouse note and purchase
 * settlement, with the parties the ticket froze (the same text) and the
 * settlement's figures by the service's own arithmetic.
 */
static bool
bd_sale_step(struct bd_side *s, const void *rec)
{
	const struct bd_sale *r = rec;
	const struct bd_org *o = r->o;
	const char *date = s->g->dates[r->day];
	bool organic = r->cls == BD_ORGANIC;
	struct bd_bind b = { s->st[0], 0, true };
	struct settlement_figures sf;
	int64_t note_id = ++s->rows;
	bool ok;

	snprintf(s->parties, sizeof(s->parties),
	    "{\"organization\":%s,\"plot\":{\"id\":%lld,\"name\":\"%s\"},"
	    "\"producer\":%s}",
	    o->json, (long long)r->pl->id, r->pl->name, r->p->json);
	bd_bi(&b, o->id);
	bd_bi(&b, r->note_number);
	bd_bt(&b, date);
	bd_bi(&b, r->reception_id);
	bd_bi(&b, r->price);
	bd_bi(&b, r->exportable_pct);
	bd_bi(&b, units_money_centimos(r->qq_centi, r->price));
	bd_bt(&b, organic ? bd_programs[o->program] : "");
	bd_bt(&b, organic ? bd_certifiers[o->certifier] : "");
	bd_bt(&b, s->parties);
	bd_bi(&b, o->clerk);
	bd_bi(&b, r->note_at);
	/* The generator counted on this id for the guía and the audit. */
	ok = bd_bstep(&b) &&
	    sqlite3_last_insert_rowid(sqlite3_db_handle(b.st)) == note_id;
	if (settlement_compute(r->qq_centi, r->price, 0, &sf) != ERR_OK) {
		fprintf(stderr, "bench-data: settlement out of range\n");
		return false;
	}
	b = (struct bd_bind){ s->st[1], 0, ok };
	bd_bi(&b, o->id);
	bd_bi(&b, r->settlement_number);
	bd_bt(&b, date);
	bd_bi(&b, note_id);
	bd_bt(&b, acopio_quality_text(bd_status[r->cls]));
	bd_bt(&b, o->place_of_sale);
	bd_bi(&b, r->qq_centi);
	bd_bi(&b, r->net_g);
	bd_bi(&b, r->humidity);
	bd_bi(&b, r->price);
	bd_bi(&b, sf.subtotal_centimos);
	bd_bi(&b, 0);
	bd_bi(&b, sf.igv_centimos);
	bd_bi(&b, sf.total_centimos);
	bd_bt(&b, sf.words);
	bd_bt(&b, s->parties);
	bd_bi(&b, o->clerk);
	bd_bi(&b, r->settlement_at);
	return bd_bstep(&b);
}

static void *
bd_side_main(void *arg)
{
	struct bd_side *s = arg;
	sqlite3 *h = NULL;
	char pragmas[256];
	bool ok;
	size_t k;

	snprintf(pragmas, sizeof(pragmas),
	    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
	    " PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -%lld;"
	    " BEGIN",
	    (long long)s->cache_kib);
	ok = sqlite3_open(s->path, &h) == SQLITE_OK &&
	    sqlite3_exec(h, pragmas, NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_exec(h, s->table_sql, NULL, NULL, NULL) == SQLITE_OK;
	for (k = 0; ok && s->sql[k] != NULL; k++)
		ok = sqlite3_prepare_v3(h, s->sql[k], -1,
		         SQLITE_PREPARE_PERSISTENT, &s->st[k],
		         NULL) == SQLITE_OK;
	for (;;) {
		unsigned char *batch;
		size_t n, i;

		pthread_mutex_lock(&s->mu);
		while (s->head == s->tail && !s->done)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->head == s->tail) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		batch = s->ring[s->head % BD_QUEUE];
		n = s->ring_n[s->head % BD_QUEUE];
		pthread_mutex_unlock(&s->mu);
		for (i = 0; ok && i < n; i++)
			ok = s->step(s, batch + i * s->rec_size);
		free(batch);
		pthread_mutex_lock(&s->mu);
		s->head++;
		s->failed = s->failed || !ok;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	for (k = 0; k < BD_N(s->st); k++) {
		sqlite3_finalize(s->st[k]);
		s->st[k] = NULL;
	}
	/* The indexes too, here: the copy brings them along, in order. */
	ok = ok &&
	    sqlite3_exec(h, s->index_sql, NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	if (!ok)
		fprintf(stderr, "bench-data: %s writer: %s\n", s->name,
		    h != NULL ? sqlite3_errmsg(h) : "cannot open");
	sqlite3_close(h);
	pthread_mutex_lock(&s->mu);
	s->failed = s->failed || !ok;
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Hand the filled batch to the writer (waiting while the ring is full). */
static void
bd_side_push(struct bd *g, struct bd_side *s)
{
	unsigned char *next = malloc(BD_BATCH * s->rec_size);

	if (next == NULL) {
		fprintf(stderr, "bench-data: out of memory\n");
		g->failed = true;
		s->batch_n = 0; /* the records are lost: the load fails */
		return;
	}
	pthread_mutex_lock(&s->mu);
	while (s->tail - s->head == BD_QUEUE)
		pthread_cond_wait(&s->cv, &s->mu);
	s->ring[s->tail % BD_QUEUE] = s->batch;
	s->ring_n[s->tail % BD_QUEUE] = s->batch_n;
	s->tail++;
	if (s->failed)
		g->failed = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	s->batch = next;
	s->batch_n = 0;
}

/* Queue one record (copied) for the writer. */
static void
bd_side_add(struct bd *g, struct bd_side *s, const void *rec)
{
	memcpy(s->batch + s->batch_n++ * s->rec_size, rec, s->rec_size);
	if (s->batch_n == BD_BATCH)
		bd_side_push(g, s);
}

/*
 * The definitions (type "table" or "index", constraints' automatic
 * indexes left out) of the schema objects of tables, as one script;
 * owned, or NULL.
 */
static char *
bd_schema_sql(struct bd *g, const char *type, const char *const *tables)
{
	static const char sql[] = "SELECT sql FROM sqlite_master"
	                          " WHERE type = ?1 AND tbl_name = ?2"
	                          " AND sql IS NOT NULL ORDER BY rowid";
	sqlite3_stmt *st = NULL;
	char *out = calloc(1, 1), *grown;
	size_t len = 0, k;

	if (out == NULL ||
	    sqlite3_prepare_v2(g->h, sql, -1, &st, NULL) != SQLITE_OK) {
		free(out);
		return NULL;
	}
	for (k = 0; out != NULL && tables[k] != NULL; k++) {
		sqlite3_reset(st);
		if (sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC) !=
		        SQLITE_OK ||
		    sqlite3_bind_text(st, 2, tables[k], -1, SQLITE_STATIC) !=
		        SQLITE_OK) {
			free(out);
			out = NULL;
			break;
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *def =
			    (const char *)sqlite3_column_text(st, 0);
			size_t n = strlen(def);

			grown = realloc(out, len + n + 3);
			if (grown == NULL) {
				free(out);
				out = NULL;
				break;
			}
			out = grown;
			snprintf(out + len, n + 3, "%s;\n", def);
			len += n + 2;
		}
	}
	sqlite3_finalize(st);
	return out;
}

static enum err
bd_side_start(struct bd *g, struct bd_side *s)
{
	snprintf(
	    s->path, sizeof(s->path), "%s.bench-%s", db_path(g->db), s->name);
	(void)unlink(s->path);
	s->g = g;
	s->table_sql = bd_schema_sql(g, "table", s->tables);
	s->index_sql = bd_schema_sql(g, "index", s->tables);
	s->batch = malloc(BD_BATCH * s->rec_size);
	if (s->table_sql == NULL || s->index_sql == NULL || s->batch == NULL)
		return ERR_NOMEM;
	if (pthread_mutex_init(&s->mu, NULL) != 0)
		return ERR_INTERNAL;
	if (pthread_cond_init(&s->cv, NULL) != 0) {
		pthread_mutex_destroy(&s->mu);
		return ERR_INTERNAL;
	}
	if (pthread_create(&s->thread, NULL, bd_side_main, s) != 0) {
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		return ERR_INTERNAL;
	}
	s->started = true;
	return ERR_OK;
}

/* Queue the last batch and let the writer finish (build its indexes). */
static void
bd_side_close(struct bd *g, struct bd_side *s)
{
	if (!s->started || s->done)
		return;
	if (s->batch_n > 0)
		bd_side_push(g, s);
	pthread_mutex_lock(&s->mu);
	s->done = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* Close, and wait for the writer. */
static enum err
bd_side_finish(struct bd *g, struct bd_side *s)
{
	if (!s->started)
		return ERR_INTERNAL;
	bd_side_close(g, s);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	s->started = false;
	return s->failed ? ERR_DB : ERR_OK;
}

/*
 * Save the (name, sql) of the schema objects that query lists (its ?1
 * bound to arg unless NULL), appending to *objs, and drop them.
 */
static enum err
bd_objects_drop(struct bd *g, const char *query, const char *arg,
    const char *kind, struct bd_object **objs, size_t *n)
{
	sqlite3_stmt *st = NULL;
	size_t first = *n, i;

	if (sqlite3_prepare_v2(g->h, query, -1, &st, NULL) != SQLITE_OK ||
	    (arg != NULL &&
	        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC) !=
	            SQLITE_OK)) {
		sqlite3_finalize(st);
		bd_fail(g, query);
		return ERR_DB;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct bd_object *ob = realloc(*objs, (*n + 1) * sizeof(*ob));

		if (ob == NULL) {
			g->failed = true;
			break;
		}
		*objs = ob;
		ob = &ob[(*n)++];
		ob->name = strdup((const char *)sqlite3_column_text(st, 0));
		ob->sql = strdup((const char *)sqlite3_column_text(st, 1));
		if (ob->name == NULL || ob->sql == NULL)
			g->failed = true;
	}
	sqlite3_finalize(st);
	for (i = first; i < *n && !g->failed; i++) {
		snprintf(g->text, sizeof(g->text), "DROP %s \"%s\"", kind,
		    (*objs)[i].name);
		if (bd_exec(g, g->text) != ERR_OK)
			return ERR_DB;
	}
	return g->failed ? ERR_NOMEM : ERR_OK;
}

/* Recreate saved objects from their own definitions, in order. */
static enum err
bd_objects_create(
    struct bd *g, const struct bd_object *objs, size_t n, const char *stage)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (bd_exec(g, objs[i].sql) != ERR_OK)
			return ERR_DB;
		if (stage != NULL && (i + 1) * 4 / n != i * 4 / n)
			bd_progress(g, stage, (int64_t)i + 1, (int64_t)n);
	}
	return ERR_OK;
}

static void
bd_objects_free(struct bd_object *objs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(objs[i].name);
		free(objs[i].sql);
	}
	free(objs);
}

/*
 * Copy a writer's tables (and their indexes) into the database.  The
 * transfer optimization needs destinations without triggers: theirs
 * (append-only, immutable) are dropped and recreated from their saved
 * definitions around the copy.  The side file stays attached until the
 * commit.
 */
static enum err
bd_side_merge(struct bd *g, struct bd_side *s)
{
	static const char triggers[] =
	    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
	    " AND tbl_name = ?1 ORDER BY rowid";
	struct bd_object *saved = NULL;
	size_t n_saved = 0, k;
	sqlite3_stmt *st = NULL;
	enum err rc = ERR_OK;

	snprintf(g->text, sizeof(g->text), "ATTACH ?1 AS bd%s", s->name);
	if (sqlite3_prepare_v2(g->h, g->text, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, s->path, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		bd_fail(g, "attach a side file");
		rc = ERR_DB;
	}
	sqlite3_finalize(st);
	for (k = 0; rc == ERR_OK && s->tables[k] != NULL; k++) {
		rc = bd_objects_drop(
		    g, triggers, s->tables[k], "TRIGGER", &saved, &n_saved);
		if (rc == ERR_OK) {
			snprintf(g->text, sizeof(g->text),
			    "INSERT INTO main.\"%s\" SELECT * FROM bd%s.\"%s\"",
			    s->tables[k], s->name, s->tables[k]);
			rc = bd_exec(g, g->text);
		}
		if (rc == ERR_OK)
			rc = bd_objects_create(g, saved, n_saved, NULL);
		bd_objects_free(saved, n_saved);
		saved = NULL;
		n_saved = 0;
	}
	return rc;
}

/*
 * Queue one event of the chain, at the generator's clock; the audit
 * writer hashes and stores it.  after_json is a short summary (see the
 * file comment).
 */
static void
bd_audit(struct bd *g, int64_t user, int64_t org, const char *action,
    const char *entity, int64_t entity_id, int64_t number)
{
	struct bd_event ev;

	ev.seq = ++g->seq;
	ev.at_ms = g->clock_ms;
	ev.user = user;
	ev.org = org;
	ev.action = action;
	ev.entity = entity;
	ev.entity_id = entity_id;
	ev.number = number;
	bd_side_add(g, &g->audit, &ev);
}

/* The next correlative number of org for doc. */
static int64_t
bd_number(struct bd_org *o, enum bd_doc doc)
{
	return o->start[doc] + o->issued[doc]++;
}

/* ---- identities ---- */

/* prefix (2 digits) + body (8 digits) + the modulus-11 check digit. */
static void
bd_ruc(const char *prefix, int64_t body, char out[IDS_RUC_LEN + 1])
{
	static const int64_t weights[IDS_RUC_LEN - 1] = { 5, 4, 3, 2, 7, 6, 5,
		4, 3, 2 };
	int64_t sum = 0, r;
	size_t i;

	out[0] = prefix[0];
	out[1] = prefix[1];
	bd_digits(out + 2, body % 100000000, 8);
	out[IDS_RUC_LEN] = '\0';
	for (i = 0; i < IDS_RUC_LEN - 1; i++)
		sum += (out[i] - '0') * weights[i];
	r = 11 - sum % 11;
	if (r == 10)
		r = 0;
	else if (r == 11)
		r = 1;
	out[IDS_RUC_LEN - 1] = (char)('0' + r);
}

/*
 * The i-th DNI of the campaign: distinct for every i below 9 * 10^7 (the
 * multiplier is prime to the modulus), never 00000000.
 */
static int64_t
bd_dni(uint64_t seed, int64_t i)
{
	return 10000000 +
	    (int64_t)(((uint64_t)i * 7990271ULL + seed % 90000000ULL) %
	        90000000ULL);
}

/* A carrier: name, RUC of a person (10 + DNI + check), plate. */
struct bd_carrier {
	const char *name, *brand;
	char doc[IDS_RUC_LEN + 1], plate[24], licence[24], mtc[24];
};

static void
bd_carrier_of(struct bd *g, int64_t k, struct bd_carrier *c)
{
	c->name = bd_carriers[(size_t)k % BD_N(bd_carriers)];
	c->brand = bd_brands[(size_t)k % BD_N(bd_brands)];
	bd_ruc(
	    "10", 40000000 + k * 104729 + (int64_t)(g->o->seed % 1000), c->doc);
	snprintf(c->plate, sizeof(c->plate), "%c%c%c-%03lld",
	    (char)('A' + k % 26), (char)('B' + k / 26 % 24),
	    (char)('K' + k / 624 % 15), (long long)(100 + k * 37 % 900));
	snprintf(c->licence, sizeof(c->licence), "A%07lld",
	    (long long)(1000000 + k * 7919 % 9000000));
	snprintf(c->mtc, sizeof(c->mtc), "%lld", (long long)(1000 + k * 131));
}

/* ---- organizations, accounts, settings, certifications ---- */

/* The organization as the parties columns freeze it. */
static void
bd_org_json(struct bd_org *o)
{
	snprintf(o->json, sizeof(o->json),
	    "{\"address\":\"%s\",\"id\":%lld,\"name\":\"%s\",\"phone\":\"%s\","
	    "\"ruc\":\"%s\"}",
	    o->address, (long long)o->id, o->name, o->phone, o->ruc);
}

static int64_t
bd_user(struct bd *g, struct bd_org *o, const char *suffix, enum role role,
    const char *display)
{
	char username[64];
	struct bd_ins b;
	int64_t id;

	snprintf(username, sizeof(username), "%s-%s", o->slug, suffix);
	snprintf(g->text, sizeof(g->text), "%s, %s", display, o->name);
	b = bd_start(g, S_USER);
	bd_i(&b, o->id);
	bd_t(&b, username);
	bd_t(&b, g->text);
	bd_t(&b, policy_role_name(role));
	bd_t(&b, g->password_hash);
	bd_i(&b, bd_tick(g, BD_REGISTRY_STEP_MS));
	id = bd_done(&b);
	bd_audit(g, 0, o->id, "user.create", "user", id, 0);
	if (g->counts != NULL)
		g->counts->users++;
	return id;
}

static void
bd_org_insert(struct bd *g, struct bd_org *o)
{
	struct bd_ins b = bd_start(g, S_ORG);

	bd_t(&b, o->name);
	bd_t(&b, o->ruc);
	bd_t(&b, policy_org_kind_name(o->kind));
	bd_t(&b, o->address);
	bd_t(&b, o->phone);
	bd_i(&b, bd_tick(g, BD_REGISTRY_STEP_MS));
	o->id = bd_done(&b);
	bd_org_json(o);
	bd_audit(g, 0, o->id, "organization.create", "organization", o->id, 0);
}

/* Names, RUCs, places and the start of every numbering. */
static void
bd_orgs_describe(struct bd *g)
{
	size_t i, d, n_prefix = BD_N(bd_coop_prefix), n_place = BD_N(bd_places);

	for (i = 0; i < g->n_orgs; i++) {
		struct bd_org *o = &g->orgs[i];
		const struct bd_place *p;

		o->place = (size_t)bd_range(g, 0, (int64_t)n_place - 1);
		if (i < g->n_coops) {
			o->kind = ORG_COOPERATIVE;
			o->place = i % n_place;
			snprintf(o->name, sizeof(o->name), "%s %s",
			    bd_coop_prefix[i / n_place % n_prefix],
			    bd_places[o->place].district);
			if (i >= n_place * n_prefix)
				snprintf(o->name + strlen(o->name),
				    sizeof(o->name) - strlen(o->name), " %zu",
				    i / (n_place * n_prefix) + 1);
			snprintf(o->slug, sizeof(o->slug), "coop%03zu", i + 1);
		} else if (i < g->n_coops + g->n_plants) {
			size_t k = i - g->n_coops;

			o->kind = ORG_PLANT;
			snprintf(o->name, sizeof(o->name), "%s",
			    bd_plant_names[k % BD_N(bd_plant_names)]);
			if (k >= BD_N(bd_plant_names))
				snprintf(o->name + strlen(o->name),
				    sizeof(o->name) - strlen(o->name), " %zu",
				    k / BD_N(bd_plant_names) + 1);
			snprintf(
			    o->slug, sizeof(o->slug), "planta%02zu", k + 1);
		} else {
			size_t k = i - g->n_coops - g->n_plants;

			o->kind = ORG_CERTIFIER;
			o->place = 0;
			snprintf(
			    o->name, sizeof(o->name), "%s", bd_certifiers[k]);
			snprintf(o->slug, sizeof(o->slug), "cert%zu", k + 1);
		}
		p = &bd_places[o->place];
		bd_ruc("20", 60100000 + (int64_t)i * 3301, o->ruc);
		snprintf(o->address, sizeof(o->address),
		    "Jr. %s n.º %lld, %s, %s",
		    bd_pick(g, bd_caserios, BD_N(bd_caserios)),
		    (long long)bd_range(g, 100, 999), p->district, p->region);
		snprintf(o->phone, sizeof(o->phone), "(0%lld) %03lld %03lld",
		    (long long)bd_range(g, 41, 84),
		    (long long)bd_range(g, 300, 599),
		    (long long)bd_range(g, 0, 999));
		for (d = 0; d < BD_DOCS; d++)
			o->start[d] =
			    bd_chance(g, 300) ? 1 : bd_range(g, 2, 9000);
		o->program = bd_chance(g, 700) ? 0 : bd_chance(g, 800) ? 1 : 2;
		o->certifier = (size_t)bd_range(g, 0, (int64_t)g->n_certs - 1);
		snprintf(o->cert_code, sizeof(o->cert_code), "%s-PE-%06lld",
		    bd_cert_prefix[o->certifier],
		    (long long)bd_range(g, 1, 999999));
		snprintf(o->ico_code, sizeof(o->ico_code), "%zu", 100 + i);
	}
}

/* A cooperative works with a plant of its region when there is one. */
static void
bd_coop_plants(struct bd *g)
{
	size_t i, k;

	for (i = 0; i < g->n_coops; i++) {
		struct bd_org *c = &g->orgs[i];
		size_t pick = g->n_coops + i % g->n_plants;

		for (k = 0; k < g->n_plants; k++) {
			size_t j = g->n_coops + (i + k) % g->n_plants;

			if (strcmp(bd_places[g->orgs[j].place].region,
			        bd_places[c->place].region) == 0) {
				pick = j;
				break;
			}
		}
		c->plant = pick;
	}
}

static void
bd_coop_setup(struct bd *g, struct bd_org *o)
{
	const struct bd_place *p = &bd_places[o->place];
	char from[11], to[11];
	struct bd_ins b;
	int64_t id;

	snprintf(o->place_of_sale, sizeof(o->place_of_sale), "%s - %s",
	    p->district, p->region);
	b = bd_start(g, S_SETTINGS);
	bd_i(&b, o->id);
	bd_i(&b, 100);
	bd_i(&b, 135);
	bd_t(&b, "warn");
	bd_i(&b, 10);
	bd_i(&b, 0);
	bd_t(&b, o->place_of_sale);
	bd_t(&b, o->ico_code);
	bd_i(&b, BD_ICO_COUNTRY);
	bd_done(&b);
	bd_tick(g, BD_REGISTRY_STEP_MS);
	bd_audit(g, o->admin, o->id, "settings.update", "settings", o->id, 0);

	snprintf(from, sizeof(from), "%04lld-01-01", (long long)g->year);
	snprintf(to, sizeof(to), "%04lld-12-31", (long long)g->year);
	b = bd_start(g, S_CERT);
	bd_i(&b, o->id);
	bd_t(&b, bd_certifiers[o->certifier]);
	bd_t(&b, bd_programs[o->program]);
	bd_t(&b, o->cert_code);
	bd_t(&b, from);
	bd_t(&b, to);
	bd_i(&b, bd_tick(g, BD_REGISTRY_STEP_MS));
	id = bd_done(&b);
	bd_audit(
	    g, o->admin, o->id, "certification.create", "certification", id, 0);
}

static void
bd_grant(struct bd *g, struct bd_org *o, struct bd_org *cert)
{
	struct bd_ins b = bd_start(g, S_GRANT);
	int64_t id;

	bd_i(&b, o->id);
	bd_i(&b, cert->auditor);
	bd_i(&b, o->admin);
	bd_i(&b, bd_tick(g, BD_REGISTRY_STEP_MS));
	id = bd_done(&b);
	bd_audit(
	    g, o->admin, o->id, "auditor_grant.create", "auditor_grant", id, 0);
}

static void
bd_orgs(struct bd *g)
{
	size_t i, k;

	bd_orgs_describe(g);
	bd_clock_day(g, 1);
	for (i = 0; i < g->n_orgs && !g->failed; i++) {
		struct bd_org *o = &g->orgs[i];

		bd_org_insert(g, o);
		o->admin = bd_user(g, o, "admin", ROLE_ADMIN, "Administración");
		if (o->kind == ORG_COOPERATIVE) {
			o->clerk = bd_user(
			    g, o, "acopio", ROLE_CLERK, "Almacén de acopio");
			o->exporter = bd_user(
			    g, o, "export", ROLE_EXPORTER, "Exportaciones");
		} else if (o->kind == ORG_PLANT) {
			o->clerk = bd_user(
			    g, o, "clerk", ROLE_CLERK, "Recepción de planta");
		} else {
			o->auditor = bd_user(
			    g, o, "auditor", ROLE_AUDITOR, "Inspección");
		}
	}
	bd_coop_plants(g);
	for (i = 0; i < g->n_coops && !g->failed; i++)
		bd_coop_setup(g, &g->orgs[i]);
	/* A cooperative lets its certifier in; a plant, every certifier. */
	for (i = 0; i < g->n_coops + g->n_plants && !g->failed; i++) {
		size_t first = g->n_coops + g->n_plants;

		if (i < g->n_coops)
			bd_grant(g, &g->orgs[i],
			    &g->orgs[first + g->orgs[i].certifier]);
		else
			for (k = 0; k < g->n_certs; k++)
				bd_grant(g, &g->orgs[i], &g->orgs[first + k]);
	}
	if (g->counts != NULL)
		g->counts->organizations = (int64_t)g->n_orgs;
}

/* ---- the registry: producers, plots with estimates, the LPA ---- */

static int64_t
bd_isqrt(int64_t v)
{
	int64_t x = v, y;

	if (v <= 1)
		return v;
	y = (x + 1) / 2;
	while (y < x) {
		x = y;
		y = (x + v / x) / 2;
	}
	return x;
}

/* Degrees × 10^6 as GeoJSON text with 6 decimals: "-78.996512". */
static void
bd_coord(char out[24], int64_t e6)
{
	int64_t a = e6 < 0 ? -e6 : e6;

	snprintf(out, 24, "%s%lld.%06lld", e6 < 0 ? "-" : "",
	    (long long)(a / 1000000), (long long)(a % 1000000));
}

/*
 * A plot's location near the place: a point, or (for 4 ha and more, and
 * some smaller plots) a quadrilateral around it whose area becomes the
 * plot's.  The text is what the API stores: compact GeoJSON with the
 * coordinates as decimal strings.
 */
static void
bd_geometry(struct bd *g, const struct bd_place *p, int64_t *area_m2, char *out,
    size_t cap)
{
	int64_t lat = p->lat_e6 + bd_range(g, -150000, 150000);
	int64_t lon = p->lon_e6 + bd_range(g, -150000, 150000);
	int64_t half, dlat, dlon, pts[5][2];
	struct geo_point ring[5];
	char a[24], b[24];
	size_t i, n;
	int len;

	if (*area_m2 < GEO_POLYGON_MIN_HA_M2 && !bd_chance(g, 200)) {
		bd_coord(a, lon);
		bd_coord(b, lat);
		snprintf(out, cap,
		    "{\"type\":\"Point\",\"coordinates\":[\"%s\",\"%s\"]}", a,
		    b);
		return;
	}
	/* Half the side in m; 1e-6 degree: 0.110574 m north, ~0.108 m east. */
	half = bd_isqrt(*area_m2) / 2;
	dlat = half * 1000000 / 110574;
	dlon = half * 1000000 / 108000;
	/* One corner per quadrant, in order: a simple ring around (lat, lon).
	 */
	pts[0][0] = lat - dlat * bd_range(g, 90, 110) / 100;
	pts[0][1] = lon - dlon * bd_range(g, 90, 110) / 100;
	pts[1][0] = lat - dlat * bd_range(g, 90, 110) / 100;
	pts[1][1] = lon + dlon * bd_range(g, 90, 110) / 100;
	pts[2][0] = lat + dlat * bd_range(g, 90, 110) / 100;
	pts[2][1] = lon + dlon * bd_range(g, 90, 110) / 100;
	pts[3][0] = lat + dlat * bd_range(g, 90, 110) / 100;
	pts[3][1] = lon - dlon * bd_range(g, 90, 110) / 100;
	pts[4][0] = pts[0][0];
	pts[4][1] = pts[0][1];
	for (i = 0; i < 5; i++) {
		ring[i].lat_e7 = pts[i][0] * 10;
		ring[i].lon_e7 = pts[i][1] * 10;
	}
	if (geo_check_ring(ring, 5, NULL) != ERR_OK) {
		fprintf(stderr, "bench-data: generated an invalid ring\n");
		g->failed = true;
		return;
	}
	*area_m2 = geo_ring_area_m2(ring, 5);
	len = snprintf(out, cap, "{\"type\":\"Polygon\",\"coordinates\":[[");
	for (i = 0; i < 5 && len > 0 && (size_t)len < cap; i++) {
		bd_coord(a, pts[i][1]);
		bd_coord(b, pts[i][0]);
		n = (size_t)len;
		len += snprintf(out + n, cap - n, "%s[\"%s\",\"%s\"]",
		    i > 0 ? "," : "", a, b);
	}
	if (len > 0 && (size_t)len < cap)
		snprintf(out + len, cap - (size_t)len, "]]}");
}

/* How many producers each cooperative has: uneven, adding up to P. */
static void
bd_plan_producers(struct bd *g)
{
	int64_t *weight, total = 0, given = 0;
	size_t c, i, k, at = 0;

	weight = calloc(g->n_coops, sizeof(*weight));
	if (weight == NULL) {
		g->failed = true;
		return;
	}
	for (c = 0; c < g->n_coops; c++)
		total += weight[c] = bd_range(g, 40, 160);
	for (c = 0; c < g->n_coops; c++) {
		int64_t n = g->o->producers * weight[c] / total;

		if (c + 1 == g->n_coops)
			n = g->o->producers - given;
		given += n;
		for (k = 0; k < (size_t)n; k++, at++) {
			struct bd_producer *p = &g->producers[at];
			int64_t u = bd_range(g, 0, 999);

			p->org = (uint32_t)c;
			p->class = u < 700 ? BD_ORGANIC
			    : u < 800      ? BD_TRANSITION
			                   : BD_CONVENTIONAL;
			u = bd_range(g, 0, 9);
			p->plots = (uint8_t)(u < 6 ? 1 : u < 9 ? 2 : 3);
			p->plot0 = (uint32_t)g->n_plots;
			for (i = 0; i < p->plots; i++) {
				struct bd_plot *pl = &g->plots[g->n_plots++];

				pl->name = bd_pick(
				    g, bd_plot_names, BD_N(bd_plot_names));
				pl->area_m2 = bd_chance(g, 120)
				    ? bd_range(g, 40000, 120000)
				    : bd_range(g, 3000, 39999);
			}
		}
	}
	g->n_producers = at;
	free(weight);
}

/* Sacks of one delivery: mostly 2 to 4. */
static int64_t
bd_sacks(struct bd *g)
{
	static const int64_t cumulative[] = { 150, 400, 650, 800, 880, 930, 970,
		1000 };
	int64_t u = bd_range(g, 0, 999);
	size_t i;

	for (i = 0; i < BD_N(cumulative); i++)
		if (u < cumulative[i])
			return (int64_t)i + 1;
	return 1;
}

/*
 * Every delivery's producer, plot, day (a harvest peaking mid-season)
 * and weight, then sorted by day with the days' deliveries shuffled, so
 * the cooperatives' tickets interleave as they would.
 */
static void
bd_plan_deliveries(struct bd *g)
{
	struct bd_delivery *plan;
	int64_t len = g->season_last - g->season_first;
	size_t i, n = g->n_deliveries, *next;

	plan = calloc(n, sizeof(*plan));
	next = calloc((size_t)g->days + 1, sizeof(*next));
	if (plan == NULL || next == NULL) {
		free(plan);
		free(next);
		g->failed = true;
		return;
	}
	for (i = 0; i < n; i++) {
		struct bd_delivery *d = &plan[i];
		size_t p = i < g->n_producers
		    ? i
		    : (size_t)bd_range(g, 0, (int64_t)g->n_producers - 1);

		d->producer = (uint32_t)p;
		d->plot = (uint8_t)bd_range(g, 0, g->producers[p].plots - 1);
		d->day = (uint16_t)(g->season_first +
		    (bd_range(g, 0, len) + bd_range(g, 0, len)) / 2);
		d->sacks = (uint8_t)bd_sacks(g);
		d->net_g = d->sacks * bd_range(g, 580, 750) * 100;
		g->producers[p].planned_g += d->net_g;
		g->day_first[d->day + 1]++;
	}
	for (i = 1; i <= (size_t)g->days; i++)
		g->day_first[i] += g->day_first[i - 1];
	memcpy(next, g->day_first, ((size_t)g->days + 1) * sizeof(*next));
	for (i = 0; i < n; i++)
		g->deliveries[next[plan[i].day]++] = plan[i];
	for (i = 0; i < (size_t)g->days; i++) {
		size_t a = g->day_first[i], b = g->day_first[i + 1], k;

		for (k = b; k > a + 1; k--) {
			size_t j =
			    a + (size_t)bd_range(g, 0, (int64_t)(k - a) - 1);
			struct bd_delivery t = g->deliveries[k - 1];

			g->deliveries[k - 1] = g->deliveries[j];
			g->deliveries[j] = t;
		}
	}
	free(plan);
	free(next);
}

/* The producer as the parties columns freeze it (keys sorted). */
static char *
bd_producer_json(struct bd *g, const struct bd_producer *p, const char *dni,
    const char *first, const char *last, const char *caserio,
    const char *address, const char *programs)
{
	const struct bd_place *pl = &bd_places[g->orgs[p->org].place];
	char *s;
	int n;

	n = snprintf(g->parties, sizeof(g->parties),
	    "{\"address\":\"%s\",\"caserio\":\"%s\",\"district\":\"%s\","
	    "\"dni\":\"%s\",\"first_names\":\"%s\",\"full_name\":\"%s %s\","
	    "\"id\":%lld,\"last_names\":\"%s\",\"programs\":%s,"
	    "\"province\":\"%s\",\"status\":\"%s\"}",
	    address, caserio, pl->district, dni, first, first, last,
	    (long long)p->id, last, programs, pl->province,
	    bd_status[p->class]);
	if (n < 0 || (size_t)n >= sizeof(g->parties))
		return NULL;
	s = malloc((size_t)n + 1);
	if (s != NULL)
		memcpy(s, g->parties, (size_t)n + 1);
	return s;
}

static void
bd_insert_plots(
    struct bd *g, struct bd_producer *p, struct bd_org *o, int64_t created)
{
	int64_t area_total = 0, est_left;
	char geometry[BD_TEXT];
	size_t i;

	for (i = 0; i < p->plots; i++) {
		struct bd_plot *pl = &g->plots[p->plot0 + i];
		struct bd_ins b;

		bd_geometry(g, &bd_places[o->place], &pl->area_m2, geometry,
		    sizeof(geometry));
		area_total += pl->area_m2;
		b = bd_start(g, S_PLOT);
		bd_i(&b, o->id);
		bd_i(&b, p->id);
		bd_t(&b, pl->name);
		bd_i(&b, pl->area_m2);
		bd_t(&b, bd_pick(g, bd_varieties, BD_N(bd_varieties)));
		bd_i(&b, bd_range(g, 900, 2100));
		bd_t(&b, geometry);
		bd_i(&b, created);
		pl->id = bd_done(&b);
		bd_audit(g, o->admin, o->id, "plot.create", "plot", pl->id, 0);
	}
	/* The campaign's estimates, by area, adding up to estimate_g. */
	est_left = p->estimate_g;
	for (i = 0; i < p->plots; i++) {
		struct bd_plot *pl = &g->plots[p->plot0 + i];
		int64_t e = i + 1 == p->plots ? est_left
		                              : p->estimate_g * pl->area_m2 /
		        (area_total > 0 ? area_total : 1);
		struct bd_ins b = bd_start(g, S_ESTIMATE);

		est_left -= e;
		bd_i(&b, o->id);
		bd_i(&b, pl->id);
		bd_i(&b, g->year);
		bd_i(&b, e);
		bd_done(&b);
	}
}

static void
bd_insert_producer(struct bd *g, size_t idx)
{
	struct bd_producer *p = &g->producers[idx];
	struct bd_org *o = &g->orgs[p->org];
	const struct bd_place *pl = &bd_places[o->place];
	bool female = bd_chance(g, 350);
	const char *first = female ? bd_pick(g, bd_first_f, BD_N(bd_first_f))
	                           : bd_pick(g, bd_first_m, BD_N(bd_first_m));
	const char *caserio = bd_pick(g, bd_caserios, BD_N(bd_caserios));
	char dni[16], last[96], address[160], phone[16], programs[16];
	int64_t created = bd_tick(g, BD_REGISTRY_STEP_MS);
	struct bd_ins b;

	snprintf(dni, sizeof(dni), "%08lld",
	    (long long)bd_dni(g->o->seed, (int64_t)idx));
	snprintf(last, sizeof(last), "%s %s",
	    bd_pick(g, bd_last, BD_N(bd_last)),
	    bd_pick(g, bd_last, BD_N(bd_last)));
	snprintf(
	    address, sizeof(address), "Caserío %s - %s", caserio, pl->district);
	if (bd_chance(g, 600))
		snprintf(phone, sizeof(phone), "9%08lld",
		    (long long)bd_range(g, 0, 99999999));
	else
		phone[0] = '\0';
	if (p->class == BD_CONVENTIONAL)
		snprintf(programs, sizeof(programs), "[]");
	else
		snprintf(programs, sizeof(programs), "[\"%s\"]",
		    bd_programs[o->program]);
	b = bd_start(g, S_PRODUCER);
	bd_i(&b, o->id);
	bd_t(&b, dni);
	bd_t(&b, first);
	bd_t(&b, last);
	bd_t(&b, female ? "F" : "M");
	bd_t(&b, caserio);
	bd_t(&b, pl->district);
	bd_t(&b, pl->province);
	bd_t(&b, pl->region);
	bd_t(&b, address);
	bd_t(&b, phone);
	bd_t(&b, bd_status[p->class]);
	bd_t(&b, programs);
	bd_t(&b, bd_chance(g, 250) ? "[\"Fairtrade\"]" : "[]");
	bd_i(&b, created);
	p->id = bd_done(&b);
	bd_audit(g, o->admin, o->id, "producer.create", "producer", p->id, 0);
	p->json = bd_producer_json(
	    g, p, dni, first, last, caserio, address, programs);
	if (p->json == NULL)
		g->failed = true;
	/* Plausible estimates; one in 200 certified producers under-estimated.
	 */
	p->estimate_g = p->planned_g * bd_range(g, 105, 150) / 100;
	if (p->class != BD_CONVENTIONAL && bd_chance(g, 5))
		p->estimate_g = p->planned_g * 80 / 100;
	bd_insert_plots(g, p, o, created);
	if (p->class != BD_CONVENTIONAL) {
		char on[11];

		snprintf(on, sizeof(on), "%04lld-%02lld-%02lld",
		    (long long)g->year, (long long)bd_range(g, 1, 2),
		    (long long)bd_range(g, 10, 28));
		b = bd_start(g, S_LPA);
		bd_i(&b, o->id);
		bd_i(&b, g->year);
		bd_i(&b, p->id);
		bd_t(&b, on);
		bd_i(&b, o->admin);
		bd_done(&b);
		bd_audit(
		    g, o->admin, o->id, "lpa.approve", "producer", p->id, 0);
	}
}

static void
bd_registry(struct bd *g)
{
	size_t i, step = g->n_producers / 10 + 1;

	bd_clock_day(g, 4);
	for (i = 0; i < g->n_producers && !g->failed; i++) {
		bd_insert_producer(g, i);
		if ((i + 1) % step == 0)
			bd_progress(g, "registry", (int64_t)i + 1,
			    (int64_t)g->n_producers);
	}
	if (g->counts != NULL) {
		g->counts->producers = (int64_t)g->n_producers;
		g->counts->plots = (int64_t)g->n_plots;
	}
}

/* ---- acopio: ticket, warehouse note and settlement of a delivery ---- */

static const char *const bd_description[BD_CLASSES] = {
	"Café pergamino - orgánico", "Café pergamino - en transición",
	"Café pergamino - convencional"
};
static const char *const bd_process_type[BD_CLASSES] = { "ORG", "TRA", "CONV" };
static const char *const bd_quality[BD_CLASSES] = {
	"Preparación europea, 10 defectos", "Preparación europea, 15 defectos",
	"Grado 1, 15 defectos"
};

/* The guía's (and every later document's) program set. */
static const char *
bd_programs_json(struct bd *g, const struct bd_org *o, int cls, char out[16])
{
	(void)g;
	if (cls == BD_ORGANIC)
		snprintf(out, 16, "[\"%s\"]", bd_programs[o->program]);
	else
		snprintf(out, 16, "[]");
	return out;
}

/* Price per QQ in céntimos: by status, moving week by week. */
static int64_t
bd_price(size_t coop, int cls, int64_t day)
{
	static const int64_t base[BD_CLASSES] = { 72000, 66000, 60000 };
	int64_t week = day / 7;

	return base[cls] + (((int64_t)coop * 7 + week * 13) % 41 - 20) * 100;
}

struct bd_ticket {
	struct reception_input w;
	struct reception_figures fig;
	bool warning, over;
	char code[16];
};

/* The ticket's figures, by the service's own arithmetic. */
static bool
bd_weigh(struct bd *g, const struct bd_delivery *dv, struct bd_producer *p,
    struct bd_ticket *t)
{
	struct rule_error e = { 0 };

	memset(t, 0, sizeof(*t));
	t->w.sacks = dv->sacks;
	t->w.tare_g = dv->sacks * BD_RECEPTION_TARE_G;
	t->w.gross_g = dv->net_g + t->w.tare_g;
	t->w.sample_g = BD_SAMPLE_G;
	t->w.exportable_g = bd_range(g, 190, 215);
	t->w.discard_g = bd_range(g, 25, 45);
	t->w.husk_g = BD_SAMPLE_G - t->w.exportable_g - t->w.discard_g;
	t->w.humidity =
	    bd_chance(g, 20) ? bd_range(g, 136, 150) : bd_range(g, 105, 132);
	if (reception_compute(&t->w, &t->fig, &e) != ERR_OK) {
		fprintf(stderr, "bench-data: ticket refused: %s\n",
		    e.why.en != NULL ? e.why.en : "?");
		g->failed = true;
		return false;
	}
	/* The purchase policy is 10.0-13.5 % with a warning (confirmed). */
	t->warning = !reception_humidity_ok(t->w.humidity, 100, 135);
	t->over = p->class != BD_CONVENTIONAL &&
	    reception_over_estimate(
	        p->delivered_g + t->fig.net_g, p->estimate_g, 10);
	p->delivered_g += t->fig.net_g;
	p->delivered_n++;
	snprintf(t->code, sizeof(t->code), "E%02u-%02lld",
	    (unsigned)p->delivered_n, (long long)(g->year % 100));
	return true;
}

static int64_t
bd_reception(struct bd *g, struct bd_org *o, int64_t d,
    const struct bd_producer *p, const struct bd_plot *pl,
    const struct bd_ticket *t, int64_t created)
{
	struct bd_ins b = bd_start(g, S_RECEPTION);
	int64_t number = bd_number(o, BD_RECEPTION), id;

	bd_i(&b, o->id);
	bd_i(&b, number);
	bd_t(&b, g->dates[d]);
	bd_i(&b, g->year);
	bd_i(&b, p->id);
	bd_i(&b, pl->id);
	bd_t(&b, t->code);
	bd_t(&b, bd_status[p->class]);
	bd_i(&b, t->w.sacks);
	bd_i(&b, t->w.gross_g);
	bd_i(&b, t->w.tare_g);
	bd_i(&b, t->fig.net_g);
	bd_i(&b, t->fig.qq_centi);
	bd_i(&b, t->w.sample_g);
	bd_i(&b, t->w.exportable_g);
	bd_i(&b, t->w.discard_g);
	bd_i(&b, t->w.husk_g);
	bd_i(&b, t->fig.exportable_pct);
	bd_i(&b, t->fig.discard_pct);
	bd_i(&b, t->fig.husk_pct);
	bd_i(&b, t->w.humidity);
	bd_i(&b, t->warning);
	bd_i(&b, t->over);
	bd_t(&b, "Responsable de pesado");
	bd_t(&b, g->parties);
	bd_i(&b, o->clerk);
	bd_i(&b, created);
	id = bd_done(&b);
	bd_audit(
	    g, o->clerk, o->id, "reception.create", "reception", id, number);
	return id;
}

/*
 * The delivery's warehouse note and purchase settlement: numbered,
 * clocked and audited here, in the chain's order; stored by the acopio
 * writer.  The note's id, which the guía needs, is the running count.
 */
static int64_t
bd_sale(struct bd *g, struct bd_org *o, int64_t d, const struct bd_producer *p,
    const struct bd_plot *pl, int64_t reception_id, const struct bd_ticket *t,
    int64_t price)
{
	struct bd_sale r;
	int64_t id = ++g->sales;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.p = p;
	r.pl = pl;
	r.day = d;
	r.cls = p->class;
	r.reception_id = reception_id;
	r.price = price;
	r.exportable_pct = t->fig.exportable_pct;
	r.qq_centi = t->fig.qq_centi;
	r.net_g = t->fig.net_g;
	r.humidity = t->w.humidity;
	r.note_number = bd_number(o, BD_NOTE);
	r.note_at = bd_tick(g, BD_STEP_MS);
	bd_audit(g, o->clerk, o->id, "warehouse_note.create", "warehouse_note",
	    id, r.note_number);
	r.settlement_number = bd_number(o, BD_SETTLEMENT);
	r.settlement_at = bd_tick(g, BD_STEP_MS);
	bd_audit(g, o->clerk, o->id, "purchase_settlement.create",
	    "purchase_settlement", id, r.settlement_number);
	bd_side_add(g, &g->acopio, &r);
	return id;
}

/* One delivery: its three documents, and its note into the warehouse. */
static void
bd_deliver(struct bd *g, int64_t d, const struct bd_delivery *dv)
{
	struct bd_producer *p = &g->producers[dv->producer];
	struct bd_org *o = &g->orgs[p->org];
	const struct bd_plot *pl = &g->plots[p->plot0 + dv->plot];
	int cls = p->class;
	int64_t price = bd_price(p->org, cls, d), rid, nid, created;
	struct bd_note_item *item;
	struct bd_ticket t;

	if (!bd_weigh(g, dv, p, &t))
		return;
	/* The parties the three documents freeze: the same (see bd_sale). */
	snprintf(g->parties, sizeof(g->parties),
	    "{\"organization\":%s,\"plot\":{\"id\":%lld,\"name\":\"%s\"},"
	    "\"producer\":%s}",
	    o->json, (long long)pl->id, pl->name, p->json);
	created = bd_tick(g, BD_STEP_MS);
	rid = bd_reception(g, o, d, p, pl, &t, created);
	nid = bd_sale(g, o, d, p, pl, rid, &t, price);
	item = bd_push(g, &o->stock[cls].notes);
	if (item == NULL)
		return;
	item->id = nid;
	item->sacks = t.w.sacks;
	item->net_g = t.fig.net_g;
	if (g->counts != NULL)
		g->counts->receptions++;
}

/* ---- transfer: guía de remisión and plant receipt ---- */

static void
bd_dispatch(struct bd *g, int64_t d, size_t coop, int cls, size_t count)
{
	struct bd_org *o = &g->orgs[coop], *plant = &g->orgs[o->plant];
	struct bd_stock *s = &o->stock[cls];
	int64_t sacks = 0, net = 0, declared, number, id, k;
	struct bd_pending *due;
	struct bd_carrier c;
	char programs[16], lot[24];
	struct bd_ins b;
	size_t i;

	for (i = 0; i < count; i++) {
		const struct bd_note_item *n = bd_at(&s->notes, i);

		sacks += n->sacks;
		net += n->net_g;
	}
	/* Re-weighed at departure: sometimes a little lighter. */
	declared =
	    bd_chance(g, 150) ? net - net * bd_range(g, 1, 30) / 10000 : net;
	k = bd_range(g, 0, 199);
	bd_carrier_of(g, k, &c);
	number = bd_number(o, BD_DISPATCH);
	snprintf(lot, sizeof(lot), "CO-%lld", (long long)number);
	b = bd_start(g, S_DISPATCH);
	bd_i(&b, o->id);
	bd_i(&b, number);
	bd_t(&b, g->dates[d]);
	bd_i(&b, plant->id);
	bd_t(&b, o->address);
	bd_t(&b, plant->address);
	bd_t(&b, c.name);
	bd_t(&b, c.doc);
	bd_t(&b, c.plate);
	bd_t(&b, c.licence);
	bd_t(&b, c.brand);
	bd_t(&b, c.mtc);
	bd_t(&b, lot);
	bd_t(&b, bd_description[cls]);
	bd_t(&b, bd_status[cls]);
	bd_t(&b, bd_programs_json(g, o, cls, programs));
	bd_i(&b, sacks);
	bd_i(&b, declared);
	bd_i(&b, sacks);
	bd_i(&b, net);
	bd_i(&b, o->clerk);
	bd_i(&b, bd_tick(g, BD_STEP_MS));
	id = bd_done(&b);
	for (i = 0; i < count; i++) {
		const struct bd_note_item *n = bd_at(&s->notes, i);

		b = bd_start(g, S_DNOTE);
		bd_i(&b, id);
		bd_i(&b, o->id);
		bd_i(&b, n->id);
		bd_i(&b, (int64_t)i + 1);
		bd_done(&b);
	}
	s->notes.head += count;
	bd_audit(g, o->clerk, o->id, "dispatch.create", "dispatch", id, number);
	due = bd_push(g, &g->receipts_due);
	if (due == NULL)
		return;
	due->day = d + 1 < g->days ? d + 1 : d;
	due->doc_id = id;
	due->coop = (int64_t)coop;
	due->class = cls;
	due->sacks = sacks;
	due->weight_g = declared;
	due->carrier = k;
	if (g->counts != NULL) {
		g->counts->dispatches++;
		g->counts->dispatch_notes += (int64_t)count;
	}
}

/* Guías of the day: a warehouse's notes of one status, ~N at a time. */
static void
bd_dispatch_day(struct bd *g, int64_t d)
{
	int64_t per = g->o->notes_per_dispatch;
	size_t c;
	int cls;

	for (c = 0; c < g->n_coops && !g->failed; c++) {
		for (cls = 0; cls < BD_CLASSES; cls++) {
			struct bd_stock *s = &g->orgs[c].stock[cls];
			size_t left = bd_len(&s->notes);

			if (s->notes_target == 0)
				s->notes_target =
				    bd_range(g, per * 8 / 10, per * 12 / 10);
			if (left >= (size_t)s->notes_target) {
				bd_dispatch(
				    g, d, c, cls, (size_t)s->notes_target);
				s->notes_target = 0;
			} else if (d == g->dispatch_flush && left > 0 &&
			    (int64_t)left >= s->notes_target / 4) {
				bd_dispatch(g, d, c, cls, left);
			}
		}
	}
}

static void
bd_receipt(struct bd *g, int64_t d, const struct bd_pending *due)
{
	struct bd_org *o = &g->orgs[due->coop], *plant = &g->orgs[o->plant];
	int cls = (int)due->class;
	int64_t net, tare, number, id;
	struct bd_receipt_item *item;
	struct bd_carrier c;
	char programs[16];
	struct bd_ins b;

	bd_carrier_of(g, due->carrier, &c);
	/* What arrives: a little transport shrinkage, now and then. */
	net = due->weight_g -
	    (bd_chance(g, 600) ? due->weight_g * bd_range(g, 0, 25) / 10000
	                       : 0);
	tare = due->sacks * BD_PLANT_TARE_G;
	number = bd_number(plant, BD_RECEIPT);
	b = bd_start(g, S_RECEIPT);
	bd_i(&b, plant->id);
	bd_i(&b, number);
	bd_t(&b, g->dates[d]);
	bd_i(&b, due->doc_id);
	bd_i(&b, o->id);
	bd_t(&b, c.name);
	bd_t(&b, c.plate);
	bd_t(&b, bd_description[cls]);
	bd_t(&b, bd_status[cls]);
	bd_t(&b, bd_programs_json(g, o, cls, programs));
	bd_i(&b, due->sacks);
	bd_i(&b, net + tare);
	bd_i(&b, tare);
	bd_i(&b, net);
	bd_i(&b, bd_range(g, 6200, 6900));
	bd_i(&b, bd_range(g, 110, 130));
	bd_i(&b, bd_range(g, 1100, 1500));
	bd_i(&b, bd_range(g, 1900, 2200));
	bd_i(&b,
	    cls == BD_ORGANIC ? bd_range(g, 8200, 8650)
	                      : bd_range(g, 7900, 8400));
	bd_i(&b, plant->clerk);
	bd_i(&b, bd_tick(g, BD_STEP_MS));
	id = bd_done(&b);
	bd_audit(g, plant->clerk, plant->id, "plant_receipt.create",
	    "plant_receipt", id, number);
	item = bd_push(g, &o->stock[cls].receipts);
	if (item == NULL)
		return;
	item->id = id;
	item->left_g = net;
	o->stock[cls].receipts_g += net;
	o->stock[cls].receipts_sum_g += net;
	o->stock[cls].receipts_n++;
	if (g->counts != NULL)
		g->counts->plant_receipts++;
}

static void
bd_receive_day(struct bd *g, int64_t d)
{
	while (!g->failed && bd_len(&g->receipts_due) > 0) {
		const struct bd_pending *due = bd_at(&g->receipts_due, 0);

		if (due->day > d)
			break;
		bd_receipt(g, d, due);
		g->receipts_due.head++;
	}
}

/* ---- process: orders with their marking orders, LOPs, exit guides ---- */

/*
 * The LOP's outputs as shares of the input (hundredths of %, around the
 * guide's figures), husk what is left up to its share, declared
 * shrinkage the rest: they add up to input_g exactly.
 */
static void
bd_outputs(struct bd *g, int64_t input_g, int64_t out[PROCESS_OUT_COUNT])
{
	static const int64_t lo[PROCESS_OUT_HUSK] = { 7100, 350, 130, 55, 60,
		55, 55, 0 };
	static const int64_t hi[PROCESS_OUT_HUSK] = { 7400, 550, 190, 75, 85,
		70, 70, 5 };
	int64_t left = input_g, husk;
	size_t i;

	for (i = 0; i < PROCESS_OUT_HUSK; i++) {
		out[i] = input_g * bd_range(g, lo[i], hi[i]) / 10000;
		left -= out[i];
	}
	husk = input_g * bd_range(g, 1650, 1750) / 10000;
	out[PROCESS_OUT_HUSK] = husk < left ? husk : left;
	out[PROCESS_OUT_SHRINKAGE] = left - out[PROCESS_OUT_HUSK];
}

static void
bd_marks(struct bd *g, const struct bd_org *o, int cls, const char *contract,
    const char *lot, char *out, size_t cap)
{
	(void)g;
	if (cls == BD_ORGANIC)
		snprintf(out, cap,
		    "%s \"Organic Green Coffee of Peru\" Certified Organic by "
		    "%s %s%s%s Ref.: Ctrc %s",
		    o->name, bd_certifiers[o->certifier], o->cert_code,
		    lot != NULL ? " " : "", lot != NULL ? lot : "", contract);
	else
		snprintf(out, cap,
		    "%s \"Green Coffee of Peru\"%s%s Ref.: Ctrc %s", o->name,
		    lot != NULL ? " " : "", lot != NULL ? lot : "", contract);
}

static void
bd_marking(struct bd *g, struct bd_org *o, int64_t d, int cls, int64_t order_id,
    const struct bd_pending *lop)
{
	const struct bd_org *plant = &g->orgs[o->plant];
	int64_t sacks =
	    lop->outputs_g[PROCESS_OUT_EXPORT] / UNITS_SACK_EXPORT_G;
	int64_t number, id;
	char place[160];
	struct bd_ins b;

	if (sacks < 1)
		return;
	bd_marks(g, o, cls, lop->contract, NULL, g->text, sizeof(g->text));
	snprintf(place, sizeof(place), "Planta %s", plant->name);
	number = bd_number(o, BD_MARKING);
	b = bd_start(g, S_MARKING);
	bd_i(&b, o->id);
	bd_i(&b, number);
	bd_t(&b, g->dates[d]);
	bd_i(&b, order_id);
	bd_i(&b, sacks);
	bd_t(&b, g->text);
	bd_t(&b, lop->contract);
	bd_i(&b, UNITS_SACK_EXPORT_G);
	bd_t(&b, g->dates[lop->day]);
	bd_t(&b, place);
	bd_t(&b, g->parties);
	bd_i(&b, o->clerk);
	bd_i(&b, bd_tick(g, BD_STEP_MS));
	id = bd_done(&b);
	bd_audit(g, o->clerk, o->id, "marking_order.create", "marking_order",
	    id, number);
}

/* A process order over up to three receipts, the last maybe split. */
static void
bd_order(struct bd *g, int64_t d, size_t coop, int cls)
{
	struct bd_org *o = &g->orgs[coop], *plant = &g->orgs[o->plant];
	struct bd_stock *s = &o->stock[cls];
	int64_t ids[BD_MAX_INPUTS], kilos[BD_MAX_INPUTS];
	int64_t need = s->order_target_g, input = 0, number, id;
	struct bd_pending *lop;
	char programs[16];
	struct bd_ins b;
	size_t n = 0, i;

	while (n < BD_MAX_INPUTS && need > 0 && bd_len(&s->receipts) > 0) {
		struct bd_receipt_item *r = bd_at(&s->receipts, 0);
		int64_t take = r->left_g < need ? r->left_g : need;

		ids[n] = r->id;
		kilos[n++] = take;
		r->left_g -= take;
		need -= take;
		input += take;
		if (r->left_g == 0)
			s->receipts.head++;
	}
	s->receipts_g -= input;
	lop = bd_push(g, &g->lops_due);
	if (lop == NULL)
		return;
	lop->day = d + 2 < g->days ? d + 2 : d;
	lop->coop = (int64_t)coop;
	lop->class = cls;
	lop->weight_g = input;
	snprintf(lop->contract, sizeof(lop->contract), "P%03zu%03lld", coop + 1,
	    (long long)++o->contracts);
	snprintf(lop->quality, sizeof(lop->quality), "%s", bd_quality[cls]);
	bd_outputs(g, input, lop->outputs_g);
	snprintf(g->parties, sizeof(g->parties),
	    "{\"organization\":%s,\"plant\":%s}", o->json, plant->json);
	number = bd_number(o, BD_ORDER);
	b = bd_start(g, S_ORDER);
	bd_i(&b, o->id);
	bd_i(&b, number);
	bd_t(&b, g->dates[d]);
	bd_i(&b, plant->id);
	bd_t(&b, lop->contract);
	bd_t(&b, bd_process_type[cls]);
	bd_t(&b, bd_quality[cls]);
	bd_t(&b, bd_status[cls]);
	bd_t(&b, bd_programs_json(g, o, cls, programs));
	bd_i(&b, input);
	bd_t(&b, g->parties);
	bd_i(&b, o->clerk);
	bd_i(&b, bd_tick(g, BD_STEP_MS));
	id = bd_done(&b);
	for (i = 0; i < n; i++) {
		b = bd_start(g, S_INPUT);
		bd_i(&b, id);
		bd_i(&b, ids[i]);
		bd_i(&b, kilos[i]);
		bd_done(&b);
	}
	bd_audit(g, o->clerk, o->id, "process_order.create", "process_order",
	    id, number);
	lop->doc_id = id;
	bd_marking(g, o, d, cls, id, lop);
	if (g->counts != NULL)
		g->counts->process_orders++;
}

static void
bd_order_day(struct bd *g, int64_t d)
{
	size_t c;
	int cls;

	if (d > g->order_flush)
		return;
	for (c = 0; c < g->n_coops && !g->failed; c++) {
		for (cls = 0; cls < BD_CLASSES; cls++) {
			struct bd_stock *s = &g->orgs[c].stock[cls];

			while (!g->failed && bd_len(&s->receipts) > 0) {
				const struct bd_receipt_item *r =
				    bd_at(&s->receipts, 0);

				/* About 1.3 receipts an order, by the mean. */
				(void)r;
				if (s->order_target_g == 0)
					s->order_target_g = s->receipts_sum_g /
					    s->receipts_n *
					    bd_range(g, 80, 180) / 100;
				if (s->receipts_g < s->order_target_g &&
				    !(d == g->order_flush &&
				        s->receipts_g * 10 >=
				            s->order_target_g * 3))
					break;
				bd_order(g, d, c, cls);
				s->order_target_g = 0;
			}
		}
	}
}

static void
bd_exit(struct bd *g, int64_t d, struct bd_org *plant, struct bd_org *o,
    int cls, int64_t lop_id, int64_t lop_number, int64_t export_g,
    const char *contract)
{
	static const char *const dest[][2] = {
		{ "Unimar",
		    "Mz. A - Lote 10, 11, 12 y 13, Etapa II - Paita - Paita - "
		    "Piura" },
		{ "Almacén Callao Logistics",
		    "Av. Néstor Gambetta 6503, Callao" },
		{ "Terminal de Almacenamiento Paita",
		    "Zona Industrial II, Paita, Piura" },
	};
	int64_t sacks = export_g / UNITS_SACK_EXPORT_G, net, number, id, k;
	char desc[PROCESS_DESCRIPTION_MAX + 1], lot[24], obs[48];
	char programs[16], marks[BD_TEXT];
	struct bd_carrier c;
	struct bd_ins b;
	size_t w = (size_t)lop_id % BD_N(dest);

	if (sacks < 1)
		return;
	net = sacks * UNITS_SACK_EXPORT_G;
	k = bd_range(g, 0, 199);
	bd_carrier_of(g, k, &c);
	bd_marks(g, o, cls, contract, NULL, marks, sizeof(marks));
	if (process_exit_description(bd_status[cls], UNITS_SACK_EXPORT_G, marks,
	        desc, sizeof(desc)) < 0) {
		fprintf(stderr, "bench-data: exit description too long\n");
		g->failed = true;
		return;
	}
	snprintf(lot, sizeof(lot), "LOP-%lld", (long long)lop_number);
	snprintf(obs, sizeof(obs), "LOP N.º %lld", (long long)lop_number);
	number = bd_number(plant, BD_EXIT);
	b = bd_start(g, S_EXIT);
	bd_i(&b, plant->id);
	bd_i(&b, number);
	bd_t(&b, g->dates[d]);
	bd_i(&b, lop_id);
	bd_i(&b, o->id);
	bd_t(&b, dest[w][0]);
	bd_t(&b, dest[w][1]);
	bd_t(&b, c.name);
	bd_t(&b, c.doc);
	bd_t(&b, c.plate);
	bd_t(&b, c.licence);
	bd_t(&b, c.brand);
	bd_t(&b, c.mtc);
	bd_t(&b, lot);
	bd_t(&b, desc);
	bd_t(&b, bd_status[cls]);
	bd_t(&b, bd_programs_json(g, o, cls, programs));
	bd_i(&b, sacks);
	bd_i(&b, net + sacks * BD_PLANT_TARE_G);
	bd_i(&b, sacks * BD_PLANT_TARE_G);
	bd_i(&b, net);
	bd_t(&b, obs);
	bd_t(&b, g->parties);
	bd_i(&b, plant->clerk);
	bd_i(&b, bd_tick(g, BD_STEP_MS));
	id = bd_done(&b);
	bd_audit(g, plant->clerk, plant->id, "plant_exit.create", "plant_exit",
	    id, number);
	if (g->counts != NULL)
		g->counts->plant_exits++;
}

/* The plant settles an order: LOP, its ten output rows, its exit. */
static void
bd_lop(struct bd *g, int64_t d, const struct bd_pending *due)
{
	struct bd_org *o = &g->orgs[due->coop], *plant = &g->orgs[o->plant];
	int cls = (int)due->class;
	int64_t number = bd_number(plant, BD_LOP), id;
	struct bd_lop_item *item;
	char programs[16], lot[24];
	struct bd_ins b;
	int k;

	snprintf(lot, sizeof(lot), "LOP-%lld", (long long)number);
	snprintf(g->parties, sizeof(g->parties),
	    "{\"client\":%s,\"organization\":%s}", o->json, plant->json);
	b = bd_start(g, S_LOP);
	bd_i(&b, plant->id);
	bd_i(&b, number);
	bd_t(&b, g->dates[d]);
	bd_i(&b, due->doc_id);
	bd_i(&b, o->id);
	bd_t(&b, due->contract);
	bd_t(&b, bd_process_type[cls]);
	bd_t(&b, due->quality);
	bd_t(&b, bd_status[cls]);
	bd_t(&b, bd_programs_json(g, o, cls, programs));
	bd_i(&b, due->weight_g);
	bd_t(&b, lot);
	bd_t(&b, g->parties);
	bd_i(&b, plant->clerk);
	bd_i(&b, bd_tick(g, BD_STEP_MS));
	id = bd_done(&b);
	for (k = 0; k < PROCESS_OUT_COUNT; k++) {
		b = bd_start(g, S_OUTPUT);
		bd_i(&b, id);
		bd_t(&b, process_output_key(k));
		bd_i(&b, due->outputs_g[k]);
		bd_done(&b);
	}
	bd_audit(g, plant->clerk, plant->id, "process_settlement.create",
	    "process_settlement", id, number);
	bd_exit(g, d, plant, o, cls, id, number,
	    due->outputs_g[PROCESS_OUT_EXPORT], due->contract);
	item = bd_push(g, &o->stock[cls].lops);
	if (item == NULL)
		return;
	item->id = id;
	item->export_left_g = due->outputs_g[PROCESS_OUT_EXPORT];
	item->mc_left_g = due->outputs_g[PROCESS_OUT_EXPORT_MC];
	item->day = d;
	snprintf(item->contract, sizeof(item->contract), "%s", due->contract);
	o->stock[cls].export_g += item->export_left_g;
	o->stock[cls].lops_sum_g += item->export_left_g;
	o->stock[cls].lops_n++;
	if (g->counts != NULL)
		g->counts->process_settlements++;
}

static void
bd_settle_day(struct bd *g, int64_t d)
{
	while (!g->failed && bd_len(&g->lops_due) > 0) {
		const struct bd_pending *due = bd_at(&g->lops_due, 0);

		if (due->day > d)
			break;
		bd_lop(g, d, due);
		g->lops_due.head++;
	}
}

/* ---- export: lots over LOP outputs, shipments of lots ---- */

struct bd_source {
	int64_t lop_id, kilos_g;
	const char *category;
};

static void
bd_lot_insert(struct bd *g, int64_t d, struct bd_org *o, int cls,
    const struct bd_source *src, size_t n, const char *contract)
{
	int64_t kilos = 0, sacks, seq, number, id, cup;
	struct bd_lot_item *item;
	char organic_lot[32], mark[48], programs[16];
	int64_t buyer = bd_range(g, 0, (int64_t)BD_N(bd_buyers) - 1);
	struct bd_ins b;
	size_t i;

	for (i = 0; i < n; i++)
		kilos += src[i].kilos_g;
	sacks = kilos / UNITS_SACK_EXPORT_G;
	seq = bd_number(o, BD_ICO);
	number = bd_number(o, BD_LOT);
	snprintf(organic_lot, sizeof(organic_lot), "%03lld-%02lld",
	    (long long)(o->issued[BD_LOT]), (long long)(g->year % 100));
	snprintf(mark, sizeof(mark), "%d/%s/%lld", BD_ICO_COUNTRY, o->ico_code,
	    (long long)seq);
	snprintf(
	    g->text2, sizeof(g->text2), "%s/ LOT No %s", mark, organic_lot);
	bd_marks(g, o, cls, contract, g->text2, g->text, sizeof(g->text));
	snprintf(
	    g->parties, sizeof(g->parties), "{\"organization\":%s}", o->json);
	cup = cls == BD_ORGANIC ? bd_range(g, 8200, 8650)
	                        : bd_range(g, 7900, 8400);
	b = bd_start(g, S_LOT);
	bd_i(&b, o->id);
	bd_i(&b, number);
	bd_t(&b, g->dates[d]);
	bd_t(&b, organic_lot);
	bd_i(&b, BD_ICO_COUNTRY);
	bd_t(&b, o->ico_code);
	bd_i(&b, seq);
	bd_t(&b, mark);
	bd_t(&b, contract);
	bd_t(&b, bd_buyers[buyer].name);
	bd_t(&b, bd_quality[cls]);
	bd_i(&b, cls == BD_ORGANIC ? 10 : 15);
	bd_i(&b, cup);
	bd_t(&b, bd_status[cls]);
	bd_t(&b, bd_programs_json(g, o, cls, programs));
	bd_i(&b, sacks);
	bd_i(&b, kilos);
	bd_i(&b, UNITS_SACK_EXPORT_G);
	bd_t(&b, g->text);
	bd_t(&b, g->parties);
	bd_i(&b, o->exporter);
	bd_i(&b, bd_tick(g, BD_STEP_MS));
	id = bd_done(&b);
	for (i = 0; i < n; i++) {
		b = bd_start(g, S_SOURCE);
		bd_i(&b, id);
		bd_i(&b, src[i].lop_id);
		bd_t(&b, src[i].category);
		bd_i(&b, src[i].kilos_g);
		bd_done(&b);
	}
	bd_audit(g, o->exporter, o->id, "export_lot.create", "export_lot", id,
	    number);
	item = bd_push(g, &o->stock[cls].lots);
	if (item == NULL)
		return;
	item->id = id;
	item->sacks_total = sacks;
	item->sacks_left = sacks;
	item->kilos_left = kilos;
	item->ready_day = d + bd_range(g, 10, 60);
	item->buyer = buyer;
	snprintf(
	    item->organic_lot, sizeof(item->organic_lot), "%s", organic_lot);
	snprintf(item->contract, sizeof(item->contract), "%s", contract);
	if (g->counts != NULL)
		g->counts->export_lots++;
}

/*
 * An export lot of about lot_target_g from the oldest LOP outputs (up to
 * three LOPs; the last one may be split with the next lot), sometimes
 * with a used-up LOP's export MC too.
 */
static void
bd_lot(struct bd *g, int64_t d, size_t coop, int cls)
{
	struct bd_org *o = &g->orgs[coop];
	struct bd_stock *s = &o->stock[cls];
	struct bd_source src[2 * BD_MAX_SOURCES];
	int64_t need = s->lot_target_g;
	char contract[48] = "";
	size_t n = 0, lops = 0;

	while (lops < BD_MAX_SOURCES && need > 0 && bd_len(&s->lops) > 0) {
		struct bd_lop_item *l = bd_at(&s->lops, 0);
		int64_t take =
		    l->export_left_g < need ? l->export_left_g : need;

		if (lops++ == 0)
			snprintf(contract, sizeof(contract), "%s", l->contract);
		if (take > 0) {
			src[n].lop_id = l->id;
			src[n].category = "export";
			src[n++].kilos_g = take;
		}
		l->export_left_g -= take;
		need -= take;
		s->export_g -= take;
		if (l->export_left_g > 0)
			break;
		if (l->mc_left_g > 0 && bd_chance(g, 400)) {
			src[n].lop_id = l->id;
			src[n].category = "export_mc";
			src[n++].kilos_g = l->mc_left_g;
			l->mc_left_g = 0;
		}
		s->lops.head++;
	}
	if (n > 0)
		bd_lot_insert(g, d, o, cls, src, n, contract);
}

static void
bd_lot_day(struct bd *g, int64_t d)
{
	size_t c;
	int cls;

	if (d > g->lot_flush)
		return;
	for (c = 0; c < g->n_coops && !g->failed; c++) {
		for (cls = 0; cls < BD_CLASSES; cls++) {
			struct bd_stock *s = &g->orgs[c].stock[cls];

			while (!g->failed && bd_len(&s->lops) > 0) {
				const struct bd_lop_item *l =
				    bd_at(&s->lops, 0);

				/* About one LOP's export a lot, by the mean. */
				(void)l;
				if (s->lot_target_g == 0)
					s->lot_target_g = s->lops_sum_g /
					    s->lops_n * bd_range(g, 60, 120) /
					    100;
				if (s->lot_target_g < 10 * UNITS_SACK_EXPORT_G)
					s->lot_target_g =
					    10 * UNITS_SACK_EXPORT_G;
				if (s->export_g < s->lot_target_g)
					break;
				bd_lot(g, d, c, cls);
				s->lot_target_g = 0;
			}
		}
	}
}

struct bd_ship_line {
	int64_t lot_id, sacks, kilos_g;
};

static void
bd_shipment_insert(struct bd *g, int64_t d, struct bd_org *o, int cls,
    const struct bd_lot_item *first, const struct bd_ship_line *lines, size_t n,
    const char *lot_refs)
{
	const struct bd_buyer *buyer = &bd_buyers[first->buyer];
	const struct bd_place *p = &bd_places[o->place];
	int64_t sacks = 0, kilos = 0, number, id, shipped;
	char invoice[32], bl[48], bl_ref[128], booking[24], container[24];
	char seal[24], programs[16];
	bool north = strcmp(p->region, "Cajamarca") == 0 ||
	    strcmp(p->region, "Amazonas") == 0 ||
	    strcmp(p->region, "Piura") == 0 ||
	    strcmp(p->region, "San Martín") == 0;
	struct bd_ins b;
	size_t i;

	for (i = 0; i < n; i++) {
		sacks += lines[i].sacks;
		kilos += lines[i].kilos_g;
	}
	number = bd_number(o, BD_SHIPMENT);
	shipped = d + bd_range(g, 0, 5);
	if (shipped >= g->days)
		shipped = g->days - 1;
	snprintf(
	    invoice, sizeof(invoice), "F001-%06lld", (long long)++o->invoices);
	snprintf(bl, sizeof(bl), "%s%02lld%08lld", north ? "PAI" : "CLL",
	    (long long)(g->year % 100), (long long)bd_range(g, 0, 99999999));
	snprintf(bl_ref, sizeof(bl_ref), "LOT No %s", lot_refs);
	snprintf(booking, sizeof(booking), "BK%08lld",
	    (long long)bd_range(g, 0, 99999999));
	snprintf(container, sizeof(container), "%s%07lld",
	    bd_chance(g, 500) ? "MSKU" : "HLXU",
	    (long long)bd_range(g, 0, 9999999));
	snprintf(
	    seal, sizeof(seal), "PE%07lld", (long long)bd_range(g, 0, 9999999));
	snprintf(
	    g->parties, sizeof(g->parties), "{\"organization\":%s}", o->json);
	b = bd_start(g, S_SHIPMENT);
	bd_i(&b, o->id);
	bd_i(&b, number);
	bd_t(&b, g->dates[d]);
	bd_t(&b, first->contract);
	bd_t(&b, buyer->name);
	bd_t(&b, buyer->country);
	bd_t(&b, invoice);
	bd_t(&b, lot_refs);
	bd_t(&b, bl);
	bd_t(&b, bl_ref);
	bd_t(&b, bd_pick(g, bd_vessels, BD_N(bd_vessels)));
	bd_t(&b, booking);
	bd_t(&b, container);
	bd_t(&b, seal);
	bd_t(&b, north ? "Paita" : "Callao");
	bd_t(&b, buyer->port);
	bd_t(&b, g->dates[shipped]);
	bd_t(&b, bd_quality[cls]);
	bd_t(&b, bd_status[cls]);
	bd_t(&b, bd_programs_json(g, o, cls, programs));
	bd_i(&b, sacks);
	bd_i(&b, kilos);
	bd_i(&b, kilos + sacks * BD_PLANT_TARE_G);
	bd_t(&b, g->parties);
	bd_i(&b, o->exporter);
	bd_i(&b, bd_tick(g, BD_STEP_MS));
	id = bd_done(&b);
	for (i = 0; i < n; i++) {
		b = bd_start(g, S_SHIPLOT);
		bd_i(&b, id);
		bd_i(&b, lines[i].lot_id);
		bd_i(&b, lines[i].sacks);
		bd_i(&b, lines[i].kilos_g);
		bd_done(&b);
	}
	bd_audit(
	    g, o->exporter, o->id, "shipment.create", "shipment", id, number);
	if (g->counts != NULL)
		g->counts->shipments++;
}

/* One shipment: a lot, two lots, or half of a lot's sacks. */
static void
bd_ship(struct bd *g, int64_t d, size_t coop, int cls)
{
	struct bd_org *o = &g->orgs[coop];
	struct bd_stock *s = &o->stock[cls];
	struct bd_lot_item *l = bd_at(&s->lots, 0), first = *l;
	struct bd_ship_line lines[2];
	char refs[96];
	int64_t u = bd_range(g, 0, 999);
	size_t n = 1;

	lines[0].lot_id = l->id;
	if (u >= 900 && l->sacks_left >= 2) {
		/* Half the sacks now, the rest (and the remainder) later. */
		lines[0].sacks = l->sacks_left / 2;
		lines[0].kilos_g = lines[0].sacks * UNITS_SACK_EXPORT_G;
		l->sacks_left -= lines[0].sacks;
		l->kilos_left -= lines[0].kilos_g;
		l->ready_day = d + bd_range(g, 10, 30);
		snprintf(refs, sizeof(refs), "%s", l->organic_lot);
	} else {
		lines[0].sacks = l->sacks_left;
		lines[0].kilos_g = l->kilos_left;
		s->lots.head++;
		snprintf(refs, sizeof(refs), "%s", l->organic_lot);
		/* Two lots in one shipment: the exporter consolidates. */
		if (u >= 600 && bd_len(&s->lots) > 0) {
			struct bd_lot_item *m = bd_at(&s->lots, 0);

			if (m->sacks_left == m->sacks_total) {
				lines[1].lot_id = m->id;
				lines[1].sacks = m->sacks_left;
				lines[1].kilos_g = m->kilos_left;
				snprintf(refs + strlen(refs),
				    sizeof(refs) - strlen(refs), ", %s",
				    m->organic_lot);
				s->lots.head++;
				n = 2;
			}
		}
	}
	bd_shipment_insert(g, d, o, cls, &first, lines, n, refs);
}

static void
bd_ship_day(struct bd *g, int64_t d)
{
	size_t c;
	int cls;

	if (d > g->ship_last)
		return;
	for (c = 0; c < g->n_coops && !g->failed; c++) {
		for (cls = 0; cls < BD_CLASSES; cls++) {
			struct bd_stock *s = &g->orgs[c].stock[cls];

			while (!g->failed && bd_len(&s->lots) > 0 &&
			    ((const struct bd_lot_item *)bd_at(&s->lots, 0))
			            ->ready_day <= d)
				bd_ship(g, d, c, cls);
		}
	}
}

/* ---- the year ---- */

static void
bd_documents(struct bd *g)
{
	int64_t d, done = 0, total = (int64_t)g->n_deliveries, next = 1;
	size_t i;

	for (d = 0; d < g->days && !g->failed; d++) {
		bd_clock_day(g, d);
		for (i = g->day_first[d]; i < g->day_first[d + 1] && !g->failed;
		     i++)
			bd_deliver(g, d, &g->deliveries[i]);
		done += (int64_t)(g->day_first[d + 1] - g->day_first[d]);
		bd_dispatch_day(g, d);
		bd_receive_day(g, d);
		bd_order_day(g, d);
		bd_settle_day(g, d);
		bd_lot_day(g, d);
		bd_ship_day(g, d);
		if (total > 0 && done * 10 >= next * total && next <= 10) {
			bd_progress(g, "documents", done, total);
			while (done * 10 >= next * total && next <= 10)
				next++;
		}
	}
}

/* The numbering table as the services leave it: next, and how many. */
static void
bd_numbering(struct bd *g)
{
	size_t i, k;

	for (i = 0; i < g->n_orgs && !g->failed; i++) {
		for (k = 0; k < BD_DOCS; k++) {
			struct bd_org *o = &g->orgs[i];
			struct bd_ins b;

			if (o->issued[k] == 0)
				continue;
			b = bd_start(g, S_NUMBERING);
			bd_i(&b, o->id);
			bd_t(&b, bd_doc_type[k]);
			bd_i(&b, o->start[k] + o->issued[k]);
			bd_i(&b, o->issued[k]);
			bd_done(&b);
		}
	}
}

/* ---- the load's setting: empty check, pragmas, indexes ---- */

static enum err
bd_check_empty(struct bd *g)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM organizations) +"
	    " (SELECT count(*) FROM users) + (SELECT count(*) FROM "
	    "audit_events)";
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(g->h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n < 0) {
		bd_fail(g, "check empty");
		return ERR_DB;
	}
	return n == 0 ? ERR_OK : ERR_CONFLICT;
}

/*
 * Save and drop every explicitly created index (the migrations'
 * CREATE INDEX statements, kept verbatim in sqlite_master): loading
 * first and sorting once is several times faster.  The constraints'
 * automatic indexes stay, and so do the indexes of the side writers'
 * tables (empty here: the writers build them in their files).  The
 * INSERT triggers go too: they re-check, row by row with a join, the
 * segregation the generator builds in (the test checks it on the
 * result).
 */
static enum err
bd_drop_indexes(struct bd *g)
{
	static const char indexes[] =
	    "SELECT name, sql FROM sqlite_master"
	    " WHERE type = 'index' AND sql IS NOT NULL AND tbl_name NOT IN"
	    " ('audit_events', 'warehouse_notes', 'purchase_settlements')"
	    " ORDER BY rowid";
	static const char triggers[] =
	    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
	    " AND instr(upper(sql), ' INSERT ON ') > 0 ORDER BY rowid";
	enum err rc;

	rc = bd_objects_drop(
	    g, indexes, NULL, "INDEX", &g->indexes, &g->n_indexes);
	if (rc == ERR_OK)
		rc = bd_objects_drop(
		    g, triggers, NULL, "TRIGGER", &g->triggers, &g->n_triggers);
	return rc;
}

static enum err
bd_create_indexes(struct bd *g)
{
	enum err rc = bd_objects_create(g, g->triggers, g->n_triggers, NULL);

	if (rc == ERR_OK)
		rc = bd_objects_create(g, g->indexes, g->n_indexes, "indexes");
	return rc;
}

/* Pragmas of the load: nothing to undo but the whole file. */
static const char bd_load_pragmas[] =
    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
    " PRAGMA foreign_keys = OFF; PRAGMA locking_mode = EXCLUSIVE;"
    " PRAGMA temp_store = MEMORY; PRAGMA threads = 2;"
    " PRAGMA mmap_size = 0; PRAGMA cache_size = -" BD_STR(BD_CACHE_KIB);
/* And back to the server's (db.c) for everything after. */
static const char bd_after_pragmas[] =
    "PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = WAL;"
    " PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
    " PRAGMA cache_size = -16384";

static enum err
bd_check_options(const struct bench_data_options *o, const char **why)
{
	*why = NULL;
	if (o->producers < 1 || o->producers > 5000000)
		*why = "--producers must be 1 to 5000000";
	else if (o->deliveries < o->producers || o->deliveries > 20000000)
		*why = "--deliveries must be at least --producers and at most "
		       "20000000";
	else if (o->cooperatives < 1 || o->cooperatives > 10000 ||
	    o->cooperatives > o->producers)
		*why = "--cooperatives must be 1 to 10000 and at most "
		       "--producers";
	else if (o->plants < 1 || o->plants > 1000)
		*why = "--plants must be 1 to 1000";
	else if (o->notes_per_dispatch < 5 || o->notes_per_dispatch > 400)
		*why = "--notes-per-dispatch must be 5 to 400 (a guía holds "
		       "at most 500 notes)";
	else if (o->campaign < 2001 || o->campaign > 2099)
		*why = "--campaign must be a year from 2001 to 2099";
	return *why == NULL ? ERR_OK : ERR_INVALID;
}

static enum err
bd_alloc(struct bd *g)
{
	const struct bench_data_options *o = g->o;
	size_t c, k;

	g->n_coops = (size_t)o->cooperatives;
	g->n_plants = (size_t)o->plants;
	g->n_certs = BD_N(bd_certifiers);
	g->n_orgs = g->n_coops + g->n_plants + g->n_certs;
	g->n_deliveries = (size_t)o->deliveries;
	g->orgs = calloc(g->n_orgs, sizeof(*g->orgs));
	g->producers = calloc((size_t)o->producers, sizeof(*g->producers));
	g->plots =
	    calloc((size_t)o->producers * BD_MAX_PLOTS, sizeof(*g->plots));
	g->deliveries = calloc(g->n_deliveries, sizeof(*g->deliveries));
	g->day_first = calloc(367, sizeof(*g->day_first));
	if (g->orgs == NULL || g->producers == NULL || g->plots == NULL ||
	    g->deliveries == NULL || g->day_first == NULL)
		return ERR_NOMEM;
	for (c = 0; c < g->n_orgs; c++) {
		for (k = 0; k < BD_CLASSES; k++) {
			struct bd_stock *s = &g->orgs[c].stock[k];

			bd_vec_init(&s->notes, sizeof(struct bd_note_item));
			bd_vec_init(
			    &s->receipts, sizeof(struct bd_receipt_item));
			bd_vec_init(&s->lops, sizeof(struct bd_lop_item));
			bd_vec_init(&s->lots, sizeof(struct bd_lot_item));
		}
	}
	bd_vec_init(&g->receipts_due, sizeof(struct bd_pending));
	bd_vec_init(&g->lops_due, sizeof(struct bd_pending));
	g->audit.name = "audit";
	g->audit.tables = bd_audit_tables;
	g->audit.sql = bd_audit_sql;
	g->audit.rec_size = sizeof(struct bd_event);
	g->audit.step = bd_audit_step;
	g->audit.cache_kib = 32768;
	g->acopio.name = "acopio";
	g->acopio.tables = bd_acopio_tables;
	g->acopio.sql = bd_acopio_sql;
	g->acopio.rec_size = sizeof(struct bd_sale);
	g->acopio.step = bd_sale_step;
	/* Four constraint indexes over a million rows each stay cached. */
	g->acopio.cache_kib = 131072;
	return ERR_OK;
}

/* Stop a side writer if it runs (the load failed) and free its parts. */
static void
bd_side_free(struct bd *g, struct bd_side *s)
{
	if (s->started)
		(void)bd_side_finish(g, s);
	free(s->batch);
	free(s->table_sql);
	free(s->index_sql);
	if (s->path[0] != '\0')
		(void)unlink(s->path);
}

static void
bd_free(struct bd *g)
{
	size_t i, k;

	/* First: the acopio writer reads the organizations and producers. */
	bd_side_free(g, &g->audit);
	bd_side_free(g, &g->acopio);
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(g->st[i]);
	for (i = 0; g->orgs != NULL && i < g->n_orgs; i++) {
		for (k = 0; k < BD_CLASSES; k++) {
			free(g->orgs[i].stock[k].notes.a);
			free(g->orgs[i].stock[k].receipts.a);
			free(g->orgs[i].stock[k].lops.a);
			free(g->orgs[i].stock[k].lots.a);
		}
	}
	for (i = 0; g->producers != NULL && i < g->n_producers; i++)
		free(g->producers[i].json);
	bd_objects_free(g->indexes, g->n_indexes);
	bd_objects_free(g->triggers, g->n_triggers);
	free(g->receipts_due.a);
	free(g->lops_due.a);
	free(g->orgs);
	free(g->producers);
	free(g->plots);
	free(g->deliveries);
	free(g->day_first);
	sodium_memzero(g->password_hash, sizeof(g->password_hash));
}

/* Everything inside the one transaction. */
static enum err
bd_load(struct bd *g)
{
	enum err rc;

	rc = bd_drop_indexes(g);
	if (rc == ERR_OK)
		rc = bd_prepare(g);
	if (rc == ERR_OK)
		rc = bd_side_start(g, &g->audit);
	if (rc == ERR_OK)
		rc = bd_side_start(g, &g->acopio);
	if (rc != ERR_OK)
		return rc;
	bd_plan_producers(g);
	if (!g->failed)
		bd_plan_deliveries(g);
	if (!g->failed)
		bd_orgs(g);
	if (!g->failed)
		bd_registry(g);
	if (!g->failed)
		bd_documents(g);
	if (!g->failed)
		bd_numbering(g);
	if (g->failed)
		return ERR_DB;
	if (g->counts != NULL)
		g->counts->audit_events = g->seq;
	return ERR_OK;
}

void
bench_data_defaults(struct bench_data_options *o)
{
	memset(o, 0, sizeof(*o));
	o->producers = 200000;
	o->deliveries = 1000000;
	o->cooperatives = 300;
	o->plants = 20;
	o->notes_per_dispatch = 250;
	o->campaign = 2025;
	o->seed = 1;
	o->password = BENCH_DATA_PASSWORD_DEFAULT;
}

enum err
bench_data_generate(struct db *db, const struct bench_data_options *o,
    FILE *progress, struct bench_data_counts *out, const char **why)
{
	struct bd *g;
	struct msg pmsg;
	double t0 = bd_seconds(), t1, t2;
	enum err rc;

	memset(out, 0, sizeof(*out));
	rc = bd_check_options(o, why);
	if (rc != ERR_OK)
		return rc;
	if (password_policy_check(o->password, "coop001-admin", &pmsg) !=
	    ERR_OK) {
		*why = "the password does not pass the password policy";
		return ERR_INVALID;
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return ERR_NOMEM;
	g->db = db;
	g->h = db_handle(db);
	g->o = o;
	g->progress = progress;
	g->counts = out;
	g->t0 = t0;
	g->year = o->campaign;
	bd_seed(g, o->seed);
	bd_calendar(g);
	rc = bd_alloc(g);
	if (rc == ERR_OK)
		rc = bd_check_empty(g);
	if (rc == ERR_CONFLICT)
		*why = "the database is not empty: bench-data only fills a new "
		       "one";
	/* One hash for every account: argon2id costs ~0.1 s each. */
	if (rc == ERR_OK)
		rc = password_hash(o->password, g->password_hash);
	if (rc == ERR_OK)
		rc = bd_exec(g, bd_load_pragmas);
	if (rc == ERR_OK)
		rc = bd_exec(g, "BEGIN");
	if (rc == ERR_OK)
		rc = bd_load(g);
	t1 = bd_seconds();
	/* The writers finish their tables meanwhile, on the other core. */
	bd_side_close(g, &g->audit);
	bd_side_close(g, &g->acopio);
	if (rc == ERR_OK)
		rc = bd_create_indexes(g);
	if (rc == ERR_OK)
		rc = bd_side_finish(g, &g->audit);
	if (rc == ERR_OK) {
		bd_progress(g, "audit chain", 1, 1);
		rc = bd_side_merge(g, &g->audit);
	}
	if (rc == ERR_OK)
		rc = bd_side_finish(g, &g->acopio);
	if (rc == ERR_OK) {
		bd_progress(g, "notes and settlements", 1, 1);
		rc = bd_side_merge(g, &g->acopio);
	}
	if (rc == ERR_OK)
		rc = bd_exec(g, "COMMIT");
	if (rc == ERR_OK)
		rc = bd_exec(g, "DETACH bdaudit; DETACH bdacopio");
	t2 = bd_seconds();
	if (rc == ERR_OK)
		rc = bd_exec(g, bd_after_pragmas);
	if (rc == ERR_OK) {
		bd_progress(g, "analyze", 0, 1);
		rc = bd_exec(g, "PRAGMA analysis_limit = 1000; ANALYZE");
	}
	if (rc != ERR_OK && rc != ERR_CONFLICT && *why == NULL)
		*why = "the load failed (see above): delete the file and run "
		       "again";
	out->load_s = t1 - t0;
	out->index_s = t2 - t1;
	out->analyze_s = bd_seconds() - t2;
	out->total_s = bd_seconds() - t0;
	bd_free(g);
	free(g);
	return rc;
}
