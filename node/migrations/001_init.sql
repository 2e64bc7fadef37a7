-- Initial schema. Ids are AUTOINCREMENT so they strictly increase and are never reused, even
-- after the newest row is deleted. Each table of messages has its own sequence.

CREATE TABLE group_messages (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	created_ns INTEGER NOT NULL,
	group_id BLOB NOT NULL,
	data BLOB NOT NULL,
	sender_hmac BLOB,
	should_push INTEGER NOT NULL,
	is_commit INTEGER NOT NULL,
	content_hash BLOB NOT NULL UNIQUE
);
CREATE INDEX group_messages_group_id ON group_messages (group_id, id);

CREATE TABLE welcome_messages (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	created_ns INTEGER NOT NULL,
	installation_key BLOB NOT NULL,
	data BLOB NOT NULL,
	hpke_public_key BLOB,
	wrapper_algorithm INTEGER NOT NULL,
	welcome_metadata BLOB,
	is_pointer INTEGER NOT NULL,
	content_hash BLOB NOT NULL UNIQUE
);
CREATE INDEX welcome_messages_installation_key ON welcome_messages (installation_key, id);

CREATE TABLE key_packages (
	installation_key BLOB PRIMARY KEY,
	key_package BLOB NOT NULL,
	updated_ns INTEGER NOT NULL
);

CREATE TABLE identity_updates (
	sequence_id INTEGER PRIMARY KEY AUTOINCREMENT,
	inbox_id TEXT NOT NULL,
	server_timestamp_ns INTEGER NOT NULL,
	update_bytes BLOB NOT NULL
);
CREATE INDEX identity_updates_inbox_id ON identity_updates (inbox_id, sequence_id);

-- One row per identifier ever linked to an inbox; the newest unrevoked row wins.
CREATE TABLE inbox_identifiers (
	kind INTEGER NOT NULL,
	identifier TEXT NOT NULL,
	inbox_id TEXT NOT NULL,
	sequence_id INTEGER NOT NULL,
	revoked INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, identifier, inbox_id)
);

CREATE TABLE commit_log (
	sequence_id INTEGER PRIMARY KEY AUTOINCREMENT,
	group_id BLOB NOT NULL,
	entry BLOB NOT NULL,
	signature BLOB
);
CREATE INDEX commit_log_group_id ON commit_log (group_id, sequence_id);
