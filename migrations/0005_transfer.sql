-- Transfer stage: what 0003 left to the service, now also in the
-- database.  An issued guía de remisión or guía de ingreso is immutable
-- (only the annulment columns may change, once), as the acopio (0002) and
-- process (0004) documents are; a note stops travelling with its guía only
-- when the guía is annulled, and is never removed from it; segregation
-- holds row by row: a note joins a guía only with the guía's status and
-- programs, and a plant receipt copies its guía's, for the plant the guía
-- is addressed to.

CREATE TRIGGER dispatches_immutable BEFORE UPDATE ON dispatches
WHEN OLD.annulled_at IS NOT NULL OR NEW.id IS NOT OLD.id
  OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.series IS NOT OLD.series OR NEW.number IS NOT OLD.number
  OR NEW.issued_on IS NOT OLD.issued_on
  OR NEW.transfer_on IS NOT OLD.transfer_on
  OR NEW.recipient_org_id IS NOT OLD.recipient_org_id
  OR NEW.departure_address IS NOT OLD.departure_address
  OR NEW.arrival_address IS NOT OLD.arrival_address
  OR NEW.reason IS NOT OLD.reason OR NEW.reason_other IS NOT OLD.reason_other
  OR NEW.carrier_name IS NOT OLD.carrier_name
  OR NEW.carrier_doc IS NOT OLD.carrier_doc
  OR NEW.carrier_plate IS NOT OLD.carrier_plate
  OR NEW.carrier_licence IS NOT OLD.carrier_licence
  OR NEW.carrier_brand IS NOT OLD.carrier_brand
  OR NEW.carrier_mtc IS NOT OLD.carrier_mtc
  OR NEW.lot_code IS NOT OLD.lot_code
  OR NEW.description IS NOT OLD.description OR NEW.unit IS NOT OLD.unit
  OR NEW.status IS NOT OLD.status OR NEW.programs IS NOT OLD.programs
  OR NEW.sacks IS NOT OLD.sacks OR NEW.declared_g IS NOT OLD.declared_g
  OR NEW.notes_sacks IS NOT OLD.notes_sacks
  OR NEW.notes_g IS NOT OLD.notes_g
  OR NEW.observations IS NOT OLD.observations
  OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at IS NOT OLD.created_at
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER plant_receipts_immutable BEFORE UPDATE ON plant_receipts
WHEN OLD.annulled_at IS NOT NULL OR NEW.id IS NOT OLD.id
  OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.series IS NOT OLD.series OR NEW.number IS NOT OLD.number
  OR NEW.issued_on IS NOT OLD.issued_on
  OR NEW.dispatch_id IS NOT OLD.dispatch_id
  OR NEW.client_org_id IS NOT OLD.client_org_id
  OR NEW.carrier_name IS NOT OLD.carrier_name
  OR NEW.vehicle_plate IS NOT OLD.vehicle_plate
  OR NEW.product IS NOT OLD.product
  OR NEW.status IS NOT OLD.status OR NEW.programs IS NOT OLD.programs
  OR NEW.sacks IS NOT OLD.sacks OR NEW.gross_g IS NOT OLD.gross_g
  OR NEW.tare_g IS NOT OLD.tare_g OR NEW.net_g IS NOT OLD.net_g
  OR NEW.yield_pct IS NOT OLD.yield_pct OR NEW.humidity IS NOT OLD.humidity
  OR NEW.subproduct_pct IS NOT OLD.subproduct_pct
  OR NEW.husk_pct IS NOT OLD.husk_pct OR NEW.cup_score IS NOT OLD.cup_score
  OR NEW.observations IS NOT OLD.observations
  OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at IS NOT OLD.created_at
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER dispatch_notes_fixed BEFORE UPDATE ON dispatch_notes
WHEN NEW.dispatch_id IS NOT OLD.dispatch_id
  OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.note_id IS NOT OLD.note_id OR NEW.position IS NOT OLD.position
  OR NOT (OLD.live = 1 AND NEW.live = 0)
  OR NOT EXISTS (SELECT 1 FROM dispatches d
      WHERE d.id = OLD.dispatch_id AND d.annulled_at IS NOT NULL)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER dispatch_notes_no_delete BEFORE DELETE ON dispatch_notes
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;

-- A note joins a live guía of its own organization, with the guía's
-- status and programs (a note's program is one name, or '' for none).
CREATE TRIGGER dispatch_notes_segregated BEFORE INSERT ON dispatch_notes
WHEN NOT EXISTS (SELECT 1 FROM dispatches d
      JOIN warehouse_notes n ON n.id = NEW.note_id
       AND n.organization_id = NEW.organization_id
      JOIN receptions r ON r.organization_id = n.organization_id
       AND r.id = n.reception_id
      WHERE d.id = NEW.dispatch_id AND d.organization_id = NEW.organization_id
        AND d.annulled_at IS NULL AND n.annulled_at IS NULL
        AND r.status = d.status
        AND d.programs = CASE n.certification_program WHEN '' THEN '[]'
            ELSE json_array(n.certification_program) END)
BEGIN
	SELECT RAISE(ABORT, 'a lot combines one status and one program set');
END;

-- A receipt is the addressed plant's, for the guía's issuer, and keeps
-- the guía's status and programs.
CREATE TRIGGER plant_receipts_segregated BEFORE INSERT ON plant_receipts
WHEN NOT EXISTS (SELECT 1 FROM dispatches d
      WHERE d.id = NEW.dispatch_id AND d.annulled_at IS NULL
        AND d.recipient_org_id = NEW.organization_id
        AND d.organization_id = NEW.client_org_id
        AND d.status = NEW.status AND d.programs = NEW.programs)
BEGIN
	SELECT RAISE(ABORT, 'a receipt is of a live guía addressed to the plant');
END;
