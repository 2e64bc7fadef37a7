package store

import "fmt"

// Op is the kind of one Change.
type Op uint8

const (
	// OpPut writes point record Key of Table.
	OpPut Op = iota + 1
	// OpDelete removes point record Key of Table.
	OpDelete
	// OpPutSeq writes ordered record Seq of partition Key of Table.
	OpPutSeq
	// OpDeleteSeq removes ordered record Seq of partition Key of Table.
	OpDeleteSeq
	// OpDeletePartition removes every ordered record of partition Key of Table.
	OpDeletePartition
)

// Change is one write of an Apply. Implementations read the fields; callers build Changes
// through its methods.
type Change struct {
	Op    Op
	Table string
	// Key is the id of a point record or the partition of an ordered one.
	Key   []byte
	Seq   uint64
	Value []byte
}

// Changes is the list of writes one Apply makes atomically, in order. It holds the slices
// it is given, uncopied, until Apply copies them: do not modify them in between.
type Changes []Change

// Put writes the point record id of table.
func (c *Changes) Put(table string, id, value []byte) {
	*c = append(*c, Change{Op: OpPut, Table: table, Key: id, Value: value})
}

// Delete removes the point record id of table, if present.
func (c *Changes) Delete(table string, id []byte) {
	*c = append(*c, Change{Op: OpDelete, Table: table, Key: id})
}

// PutSeq writes the ordered record seq of partition in table.
func (c *Changes) PutSeq(table string, partition []byte, seq uint64, value []byte) {
	*c = append(*c, Change{Op: OpPutSeq, Table: table, Key: partition, Seq: seq, Value: value})
}

// DeleteSeq removes the ordered record seq of partition in table, if present.
func (c *Changes) DeleteSeq(table string, partition []byte, seq uint64) {
	*c = append(*c, Change{Op: OpDeleteSeq, Table: table, Key: partition, Seq: seq})
}

// DeletePartition removes every ordered record of partition in table.
func (c *Changes) DeletePartition(table string, partition []byte) {
	*c = append(*c, Change{Op: OpDeletePartition, Table: table, Key: partition})
}

// Validate checks every change before anything is written, so that an implementation
// never has to undo half an Apply because of a bad argument.
func (c Changes) Validate() error {
	for i, ch := range c {
		if err := ValidTable(ch.Table); err != nil {
			return fmt.Errorf("change %d: %w", i, err)
		}
		if ch.Op < OpPut || ch.Op > OpDeletePartition {
			return fmt.Errorf("change %d: op %d: %w", i, ch.Op, ErrInvalid)
		}
	}
	return nil
}

// ValidTable checks a table name: any non-empty string of at most MaxTableName bytes.
func ValidTable(table string) error {
	if table == "" || len(table) > MaxTableName {
		return fmt.Errorf("table name of %d bytes: %w", len(table), ErrInvalid)
	}
	return nil
}

// MaxTableName bounds table names, which are part of every key an implementation derives.
const MaxTableName = 64
