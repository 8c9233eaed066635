-- One matter, one item (issue 11): opening an item looks up the items of its local record (a work order
-- or an incident), and the 110 queue joins each incident to the item it was accepted from.
CREATE INDEX linkage_items_local_ref_idx ON linkage_items (local_ref) WHERE local_ref IS NOT NULL;
