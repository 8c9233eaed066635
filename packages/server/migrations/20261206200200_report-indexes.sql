-- Reports read a period of requests (both desks' records by when they were received), of linkage items
-- (by when they were opened) and of their events; without these every report scans the tables whole.
CREATE INDEX requests_received_idx ON requests (received_at);
CREATE INDEX linkage_items_created_idx ON linkage_items (created_at);
CREATE INDEX linkage_events_at_idx ON linkage_events (at, type);
CREATE INDEX work_order_actions_return_idx ON work_order_actions (at) WHERE action = 'return';
