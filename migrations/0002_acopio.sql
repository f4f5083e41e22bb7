-- Acopio stage: the producer registry (producers, plots with estimates,
-- the organization's certifications, the approved producer list per
-- campaign), the organization's purchase settings, and the three acopio
-- documents: reception control (ticket de pesado), warehouse note and
-- purchase settlement.
-- Units: weights in grams, money in céntimos, humidity in tenths of a
-- percent (12.5 % = 125), percentages in hundredths (68 % = 6800), QQ in
-- hundredths (8.56 QQ = 856), areas in m² (1 ha = 10 000 m²).
-- Document dates (issued_on) are the printed dates, 'YYYY-MM-DD'.
-- Nothing is deleted: documents are annulled with a reason.

-- Purchase policy and printing settings of an organization.
CREATE TABLE org_settings (
	organization_id INTEGER PRIMARY KEY REFERENCES organizations (id),
	humidity_min INTEGER NOT NULL DEFAULT 100 CHECK (humidity_min BETWEEN 0 AND 1000),
	humidity_max INTEGER NOT NULL DEFAULT 135 CHECK (humidity_max BETWEEN 0 AND 1000),
	humidity_policy TEXT NOT NULL DEFAULT 'warn'
	    CHECK (humidity_policy IN ('warn', 'refuse')),
	estimate_tolerance_pct INTEGER NOT NULL DEFAULT 10
	    CHECK (estimate_tolerance_pct BETWEEN 0 AND 1000),
	igv_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (igv_rate_bp BETWEEN 0 AND 10000),
	place_of_sale TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	CHECK (humidity_min <= humidity_max)
) STRICT;

CREATE TABLE producers (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id),
	dni TEXT NOT NULL CHECK (length(dni) = 8),
	first_names TEXT NOT NULL CHECK (length(first_names) BETWEEN 1 AND 120),
	last_names TEXT NOT NULL CHECK (length(last_names) BETWEEN 1 AND 120),
	sex TEXT NOT NULL CHECK (sex IN ('F', 'M')),
	caserio TEXT NOT NULL DEFAULT '',
	district TEXT NOT NULL DEFAULT '',
	province TEXT NOT NULL DEFAULT '',
	region TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('organic', 'transition', 'conventional')),
	programs TEXT NOT NULL DEFAULT '[]',         -- JSON array: EU, NOP, JAS, OTHER
	other_certifications TEXT NOT NULL DEFAULT '[]', -- JSON array of names
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (organization_id, dni),
	UNIQUE (organization_id, id)
) STRICT;
CREATE INDEX producers_names ON producers (organization_id, last_names, first_names);

CREATE TABLE plots (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL,
	producer_id INTEGER NOT NULL,
	name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
	area_m2 INTEGER NOT NULL CHECK (area_m2 > 0),
	crop TEXT NOT NULL DEFAULT 'café',
	variety TEXT NOT NULL DEFAULT '',
	altitude_m INTEGER CHECK (altitude_m BETWEEN 0 AND 7000),
	geometry TEXT, -- GeoJSON Point or Polygon (WGS84), validated
	risk_notes TEXT NOT NULL DEFAULT '',
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	FOREIGN KEY (organization_id, producer_id)
	    REFERENCES producers (organization_id, id),
	UNIQUE (organization_id, id)
) STRICT;
CREATE INDEX plots_producer ON plots (organization_id, producer_id);

-- Estimated production of a plot in a campaign (kg pergamino, as grams).
CREATE TABLE plot_estimates (
	organization_id INTEGER NOT NULL,
	plot_id INTEGER NOT NULL,
	campaign INTEGER NOT NULL CHECK (campaign BETWEEN 2000 AND 2100),
	estimated_g INTEGER NOT NULL CHECK (estimated_g >= 0),
	PRIMARY KEY (organization_id, plot_id, campaign),
	FOREIGN KEY (organization_id, plot_id) REFERENCES plots (organization_id, id)
) STRICT, WITHOUT ROWID;

-- The organization's (group) certifications: certifier, program, code and
-- validity.  A producer delivers organic only under a valid one.
CREATE TABLE certifications (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL REFERENCES organizations (id),
	certifier TEXT NOT NULL CHECK (length(certifier) BETWEEN 1 AND 120),
	program TEXT NOT NULL CHECK (program IN ('EU', 'NOP', 'JAS', 'OTHER')),
	code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 60),
	valid_from TEXT NOT NULL,
	valid_to TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	CHECK (valid_from <= valid_to),
	UNIQUE (organization_id, id)
) STRICT;

-- Lista de Productores Aprobados: membership per campaign.  Withdrawing a
-- producer keeps the row (withdrawn_on, reason).
CREATE TABLE lpa_entries (
	organization_id INTEGER NOT NULL,
	campaign INTEGER NOT NULL CHECK (campaign BETWEEN 2000 AND 2100),
	producer_id INTEGER NOT NULL,
	approved_on TEXT NOT NULL,
	approved_by INTEGER NOT NULL REFERENCES users (id),
	withdrawn_on TEXT,
	withdrawn_by INTEGER REFERENCES users (id),
	withdrawn_reason TEXT,
	PRIMARY KEY (organization_id, campaign, producer_id),
	FOREIGN KEY (organization_id, producer_id)
	    REFERENCES producers (organization_id, id)
) STRICT, WITHOUT ROWID;

-- Control de recepción de materia prima (ticket de pesado).
CREATE TABLE receptions (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL,
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	campaign INTEGER NOT NULL,
	producer_id INTEGER NOT NULL,
	plot_id INTEGER,
	delivery_code TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('organic', 'transition', 'conventional')),
	sacks INTEGER NOT NULL CHECK (sacks >= 1),
	gross_g INTEGER NOT NULL CHECK (gross_g > 0),
	tare_g INTEGER NOT NULL CHECK (tare_g >= 0),
	net_g INTEGER NOT NULL CHECK (net_g > 0 AND net_g = gross_g - tare_g),
	qq_centi INTEGER NOT NULL,
	sample_g INTEGER NOT NULL CHECK (sample_g >= 0),
	exportable_g INTEGER NOT NULL CHECK (exportable_g >= 0),
	discard_g INTEGER NOT NULL CHECK (discard_g >= 0),
	husk_g INTEGER NOT NULL CHECK (husk_g >= 0),
	exportable_pct INTEGER NOT NULL,
	discard_pct INTEGER NOT NULL,
	husk_pct INTEGER NOT NULL,
	humidity INTEGER NOT NULL CHECK (humidity BETWEEN 0 AND 1000),
	humidity_warning INTEGER NOT NULL DEFAULT 0 CHECK (humidity_warning IN (0, 1)),
	over_estimate INTEGER NOT NULL DEFAULT 0 CHECK (over_estimate IN (0, 1)),
	observations TEXT NOT NULL DEFAULT '',
	weighed_by TEXT NOT NULL DEFAULT '',
	-- The organization, producer and plot as printed at issue (JSON):
	-- reprints show them as they were, whatever the registry says later.
	parties TEXT NOT NULL DEFAULT '{}',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	CHECK (exportable_g + discard_g + husk_g = sample_g),
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id),
	FOREIGN KEY (organization_id, producer_id)
	    REFERENCES producers (organization_id, id),
	FOREIGN KEY (organization_id, plot_id) REFERENCES plots (organization_id, id)
) STRICT;
CREATE INDEX receptions_producer
    ON receptions (organization_id, producer_id, campaign);
CREATE INDEX receptions_date ON receptions (organization_id, issued_on, id);

-- Nota de ingreso a almacén de acopio: one live note per reception.
CREATE TABLE warehouse_notes (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL,
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	reception_id INTEGER NOT NULL,
	price_centimos INTEGER NOT NULL CHECK (price_centimos > 0), -- per QQ
	yield_pct INTEGER NOT NULL,       -- rendimiento, hundredths of %
	total_centimos INTEGER NOT NULL CHECK (total_centimos >= 0),
	certification_program TEXT NOT NULL DEFAULT '',
	certifier TEXT NOT NULL DEFAULT '',
	observations TEXT NOT NULL DEFAULT '',
	-- The organization, producer and plot as printed at issue (JSON):
	-- reprints show them as they were, whatever the registry says later.
	parties TEXT NOT NULL DEFAULT '{}',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id),
	FOREIGN KEY (organization_id, reception_id)
	    REFERENCES receptions (organization_id, id)
) STRICT;
CREATE UNIQUE INDEX warehouse_notes_live
    ON warehouse_notes (reception_id) WHERE annulled_at IS NULL;

-- Liquidación de compra: one live settlement per note.
CREATE TABLE purchase_settlements (
	id INTEGER PRIMARY KEY,
	organization_id INTEGER NOT NULL,
	series TEXT NOT NULL DEFAULT '',
	number INTEGER NOT NULL,
	issued_on TEXT NOT NULL,
	note_id INTEGER NOT NULL,
	quality TEXT NOT NULL,
	place_of_sale TEXT NOT NULL DEFAULT '',
	qq_centi INTEGER NOT NULL,
	net_g INTEGER NOT NULL,
	humidity INTEGER NOT NULL,
	price_centimos INTEGER NOT NULL,
	subtotal_centimos INTEGER NOT NULL,
	igv_rate_bp INTEGER NOT NULL,
	igv_centimos INTEGER NOT NULL,
	total_centimos INTEGER NOT NULL
	    CHECK (total_centimos = subtotal_centimos + igv_centimos),
	amount_words TEXT NOT NULL,
	-- The organization, producer and plot as printed at issue (JSON):
	-- reprints show them as they were, whatever the registry says later.
	parties TEXT NOT NULL DEFAULT '{}',
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	annulled_at INTEGER,
	annulled_by INTEGER REFERENCES users (id),
	annul_reason TEXT,
	UNIQUE (organization_id, series, number),
	UNIQUE (organization_id, id),
	FOREIGN KEY (organization_id, note_id)
	    REFERENCES warehouse_notes (organization_id, id)
) STRICT;
CREATE UNIQUE INDEX purchase_settlements_live
    ON purchase_settlements (note_id) WHERE annulled_at IS NULL;

-- Issued documents are immutable: only the annulment columns may change,
-- once.
CREATE TRIGGER receptions_immutable BEFORE UPDATE ON receptions
WHEN OLD.annulled_at IS NOT NULL OR NEW.id IS NOT OLD.id
  OR NEW.number IS NOT OLD.number OR NEW.net_g IS NOT OLD.net_g
  OR NEW.producer_id IS NOT OLD.producer_id OR NEW.status IS NOT OLD.status
  OR NEW.issued_on IS NOT OLD.issued_on OR NEW.humidity IS NOT OLD.humidity
  OR NEW.gross_g IS NOT OLD.gross_g OR NEW.tare_g IS NOT OLD.tare_g
  OR NEW.sacks IS NOT OLD.sacks OR NEW.exportable_g IS NOT OLD.exportable_g
  OR (OLD.parties <> '{}' AND NEW.parties IS NOT OLD.parties)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;
CREATE TRIGGER warehouse_notes_immutable BEFORE UPDATE ON warehouse_notes
WHEN OLD.annulled_at IS NOT NULL OR NEW.number IS NOT OLD.number
  OR NEW.reception_id IS NOT OLD.reception_id
  OR NEW.total_centimos IS NOT OLD.total_centimos
  OR NEW.price_centimos IS NOT OLD.price_centimos
  OR (OLD.parties <> '{}' AND NEW.parties IS NOT OLD.parties)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;
CREATE TRIGGER purchase_settlements_immutable BEFORE UPDATE ON purchase_settlements
WHEN OLD.annulled_at IS NOT NULL OR NEW.number IS NOT OLD.number
  OR NEW.note_id IS NOT OLD.note_id OR NEW.total_centimos IS NOT OLD.total_centimos
  OR (OLD.parties <> '{}' AND NEW.parties IS NOT OLD.parties)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;
CREATE TRIGGER receptions_no_delete BEFORE DELETE ON receptions
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER warehouse_notes_no_delete BEFORE DELETE ON warehouse_notes
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER purchase_settlements_no_delete BEFORE DELETE ON purchase_settlements
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
