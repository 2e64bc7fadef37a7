package sqlitestore

import (
	"errors"
	"fmt"

	"github.com/ncruces/go-sqlite3"

	"github.com/goxmtp/goxmtp/core/store"
)

// statements are prepared once per connection; the Store's mutex serialises their use.
type statements struct {
	get, getSeq, scanAsc, scanDesc         *sqlite3.Stmt
	put, del, putSeq, delSeq, delPartition *sqlite3.Stmt
}

const scanSQL = `SELECT seq, value FROM ordered WHERE tbl = ?1 AND part = ?2 AND seq BETWEEN ?3 AND ?4 ORDER BY seq `

func (st *statements) prepare(conn *sqlite3.Conn) error {
	for _, p := range []struct {
		stmt **sqlite3.Stmt
		sql  string
	}{
		{&st.get, `SELECT value FROM points WHERE tbl = ?1 AND id = ?2`},
		{&st.getSeq, `SELECT value FROM ordered WHERE tbl = ?1 AND part = ?2 AND seq = ?3`},
		{&st.scanAsc, scanSQL + `ASC LIMIT ?5`},
		{&st.scanDesc, scanSQL + `DESC LIMIT ?5`},
		{&st.put, `INSERT OR REPLACE INTO points (tbl, id, value) VALUES (?1, ?2, ?3)`},
		{&st.del, `DELETE FROM points WHERE tbl = ?1 AND id = ?2`},
		{&st.putSeq, `INSERT OR REPLACE INTO ordered (tbl, part, seq, value) VALUES (?1, ?2, ?3, ?4)`},
		{&st.delSeq, `DELETE FROM ordered WHERE tbl = ?1 AND part = ?2 AND seq = ?3`},
		{&st.delPartition, `DELETE FROM ordered WHERE tbl = ?1 AND part = ?2`},
	} {
		s, _, err := conn.Prepare(p.sql)
		if err != nil {
			st.close()
			return fmt.Errorf("prepare: %w", err)
		}
		*p.stmt = s
	}
	return nil
}

func (st *statements) close() {
	for _, s := range []*sqlite3.Stmt{st.get, st.getSeq, st.scanAsc, st.scanDesc, st.put, st.del, st.putSeq, st.delSeq, st.delPartition} {
		if s != nil {
			s.Close()
		}
	}
	*st = statements{}
}

// apply runs the statement of one validated change.
func (st *statements) apply(c store.Change) error {
	key := nonNil(c.Key)
	switch c.Op {
	case store.OpPut:
		return exec(st.put, c.Table, key, nonNil(c.Value))
	case store.OpDelete:
		return exec(st.del, c.Table, key)
	case store.OpPutSeq:
		return exec(st.putSeq, c.Table, key, seqKey(c.Seq), nonNil(c.Value))
	case store.OpDeleteSeq:
		return exec(st.delSeq, c.Table, key, seqKey(c.Seq))
	case store.OpDeletePartition:
		return exec(st.delPartition, c.Table, key)
	}
	return fmt.Errorf("op %d: %w", c.Op, store.ErrInvalid)
}

// bind resets s and binds args (string, []byte or int64) to its parameters 1, 2, ...
func bind(s *sqlite3.Stmt, args ...any) error {
	var err error
	for i, a := range args {
		switch v := a.(type) {
		case string:
			err = s.BindText(i+1, v)
		case []byte:
			err = s.BindBlob(i+1, v)
		case int64:
			err = s.BindInt64(i+1, v)
		default:
			err = fmt.Errorf("cannot bind %T", a)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// finish resets s for its next use, returning the first error of the run.
func finish(s *sqlite3.Stmt, err error) error {
	return errors.Join(err, s.Reset(), s.ClearBindings())
}

func exec(s *sqlite3.Stmt, args ...any) error {
	if err := bind(s, args...); err != nil {
		return finish(s, err)
	}
	return finish(s, s.Exec())
}

// one returns the value column of the single row s selects, if any.
func one(s *sqlite3.Stmt, args ...any) (value []byte, found bool, err error) {
	if err := bind(s, args...); err != nil {
		return nil, false, finish(s, err)
	}
	if s.Step() {
		value, found = s.ColumnBlob(0, []byte{}), true
	}
	return value, found, finish(s, s.Err())
}

// records returns the (seq, value) rows s selects.
func records(s *sqlite3.Stmt, args ...any) ([]store.Record, error) {
	if err := bind(s, args...); err != nil {
		return nil, finish(s, err)
	}
	var out []store.Record
	for s.Step() {
		out = append(out, store.Record{Seq: seqOf(s.ColumnInt64(0)), Value: s.ColumnBlob(1, []byte{})})
	}
	return out, finish(s, s.Err())
}
