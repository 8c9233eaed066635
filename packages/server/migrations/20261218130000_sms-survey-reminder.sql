-- One reminder of an unanswered 回访 survey (docs/sms.md): the reminder is a survey of its own that names
-- the one it reminds of; answering either is the order's 回访.
ALTER TABLE sms_messages ADD COLUMN reminder_of uuid REFERENCES sms_messages (id);
CREATE UNIQUE INDEX sms_messages_one_reminder ON sms_messages (reminder_of) WHERE reminder_of IS NOT NULL;
