-- Process stage: what 0003 left to the service, now also in the database.
-- Issued process orders, marking orders, LOPs and exit guides are
-- immutable (only the annulment columns may change, once), as the acopio
-- documents are (0002); a process order's inputs only stop consuming
-- their receipt when the order is annulled; inputs and outputs are never
-- deleted; a process order has at most one live marking order.
-- Like the acopio documents, each keeps its parties (issuer and
-- counterpart) as printed at issue: a reprint shows them as they were,
-- whatever the registry says later.

ALTER TABLE process_orders ADD COLUMN parties TEXT NOT NULL DEFAULT '{}';
ALTER TABLE marking_orders ADD COLUMN parties TEXT NOT NULL DEFAULT '{}';
ALTER TABLE process_settlements ADD COLUMN parties TEXT NOT NULL DEFAULT '{}';
ALTER TABLE plant_exits ADD COLUMN parties TEXT NOT NULL DEFAULT '{}';

CREATE TRIGGER process_orders_immutable BEFORE UPDATE ON process_orders
WHEN OLD.annulled_at IS NOT NULL OR NEW.id IS NOT OLD.id
  OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.series IS NOT OLD.series OR NEW.number IS NOT OLD.number
  OR NEW.issued_on IS NOT OLD.issued_on
  OR NEW.plant_org_id IS NOT OLD.plant_org_id
  OR NEW.contract IS NOT OLD.contract
  OR NEW.process_type IS NOT OLD.process_type
  OR NEW.quality IS NOT OLD.quality OR NEW.status IS NOT OLD.status
  OR NEW.programs IS NOT OLD.programs OR NEW.input_g IS NOT OLD.input_g
  OR NEW.observations IS NOT OLD.observations
  OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.parties <> '{}' AND NEW.parties IS NOT OLD.parties)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER process_order_inputs_fixed BEFORE UPDATE ON process_order_inputs
WHEN NEW.process_order_id IS NOT OLD.process_order_id
  OR NEW.plant_receipt_id IS NOT OLD.plant_receipt_id
  OR NEW.kilos_g IS NOT OLD.kilos_g
  OR NOT (OLD.live = 1 AND NEW.live = 0)
  OR NOT EXISTS (SELECT 1 FROM process_orders o
      WHERE o.id = OLD.process_order_id AND o.annulled_at IS NOT NULL)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER marking_orders_immutable BEFORE UPDATE ON marking_orders
WHEN OLD.annulled_at IS NOT NULL OR NEW.id IS NOT OLD.id
  OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.series IS NOT OLD.series OR NEW.number IS NOT OLD.number
  OR NEW.issued_on IS NOT OLD.issued_on
  OR NEW.process_order_id IS NOT OLD.process_order_id
  OR NEW.sacks IS NOT OLD.sacks OR NEW.marks IS NOT OLD.marks
  OR NEW.ico_mark IS NOT OLD.ico_mark
  OR NEW.organic_lot IS NOT OLD.organic_lot
  OR NEW.contract IS NOT OLD.contract
  OR NEW.net_per_sack_g IS NOT OLD.net_per_sack_g
  OR NEW.delivery_on IS NOT OLD.delivery_on
  OR NEW.delivery_place IS NOT OLD.delivery_place
  OR NEW.observation IS NOT OLD.observation
  OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.parties <> '{}' AND NEW.parties IS NOT OLD.parties)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER process_settlements_immutable BEFORE UPDATE ON process_settlements
WHEN OLD.annulled_at IS NOT NULL OR NEW.id IS NOT OLD.id
  OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.series IS NOT OLD.series OR NEW.number IS NOT OLD.number
  OR NEW.issued_on IS NOT OLD.issued_on
  OR NEW.process_order_id IS NOT OLD.process_order_id
  OR NEW.client_org_id IS NOT OLD.client_org_id
  OR NEW.contract IS NOT OLD.contract
  OR NEW.process_type IS NOT OLD.process_type
  OR NEW.characteristics IS NOT OLD.characteristics
  OR NEW.status IS NOT OLD.status OR NEW.programs IS NOT OLD.programs
  OR NEW.input_g IS NOT OLD.input_g OR NEW.lot_code IS NOT OLD.lot_code
  OR NEW.observations IS NOT OLD.observations
  OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.parties <> '{}' AND NEW.parties IS NOT OLD.parties)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER plant_exits_immutable BEFORE UPDATE ON plant_exits
WHEN OLD.annulled_at IS NOT NULL OR NEW.id IS NOT OLD.id
  OR NEW.organization_id IS NOT OLD.organization_id
  OR NEW.series IS NOT OLD.series OR NEW.number IS NOT OLD.number
  OR NEW.issued_on IS NOT OLD.issued_on
  OR NEW.process_settlement_id IS NOT OLD.process_settlement_id
  OR NEW.client_org_id IS NOT OLD.client_org_id
  OR NEW.destination IS NOT OLD.destination
  OR NEW.destination_address IS NOT OLD.destination_address
  OR NEW.carrier_name IS NOT OLD.carrier_name
  OR NEW.carrier_doc IS NOT OLD.carrier_doc
  OR NEW.carrier_plate IS NOT OLD.carrier_plate
  OR NEW.carrier_licence IS NOT OLD.carrier_licence
  OR NEW.carrier_brand IS NOT OLD.carrier_brand
  OR NEW.carrier_mtc IS NOT OLD.carrier_mtc
  OR NEW.lot_code IS NOT OLD.lot_code
  OR NEW.product_description IS NOT OLD.product_description
  OR NEW.status IS NOT OLD.status OR NEW.programs IS NOT OLD.programs
  OR NEW.sacks IS NOT OLD.sacks OR NEW.gross_g IS NOT OLD.gross_g
  OR NEW.tare_g IS NOT OLD.tare_g OR NEW.net_g IS NOT OLD.net_g
  OR NEW.observations IS NOT OLD.observations
  OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.parties <> '{}' AND NEW.parties IS NOT OLD.parties)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are immutable');
END;

CREATE TRIGGER process_order_inputs_no_delete BEFORE DELETE ON process_order_inputs
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;
CREATE TRIGGER process_settlement_outputs_no_delete
BEFORE DELETE ON process_settlement_outputs
BEGIN SELECT RAISE(ABORT, 'documents are never deleted'); END;

CREATE UNIQUE INDEX marking_orders_live ON marking_orders (process_order_id)
    WHERE annulled_at IS NULL;
