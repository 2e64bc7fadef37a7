package sqlitestore

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"github.com/goxmtp/goxmtp/core/store"
)

// Schema changes are numbered SQL files, migrations/NNN_what.sql. The database records the
// last one applied in PRAGMA user_version; opening runs the missing ones in one transaction,
// so a store is always at some whole version. Files are never edited once committed: a
// change is a new file, and testdata holds a store written by version 1 to prove the path.

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the SQL of each version in order, checking the numbering has no gaps.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	out := make([]string, len(names))
	for i, name := range names { // fs.Glob sorts, and the numbers are zero-padded
		num, _, _ := strings.Cut(path.Base(name), "_")
		if n, err := strconv.Atoi(num); err != nil || n != i+1 {
			return nil, fmt.Errorf("migration %s is not number %d", name, i+1)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// migrate brings the database to the newest version inside one exclusive transaction, which
// also takes the lock that keeps other owners out.
func migrate(conn *sqlite3.Conn) (err error) {
	tx, err := conn.BeginExclusive()
	if err != nil {
		return err
	}
	defer tx.End(&err)

	stmt, _, err := conn.Prepare("PRAGMA user_version")
	if err != nil {
		return err
	}
	var version int
	if stmt.Step() {
		version = stmt.ColumnInt(0)
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	all, err := migrations()
	if err != nil {
		return err
	}
	if version > len(all) {
		return fmt.Errorf("schema version %d, this code knows %d: %w", version, len(all), store.ErrVersion)
	}
	for i := version; i < len(all); i++ {
		if err := conn.Exec(all[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	if version == len(all) {
		return nil
	}
	return conn.Exec("PRAGMA user_version = " + strconv.Itoa(len(all)))
}
