-- Version 1: the two record shapes of core/store.
-- Sequence numbers are stored as uint64 XOR 2^63, which keeps their order as signed
-- 64-bit integers.

CREATE TABLE points (
	tbl   TEXT NOT NULL,
	id    BLOB NOT NULL,
	value BLOB NOT NULL,
	PRIMARY KEY (tbl, id)
);

CREATE TABLE ordered (
	tbl   TEXT    NOT NULL,
	part  BLOB    NOT NULL,
	seq   INTEGER NOT NULL,
	value BLOB    NOT NULL,
	PRIMARY KEY (tbl, part, seq)
);
