package node

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver" // registers the "sqlite3" database/sql driver

	"github.com/goxmtp/goxmtp/core/identity"
)

// maxSQLiteConns bounds the connection pool: writes are serialized anyway, and reads beyond a
// few in parallel only contend for the same two to eight cores.
const maxSQLiteConns = 8

//go:embed migrations/*.sql
var migrations embed.FS

// sqliteStore keeps everything in one SQLite database file. SQLite allows one writer at a
// time, so writes take mu instead of waiting on SQLITE_BUSY; reads run in parallel (WAL).
type sqliteStore struct {
	db *sql.DB
	mu sync.Mutex
}

// OpenSQLiteStore opens (creating if needed) the node database in dir and brings its schema
// up to date.
func OpenSQLiteStore(ctx context.Context, dir string) (Store, error) {
	path := filepath.Join(dir, "node.db")
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)&_pragma=synchronous(normal)"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Each connection is its own SQLite instance with its own memory; a bounded pool keeps
	// the node's memory flat under many concurrent readers.
	db.SetMaxOpenConns(maxSQLiteConns)
	db.SetMaxIdleConns(maxSQLiteConns)
	s := &sqliteStore{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return s, nil
}

// migrate applies every migrations/NNN_name.sql whose number is above the database's
// user_version, each in its own transaction together with the version bump.
func (s *sqliteStore) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its number", base)
		}
		if n <= version {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", n)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (s *sqliteStore) Close() error { return s.db.Close() }

func (s *sqliteStore) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// contentHash is the dedupe key of a message: the same bytes sent twice to one topic are
// stored once.
func contentHash(topic, data []byte) []byte {
	h := sha256.New()
	h.Write(topic)
	h.Write(data)
	return h.Sum(nil)
}

// write runs fn in a transaction while holding the writer lock.
func (s *sqliteStore) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (s *sqliteStore) InsertGroupMessages(ctx context.Context, msgs []GroupMessage) ([]GroupMessage, error) {
	var stored []GroupMessage
	err := s.write(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO group_messages
			(created_ns, group_id, data, sender_hmac, should_push, is_commit, content_hash)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		if err != nil {
			return fmt.Errorf("prepare group message insert: %w", err)
		}
		defer stmt.Close()
		for _, m := range msgs {
			m.CreatedNs = uint64(time.Now().UnixNano())
			err := stmt.QueryRowContext(ctx, m.CreatedNs, m.GroupID, m.Data, m.SenderHmac,
				m.ShouldPush, m.IsCommit, contentHash(m.GroupID, m.Data)).Scan(&m.ID)
			if errors.Is(err, sql.ErrNoRows) {
				continue // duplicate
			}
			if err != nil {
				return fmt.Errorf("insert group message: %w", err)
			}
			stored = append(stored, m)
		}
		return nil
	})
	return stored, err
}

// pageQuery builds the WHERE/ORDER/LIMIT tail of a paged query on idCol.
func pageQuery(idCol string, p Page) (string, []any) {
	if p.Ascending {
		return fmt.Sprintf(" AND %s > ? ORDER BY %s ASC LIMIT ?", idCol, idCol), []any{p.Cursor, p.Limit}
	}
	if p.Cursor == 0 {
		return fmt.Sprintf(" ORDER BY %s DESC LIMIT ?", idCol), []any{p.Limit}
	}
	return fmt.Sprintf(" AND %s < ? ORDER BY %s DESC LIMIT ?", idCol, idCol), []any{p.Cursor, p.Limit}
}

const groupMessageColumns = `SELECT id, created_ns, group_id, data, sender_hmac, should_push, is_commit FROM group_messages`

func scanGroupMessages(rows *sql.Rows) ([]GroupMessage, error) {
	defer rows.Close()
	var out []GroupMessage
	for rows.Next() {
		var m GroupMessage
		if err := rows.Scan(&m.ID, &m.CreatedNs, &m.GroupID, &m.Data, &m.SenderHmac, &m.ShouldPush, &m.IsCommit); err != nil {
			return nil, fmt.Errorf("scan group message: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *sqliteStore) QueryGroupMessages(ctx context.Context, groupID []byte, p Page) ([]GroupMessage, error) {
	tail, args := pageQuery("id", p)
	rows, err := s.db.QueryContext(ctx, groupMessageColumns+" WHERE group_id = ?"+tail, append([]any{groupID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("query group messages: %w", err)
	}
	return scanGroupMessages(rows)
}

func (s *sqliteStore) NewestGroupMessage(ctx context.Context, groupID []byte) (GroupMessage, bool, error) {
	msgs, err := s.QueryGroupMessages(ctx, groupID, Page{Limit: 1})
	if err != nil || len(msgs) == 0 {
		return GroupMessage{}, false, err
	}
	return msgs[0], true, nil
}

func (s *sqliteStore) InsertWelcomeMessages(ctx context.Context, msgs []WelcomeMessage) ([]WelcomeMessage, error) {
	var stored []WelcomeMessage
	err := s.write(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO welcome_messages
			(created_ns, installation_key, data, hpke_public_key, wrapper_algorithm, welcome_metadata, is_pointer, content_hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		if err != nil {
			return fmt.Errorf("prepare welcome insert: %w", err)
		}
		defer stmt.Close()
		for _, m := range msgs {
			m.CreatedNs = uint64(time.Now().UnixNano())
			err := stmt.QueryRowContext(ctx, m.CreatedNs, m.InstallationKey, m.Data, m.HpkePublicKey,
				m.WrapperAlgorithm, m.WelcomeMetadata, m.IsPointer, contentHash(m.InstallationKey, m.Data)).Scan(&m.ID)
			if errors.Is(err, sql.ErrNoRows) {
				continue // duplicate
			}
			if err != nil {
				return fmt.Errorf("insert welcome: %w", err)
			}
			stored = append(stored, m)
		}
		return nil
	})
	return stored, err
}

func (s *sqliteStore) QueryWelcomeMessages(ctx context.Context, installationKey []byte, p Page) ([]WelcomeMessage, error) {
	tail, args := pageQuery("id", p)
	rows, err := s.db.QueryContext(ctx, `SELECT id, created_ns, installation_key, data, hpke_public_key,
		wrapper_algorithm, welcome_metadata, is_pointer FROM welcome_messages WHERE installation_key = ?`+tail,
		append([]any{installationKey}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("query welcomes: %w", err)
	}
	defer rows.Close()
	var out []WelcomeMessage
	for rows.Next() {
		var m WelcomeMessage
		if err := rows.Scan(&m.ID, &m.CreatedNs, &m.InstallationKey, &m.Data, &m.HpkePublicKey,
			&m.WrapperAlgorithm, &m.WelcomeMetadata, &m.IsPointer); err != nil {
			return nil, fmt.Errorf("scan welcome: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *sqliteStore) PutKeyPackage(ctx context.Context, installationKey, keyPackage []byte) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO key_packages (installation_key, key_package, updated_ns)
			VALUES (?, ?, ?) ON CONFLICT (installation_key) DO UPDATE SET
			key_package = excluded.key_package, updated_ns = excluded.updated_ns`,
			installationKey, keyPackage, time.Now().UnixNano())
		if err != nil {
			return fmt.Errorf("store key package: %w", err)
		}
		return nil
	})
}

// KeyPackages reads the packages of all installationKeys with one statement: a group's
// creator asks for hundreds at once, and a query each cost more than the reading.
func (s *sqliteStore) KeyPackages(ctx context.Context, installationKeys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(installationKeys))
	if len(installationKeys) == 0 {
		return out, nil
	}
	args := make([]any, len(installationKeys))
	for i, k := range installationKeys {
		args[i] = k
	}
	query := `SELECT installation_key, key_package FROM key_packages WHERE installation_key IN (?` +
		strings.Repeat(", ?", len(installationKeys)-1) + `)`
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read key packages: %w", err)
	}
	defer rows.Close()
	found := make(map[string][]byte, len(installationKeys))
	for rows.Next() {
		var key, kp []byte
		if err := rows.Scan(&key, &kp); err != nil {
			return nil, fmt.Errorf("read key package: %w", err)
		}
		found[string(key)] = kp
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read key packages: %w", err)
	}
	for i, k := range installationKeys {
		out[i] = found[string(k)]
	}
	return out, nil
}

func (s *sqliteStore) AppendIdentityUpdate(ctx context.Context, inboxID string, update []byte, check IdentityCheck) (IdentityLogEntry, error) {
	var entry IdentityLogEntry
	err := s.write(ctx, func(tx *sql.Tx) error {
		log, err := identityLog(ctx, tx, inboxID, 0)
		if err != nil {
			return err
		}
		if len(log) >= identity.MaxInboxUpdates {
			return ErrInboxLogFull
		}
		changes, err := check(log)
		if err != nil {
			return err
		}
		entry = IdentityLogEntry{ServerTimestampNs: uint64(time.Now().UnixNano()), Update: update}
		err = tx.QueryRowContext(ctx, `INSERT INTO identity_updates (inbox_id, server_timestamp_ns, update_bytes)
			VALUES (?, ?, ?) RETURNING sequence_id`, inboxID, entry.ServerTimestampNs, update).Scan(&entry.SequenceID)
		if err != nil {
			return fmt.Errorf("insert identity update: %w", err)
		}
		for _, c := range changes {
			_, err := tx.ExecContext(ctx, `INSERT INTO inbox_identifiers (kind, identifier, inbox_id, sequence_id, revoked)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, identifier, inbox_id) DO UPDATE SET
				sequence_id = excluded.sequence_id, revoked = excluded.revoked`,
				c.Kind, c.Identifier, inboxID, entry.SequenceID, c.Revoked)
			if err != nil {
				return fmt.Errorf("index identifier: %w", err)
			}
		}
		return nil
	})
	return entry, err
}

// queryer is what *sql.DB and *sql.Tx share for reads.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func identityLog(ctx context.Context, q queryer, inboxID string, after uint64) ([]IdentityLogEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT sequence_id, server_timestamp_ns, update_bytes FROM identity_updates
		WHERE inbox_id = ? AND sequence_id > ? ORDER BY sequence_id ASC`, inboxID, after)
	if err != nil {
		return nil, fmt.Errorf("query identity log: %w", err)
	}
	defer rows.Close()
	var out []IdentityLogEntry
	for rows.Next() {
		var e IdentityLogEntry
		if err := rows.Scan(&e.SequenceID, &e.ServerTimestampNs, &e.Update); err != nil {
			return nil, fmt.Errorf("scan identity update: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *sqliteStore) IdentityUpdates(ctx context.Context, inboxID string, after uint64) ([]IdentityLogEntry, error) {
	return identityLog(ctx, s.db, inboxID, after)
}

func (s *sqliteStore) InboxID(ctx context.Context, kind int32, identifier string) (string, bool, error) {
	var inbox string
	err := s.db.QueryRowContext(ctx, `SELECT inbox_id FROM inbox_identifiers
		WHERE kind = ? AND identifier = ? AND revoked = 0 ORDER BY sequence_id DESC LIMIT 1`, kind, identifier).Scan(&inbox)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("look up inbox id: %w", err)
	}
	return inbox, true, nil
}

func (s *sqliteStore) AppendCommitLog(ctx context.Context, entries []CommitLogEntry) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, e := range entries {
			_, err := tx.ExecContext(ctx, `INSERT INTO commit_log (group_id, entry, signature) VALUES (?, ?, ?)`,
				e.GroupID, e.Entry, e.Signature)
			if err != nil {
				return fmt.Errorf("insert commit log entry: %w", err)
			}
		}
		return nil
	})
}

func (s *sqliteStore) QueryCommitLog(ctx context.Context, groupID []byte, p Page) ([]CommitLogEntry, error) {
	tail, args := pageQuery("sequence_id", p)
	rows, err := s.db.QueryContext(ctx, `SELECT sequence_id, group_id, entry, signature FROM commit_log WHERE group_id = ?`+tail,
		append([]any{groupID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("query commit log: %w", err)
	}
	defer rows.Close()
	var out []CommitLogEntry
	for rows.Next() {
		var e CommitLogEntry
		if err := rows.Scan(&e.SequenceID, &e.GroupID, &e.Entry, &e.Signature); err != nil {
			return nil, fmt.Errorf("scan commit log entry: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
