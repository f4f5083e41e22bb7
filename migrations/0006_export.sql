-- Export stage: export lots with their ICO marks, and shipments (the
-- registro de exportaciones).  The exporter is the organization that owns
-- the green coffee: the client of the LOPs the lot draws on (often the
-- cooperative itself, as in the guide).  Like every issued document, an
-- export lot and a shipment are immutable once issued (only the annulment
-- columns may change, once), keep their parties as printed, and their
-- source and item rows are never deleted: a row only stops counting
-- (live = 0) when its document is annulled.

-- The exporter's ICO code (the middle part of 30/861/1544) and the
-- country code; the per-exporter sequence comes from the numbering service
-- (doc_type 'ico-mark'), so its start is configurable like any other.
ALTER TABLE org_settings ADD COLUMN ico_exporter_code TEXT NOT NULL DEFAULT ''
    CHECK (ico_exporter_code = '' OR
        (length(ico_exporter_code) BETWEEN 1 AND 6 AND
         ico_exporter_code NOT GLOB '*[^0-9]*'));
ALTER TABLE org_settings ADD COLUMN ico_country_code INTEGER NOT NULL DEFAULT 30
    CHECK (ico_country_code BETWEEN 1 AND 999);

-- Lote de exportación: one status and one program set (segregation), from
-- the export outputs of one or more live LOPs of the exporter's coffee.
CREATE TABLE export_lots (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id), -- exporter
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	organic_lot TEXT NOT NULL CHECK (length(organic_lot) BETWEEN 1 AND 40),
	ico_country INTEGER NOT NULL,
	ico_exporter TEXT NOT NULL,
	ico_sequence INTEGER NOT NULL CHECK (ico_sequence >= 1),
	ico_mark TEXT NOT NULL, -- '30/861/1544'
	contract TEXT NOT NULL DEFAULT '',
	buyer TEXT NOT NULL DEFAULT '',
	preparation TEXT NOT NULL DEFAULT '', -- e.g. 'Preparación a 10 defectos'
	defects INTEGER CHECK (defects IS NULL OR defects >= 0),
	cup_score INTEGER CHECK (cup_score IS NULL OR cup_score BETWEEN 0 AND 10000), -- hundredths
	status TEXT NOT NULL CHECK (status IN ('organic', 'transition', 'conventional')),
	programs TEXT NOT NULL DEFAULT '[]',
	sacks INTEGER NOT NULL CHECK (sacks > 0),
	kilos_g INTEGER NOT NULL CHECK (kilos_g > 0),
	net_per_sack_g INTEGER NOT NULL DEFAULT 69000 CHECK (net_per_sack_g > 0),
	marks TEXT NOT NULL DEFAULT '', -- what the sacks carry
	observations TEXT NOT NULL DEFAULT '',
	parties TEXT NOT NULL DEFAULT '{}',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id)
) STRICT;
-- An ICO mark is never reused, even after an annulment.
CREATE UNIQUE INDEX export_lots_ico ON export_lots (ico_country, ico_exporter, ico_sequence);
CREATE UNIQUE INDEX export_lots_organic_lot
    ON export_lots (organization_id, organic_lot) WHERE annulled_at IS NULL;
CREATE INDEX export_lots_contract ON export_lots (organization_id, contract);

-- Which LOP output (export or export_mc) the lot draws on, and how much.
CREATE TABLE export_lot_sources (
	id INTEGER PRIMARY KEY,
	export_lot_id INTEGER NOT NULL REFERENCES export_lots (id),
	process_settlement_id INTEGER NOT NULL REFERENCES process_settlements (id),
	category TEXT NOT NULL CHECK (category IN ('export', 'export_mc')),
	kilos_g INTEGER NOT NULL CHECK (kilos_g > 0),
	live INTEGER NOT NULL DEFAULT 1 CHECK (live IN (0, 1)),
	UNIQUE (export_lot_id, process_settlement_id, category)
) STRICT;
CREATE INDEX export_lot_sources_lop ON export_lot_sources (process_settlement_id, live);

-- Registro de exportaciones: one shipment (invoice + bill of lading) of
-- one or more export lots.
CREATE TABLE shipments (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id), -- exporter
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	contract TEXT NOT NULL DEFAULT '',
	buyer_name TEXT NOT NULL CHECK (length(buyer_name) BETWEEN 1 AND 200),
	buyer_country TEXT NOT NULL DEFAULT '', -- ISO 3166-1 alpha-2
	invoice_number TEXT NOT NULL DEFAULT '',
	invoice_lot_ref TEXT NOT NULL DEFAULT '', -- organic lot as the invoice prints it
	bl_number TEXT NOT NULL DEFAULT '',
	bl_lot_ref TEXT NOT NULL DEFAULT '', -- organic lot as the BL prints it
	vessel TEXT NOT NULL DEFAULT '',
	booking TEXT NOT NULL DEFAULT '',
	container TEXT NOT NULL DEFAULT '',
	seal TEXT NOT NULL DEFAULT '',
	port_loading TEXT NOT NULL DEFAULT '',
	port_destination TEXT NOT NULL DEFAULT '',
	shipped_on TEXT, -- date of the BL
	quality TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('organic', 'transition', 'conventional')),
	programs TEXT NOT NULL DEFAULT '[]',
	sacks INTEGER NOT NULL CHECK (sacks > 0),
	kilos_g INTEGER NOT NULL CHECK (kilos_g > 0),
	gross_g INTEGER CHECK (gross_g IS NULL OR gross_g > 0),
	observations TEXT NOT NULL DEFAULT '',
	parties TEXT NOT NULL DEFAULT '{}',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id)
) STRICT;
CREATE INDEX shipments_contract ON shipments (organization_id, contract);

CREATE TABLE shipment_lots (
	id INTEGER PRIMARY KEY,
	shipment_id INTEGER NOT NULL REFERENCES shipments (id),
	export_lot_id INTEGER NOT NULL REFERENCES export_lots (id),
	sacks INTEGER NOT NULL CHECK (sacks > 0),
	kilos_g INTEGER NOT NULL CHECK (kilos_g > 0),
	live INTEGER NOT NULL DEFAULT 1 CHECK (live IN (0, 1)),
	UNIQUE (shipment_id, export_lot_id)
) STRICT;
CREATE INDEX shipment_lots_lot ON shipment_lots (export_lot_id, live);

CREATE TRIGGER export_lots_immutable BEFORE UPDATE ON export_lots
WHEN OLD.annulled_at IS NOT NULL OR NEW.id IS NOT OLD.id
  OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.series IS NOT OLD.series OR NEW.number IS NOT OLD.number
  OR NEW.issued_on IS NOT OLD.issued_on
  OR NEW.organic_lot IS NOT OLD.organic_lot
  OR NEW.ico_country IS NOT OLD.ico_country
  OR NEW.ico_exporter IS NOT OLD.ico_exporter
  OR NEW.ico_sequence IS NOT OLD.ico_sequence
  OR NEW.ico_mark IS NOT OLD.ico_mark
  OR NEW.contract IS NOT OLD.contract OR NEW.buyer IS NOT OLD.buyer
  OR NEW.preparation IS NOT OLD.preparation
  OR NEW.defects IS NOT OLD.defects OR NEW.cup_score IS NOT OLD.cup_score
  OR NEW.status IS NOT OLD.status OR NEW.programs IS NOT OLD.programs
  OR NEW.sacks IS NOT OLD.sacks OR NEW.kilos_g IS NOT OLD.kilos_g
  OR NEW.net_per_sack_g IS NOT OLD.net_per_sack_g
  OR NEW.marks IS NOT OLD.marks
  OR NEW.observations IS NOT OLD.observations
  OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.parties <> '{}' AND NEW.parties IS NOT OLD.parties)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER shipments_immutable BEFORE UPDATE ON shipments
WHEN OLD.annulled_at IS NOT NULL OR NEW.id IS NOT OLD.id
  OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.series IS NOT OLD.series OR NEW.number IS NOT OLD.number
  OR NEW.issued_on IS NOT OLD.issued_on
  OR NEW.contract IS NOT OLD.contract
  OR NEW.buyer_name IS NOT OLD.buyer_name
  OR NEW.buyer_country IS NOT OLD.buyer_country
  OR NEW.invoice_number IS NOT OLD.invoice_number
  OR NEW.invoice_lot_ref IS NOT OLD.invoice_lot_ref
  OR NEW.bl_number IS NOT OLD.bl_number
  OR NEW.bl_lot_ref IS NOT OLD.bl_lot_ref
  OR NEW.vessel IS NOT OLD.vessel OR NEW.booking IS NOT OLD.booking
  OR NEW.container IS NOT OLD.container OR NEW.seal IS NOT OLD.seal
  OR NEW.port_loading IS NOT OLD.port_loading
  OR NEW.port_destination IS NOT OLD.port_destination
  OR NEW.shipped_on IS NOT OLD.shipped_on
  OR NEW.quality IS NOT OLD.quality
  OR NEW.status IS NOT OLD.status OR NEW.programs IS NOT OLD.programs
  OR NEW.sacks IS NOT OLD.sacks OR NEW.kilos_g IS NOT OLD.kilos_g
  OR NEW.gross_g IS NOT OLD.gross_g
  OR NEW.observations IS NOT OLD.observations
  OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.parties <> '{}' AND NEW.parties IS NOT OLD.parties)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

-- Source and item rows: fixed, except going from live to not live when
-- (and only when) their document is annulled; never deleted.
CREATE TRIGGER export_lot_sources_fixed BEFORE UPDATE ON export_lot_sources
WHEN NEW.export_lot_id IS NOT OLD.export_lot_id
  OR NEW.process_settlement_id IS NOT OLD.process_settlement_id
  OR NEW.category IS NOT OLD.category OR NEW.kilos_g IS NOT OLD.kilos_g
  OR NOT (OLD.live = 1 AND NEW.live = 0)
  OR NOT EXISTS (SELECT 1 FROM export_lots l
      WHERE l.id = OLD.export_lot_id AND l.annulled_at IS NOT NULL)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER shipment_lots_fixed BEFORE UPDATE ON shipment_lots
WHEN NEW.shipment_id IS NOT OLD.shipment_id
  OR NEW.export_lot_id IS NOT OLD.export_lot_id
  OR NEW.sacks IS NOT OLD.sacks OR NEW.kilos_g IS NOT OLD.kilos_g
  OR NOT (OLD.live = 1 AND NEW.live = 0)
  OR NOT EXISTS (SELECT 1 FROM shipments s
      WHERE s.id = OLD.shipment_id AND s.annulled_at IS NOT NULL)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER export_lot_sources_no_delete BEFORE DELETE ON export_lot_sources
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER shipment_lots_no_delete BEFORE DELETE ON shipment_lots
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER export_lots_no_delete BEFORE DELETE ON export_lots
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER shipments_no_delete BEFORE DELETE ON shipments
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
