-- H2 (the memory backend): as db/migration/postgresql, in H2's types.
-- Each user's data keys, wrapped by the master key. Sensitive free-form fields are sealed with
-- them; destroying a user's keys makes every copy of those fields unreadable (crypto-shredding).
CREATE TABLE user_keys (
    id          uuid        PRIMARY KEY,
    created_at  timestamp   NOT NULL,
    version     bigint      NOT NULL,
    user_id     varchar(128) NOT NULL,
    wrapped_key varchar(200) NOT NULL
);
CREATE INDEX user_keys_user ON user_keys (user_id, created_at);
