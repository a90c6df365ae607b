-- Orders: a committed reservation's units can come back on hand once (an order cancelled after
-- payment, an approved return), recorded as a 'restocked' movement.
ALTER TABLE inventory.reservations ADD COLUMN restocked_at timestamptz;

ALTER TABLE inventory.stock_movements DROP CONSTRAINT stock_movements_reason_check;
ALTER TABLE inventory.stock_movements ADD CONSTRAINT stock_movements_reason_check
    CHECK (reason IN ('received', 'adjusted', 'reserved', 'released', 'committed', 'expired', 'restocked'));
