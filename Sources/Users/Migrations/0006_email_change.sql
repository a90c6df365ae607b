-- Changing an account's address: a token mailed to the new address carries it until confirmed.
ALTER TABLE users.mail_tokens DROP CONSTRAINT mail_tokens_purpose_check;
ALTER TABLE users.mail_tokens ADD CONSTRAINT mail_tokens_purpose_check
    CHECK (purpose IN ('password_reset', 'email_verification', 'email_change'));
ALTER TABLE users.mail_tokens ADD COLUMN new_email text;
ALTER TABLE users.mail_tokens ADD CONSTRAINT mail_tokens_new_email_check
    CHECK ((purpose = 'email_change') = (new_email IS NOT NULL));
