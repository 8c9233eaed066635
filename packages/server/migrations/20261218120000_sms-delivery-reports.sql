-- Delivery reports (状态报告) from the SMS gateway (docs/sms.md): whether the text reached the phone.
-- "sent" stays what it was: the gateway took it. A delivered text is final; a report of failure after
-- it changes nothing.
ALTER TABLE sms_messages ADD COLUMN delivered_at timestamptz;
ALTER TABLE sms_messages ADD COLUMN undelivered_at timestamptz;
ALTER TABLE sms_messages ADD COLUMN delivery_error text CHECK (delivery_error IS NULL OR length(delivery_error) <= 200);
-- the gateway's id of the last report recorded (the same report twice is a duplicate)
ALTER TABLE sms_messages ADD COLUMN report_ref text;
ALTER TABLE sms_messages ADD CONSTRAINT sms_delivery_once CHECK (delivered_at IS NULL OR undelivered_at IS NULL);
