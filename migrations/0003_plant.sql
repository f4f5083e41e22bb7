-- Transfer and plant stage: guía de remisión with the warehouse notes that
-- make up its lot, plant receipt (guía de ingreso a planta + registro de
-- recepción), process order with its inputs and its sack marking order,
-- process settlement (LOP) with its outputs, and the plant exit guide.
-- Same units as 0002 (grams, céntimos, tenths of %, hundredths of %).
-- Segregation: every document carries one status and one program set
-- (JSON array, sorted), copied from what it consumes and checked equal.
-- Nothing is deleted; documents are annulled with a reason.

-- Guía de remisión (issued by the cooperative).
CREATE TABLE dispatches (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id),
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	transfer_on TEXT NOT NULL,
	recipient_org_id INTEGER NOT NULL REFERENCES organizations (id),
	departure_address TEXT NOT NULL DEFAULT '',
	arrival_address TEXT NOT NULL DEFAULT '',
	reason INTEGER NOT NULL CHECK (reason BETWEEN 1 AND 8),
	reason_other TEXT NOT NULL DEFAULT '',
	carrier_name TEXT NOT NULL DEFAULT '',
	carrier_doc TEXT NOT NULL DEFAULT '', -- RUC or DNI
	carrier_plate TEXT NOT NULL DEFAULT '',
	carrier_licence TEXT NOT NULL DEFAULT '',
	carrier_brand TEXT NOT NULL DEFAULT '',
	carrier_mtc TEXT NOT NULL DEFAULT '',
	lot_code TEXT NOT NULL,               -- item code, e.g. CO-2365
	description TEXT NOT NULL,            -- Café pergamino - orgánico
	unit TEXT NOT NULL DEFAULT 'Sacos',
	status TEXT NOT NULL CHECK (status IN ('organic', 'transition', 'conventional')),
	programs TEXT NOT NULL DEFAULT '[]',
	sacks INTEGER NOT NULL CHECK (sacks >= 1),          -- declared
	declared_g INTEGER NOT NULL CHECK (declared_g > 0), -- declared weight
	notes_sacks INTEGER NOT NULL,                       -- sum over its notes
	notes_g INTEGER NOT NULL,                           -- sum of net weights
	observations TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id)
) STRICT;
CREATE INDEX dispatches_recipient ON dispatches (recipient_org_id, id);

-- The warehouse notes that make up a dispatch's lot.  A note is in at most
-- one live dispatch: live turns 0 when its dispatch is annulled.
CREATE TABLE dispatch_notes (
	dispatch_id INTEGER NOT NULL REFERENCES dispatches (id),
	organization_id INTEGER NOT NULL,
	note_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	live INTEGER NOT NULL DEFAULT 1 CHECK (live IN (0, 1)),
	PRIMARY KEY (dispatch_id, note_id),
	FOREIGN KEY (organization_id, note_id)
	    REFERENCES warehouse_notes (organization_id, id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX dispatch_notes_live ON dispatch_notes (note_id) WHERE live = 1;

-- Guía de ingreso a planta procesadora + registro de recepción (issued by
-- the plant against a dispatch addressed to it).
CREATE TABLE plant_receipts (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id), -- plant
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	dispatch_id INTEGER NOT NULL REFERENCES dispatches (id),
	client_org_id INTEGER NOT NULL REFERENCES organizations (id),
	carrier_name TEXT NOT NULL DEFAULT '',
	vehicle_plate TEXT NOT NULL DEFAULT '',
	product TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('organic', 'transition', 'conventional')),
	programs TEXT NOT NULL DEFAULT '[]',
	sacks INTEGER NOT NULL CHECK (sacks >= 1),
	gross_g INTEGER NOT NULL CHECK (gross_g > 0),
	tare_g INTEGER NOT NULL CHECK (tare_g >= 0),
	net_g INTEGER NOT NULL CHECK (net_g > 0 AND net_g = gross_g - tare_g),
	yield_pct INTEGER,        -- rendimiento, hundredths of %
	humidity INTEGER,         -- tenths of %
	subproduct_pct INTEGER,   -- hundredths of %
	husk_pct INTEGER,         -- hundredths of %
	cup_score INTEGER,        -- SCAA, hundredths (83.00 = 8300)
	observations TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id)
) STRICT;
CREATE UNIQUE INDEX plant_receipts_live ON plant_receipts (dispatch_id)
    WHERE annulled_at IS NULL;
CREATE INDEX plant_receipts_client ON plant_receipts (client_org_id, id);

-- Orden de proceso (cooperative -> plant).
CREATE TABLE process_orders (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id), -- coop
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	plant_org_id INTEGER NOT NULL REFERENCES organizations (id),
	contract TEXT NOT NULL DEFAULT '',      -- P17446
	process_type TEXT NOT NULL DEFAULT '',  -- ORG
	quality TEXT NOT NULL DEFAULT '',       -- Preparación a 10 defectos
	status TEXT NOT NULL CHECK (status IN ('organic', 'transition', 'conventional')),
	programs TEXT NOT NULL DEFAULT '[]',
	input_g INTEGER NOT NULL CHECK (input_g > 0),
	observations TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id)
) STRICT;
CREATE INDEX process_orders_plant ON process_orders (plant_org_id, id);

-- The kilos of each plant receipt an order consumes.  Live consumption of
-- a receipt never exceeds its net weight (checked by the service inside
-- the write transaction).
CREATE TABLE process_order_inputs (
	process_order_id INTEGER NOT NULL REFERENCES process_orders (id),
	plant_receipt_id INTEGER NOT NULL REFERENCES plant_receipts (id),
	kilos_g INTEGER NOT NULL CHECK (kilos_g > 0),
	live INTEGER NOT NULL DEFAULT 1 CHECK (live IN (0, 1)),
	PRIMARY KEY (process_order_id, plant_receipt_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX process_order_inputs_receipt
    ON process_order_inputs (plant_receipt_id) WHERE live = 1;

-- Orden de marcado de sacos (cooperative -> plant), for a process order.
CREATE TABLE marking_orders (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id),
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	process_order_id INTEGER NOT NULL REFERENCES process_orders (id),
	sacks INTEGER NOT NULL CHECK (sacks >= 1),
	marks TEXT NOT NULL,            -- text printed on the sacks
	ico_mark TEXT NOT NULL DEFAULT '', -- 30/861/1544
	organic_lot TEXT NOT NULL DEFAULT '', -- 004-17
	contract TEXT NOT NULL DEFAULT '',
	net_per_sack_g INTEGER NOT NULL CHECK (net_per_sack_g > 0),
	delivery_on TEXT,
	delivery_place TEXT NOT NULL DEFAULT '',
	observation TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id)
) STRICT;

-- Liquidación de orden de proceso (LOP, issued by the plant): one live per
-- process order; its outputs add up exactly to its input.
CREATE TABLE process_settlements (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id), -- plant
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	process_order_id INTEGER NOT NULL REFERENCES process_orders (id),
	client_org_id INTEGER NOT NULL REFERENCES organizations (id),
	contract TEXT NOT NULL DEFAULT '',
	process_type TEXT NOT NULL DEFAULT '',
	characteristics TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('organic', 'transition', 'conventional')),
	programs TEXT NOT NULL DEFAULT '[]',
	input_g INTEGER NOT NULL CHECK (input_g > 0),
	lot_code TEXT NOT NULL, -- finished-product lot assigned by the plant
	observations TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id)
) STRICT;
CREATE UNIQUE INDEX process_settlements_live
    ON process_settlements (process_order_id) WHERE annulled_at IS NULL;
CREATE INDEX process_settlements_client ON process_settlements (client_org_id, id);

CREATE TABLE process_settlement_outputs (
	process_settlement_id INTEGER NOT NULL REFERENCES process_settlements (id),
	category TEXT NOT NULL CHECK (category IN ('export', 'export_mc',
	    'second', 'machine_discard', 'sorting_discard', 'bola', 'cisco',
	    'stones', 'husk', 'shrinkage')),
	kilos_g INTEGER NOT NULL CHECK (kilos_g >= 0),
	PRIMARY KEY (process_settlement_id, category)
) STRICT, WITHOUT ROWID;

-- Guía de salida de planta procesadora (issued by the plant): takes export
-- coffee of one LOP to its destination (port warehouse).
CREATE TABLE plant_exits (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id), -- plant
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	process_settlement_id INTEGER NOT NULL REFERENCES process_settlements (id),
	client_org_id INTEGER NOT NULL REFERENCES organizations (id),
	destination TEXT NOT NULL,          -- Unimar
	destination_address TEXT NOT NULL DEFAULT '',
	carrier_name TEXT NOT NULL DEFAULT '',
	carrier_doc TEXT NOT NULL DEFAULT '',
	carrier_plate TEXT NOT NULL DEFAULT '',
	carrier_licence TEXT NOT NULL DEFAULT '',
	carrier_brand TEXT NOT NULL DEFAULT '',
	carrier_mtc TEXT NOT NULL DEFAULT '',
	lot_code TEXT NOT NULL,             -- 004-17
	product_description TEXT NOT NULL,  -- with the marks
	status TEXT NOT NULL CHECK (status IN ('organic', 'transition', 'conventional')),
	programs TEXT NOT NULL DEFAULT '[]',
	sacks INTEGER NOT NULL CHECK (sacks >= 1),
	gross_g INTEGER NOT NULL CHECK (gross_g > 0),
	tare_g INTEGER NOT NULL CHECK (tare_g >= 0),
	net_g INTEGER NOT NULL CHECK (net_g > 0 AND net_g = gross_g - tare_g),
	observations TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id)
) STRICT;
CREATE INDEX plant_exits_settlement ON plant_exits (process_settlement_id)
    WHERE annulled_at IS NULL;
CREATE INDEX plant_exits_client ON plant_exits (client_org_id, id);

CREATE TRIGGER dispatches_no_delete BEFORE DELETE ON dispatches
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER plant_receipts_no_delete BEFORE DELETE ON plant_receipts
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER process_orders_no_delete BEFORE DELETE ON process_orders
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER marking_orders_no_delete BEFORE DELETE ON marking_orders
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER process_settlements_no_delete BEFORE DELETE ON process_settlements
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER plant_exits_no_delete BEFORE DELETE ON plant_exits
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER process_settlement_outputs_fixed
BEFORE UPDATE ON process_settlement_outputs
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
