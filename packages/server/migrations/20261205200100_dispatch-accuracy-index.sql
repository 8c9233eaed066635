-- 派单准确率 reads the orders concluded (办结) in a period: an index on the reply time.
CREATE INDEX work_orders_replied_idx ON work_orders (replied_at) WHERE replied_at IS NOT NULL;
