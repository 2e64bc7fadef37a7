package core

import (
	"fmt"

	"github.com/goxmtp/goxmtp/mls"
)

// Stored records are encoded with the TLS codec of mls/ (compact, canonical, bounded) behind
// a version byte, so a later release can read what an earlier one wrote. Every decoder
// rejects unknown versions and trailing bytes and is fuzzed.

// Table names of the store. They are part of the persisted format: never rename one.
const (
	tableClient      = "client"
	tableKeyPackages = "keypackages"
)

// clientRecordID is the single record of tableClient.
var clientRecordID = []byte("self")

const clientRecordVersion = 1

// clientRecord is who this installation is: its key, its inbox, and whether the network has
// accepted its registration.
type clientRecord struct {
	InstallationSeed []byte // Ed25519 seed of the installation key (the MLS signature key)
	InboxID          string
	Owner            string // the wallet that created the client, as MemberID.String()
	Registered       bool
	HMACKey          []byte // the inbox's push HMAC root key (42 bytes)
	KeyPackage       []byte // init key of the key package currently published
	RotatedAtNs      uint64 // when KeyPackage was published
	RotateNeeded     bool   // a welcome used the current key package: publish a new one
	Retired          []retiredKeyPackage
}

// retiredKeyPackage is a replaced key package whose private keys are kept a little longer.
type retiredKeyPackage struct {
	InitKey     []byte
	RetiredAtNs uint64
}

func (r *clientRecord) encode() []byte {
	e := mls.NewEncoder(192)
	e.U8(clientRecordVersion)
	e.Opaque(r.InstallationSeed)
	e.Opaque([]byte(r.InboxID))
	e.Opaque([]byte(r.Owner))
	e.Bool(r.Registered)
	e.Opaque(r.HMACKey)
	e.Opaque(r.KeyPackage)
	e.U64(r.RotatedAtNs)
	e.Bool(r.RotateNeeded)
	e.Vector(func(e *mls.Encoder) {
		for _, k := range r.Retired {
			e.Opaque(k.InitKey)
			e.U64(k.RetiredAtNs)
		}
	})
	return e.Bytes()
}

func decodeClientRecord(b []byte) (*clientRecord, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != clientRecordVersion {
		return nil, fmt.Errorf("%w: client record version %d", ErrCorruptRecord, v)
	}
	r := &clientRecord{
		InstallationSeed: clone(d.Opaque()),
		InboxID:          string(d.Opaque()),
		Owner:            string(d.Opaque()),
		Registered:       d.Bool(),
		HMACKey:          clone(d.Opaque()),
		KeyPackage:       clone(d.Opaque()),
		RotatedAtNs:      d.U64(),
		RotateNeeded:     d.Bool(),
	}
	d.Vector(func(d *mls.Decoder) {
		r.Retired = append(r.Retired, retiredKeyPackage{InitKey: clone(d.Opaque()), RetiredAtNs: d.U64()})
	})
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("client record: %w", err))
	}
	return r, nil
}

const keyPackageRecordVersion = 1

// keyPackageRecord keeps what a welcome to one of our key packages needs: the package and its
// private keys. It is found by the package's init key, the key welcomes are wrapped to.
type keyPackageRecord struct {
	KeyPackage  []byte // the TLS-encoded KeyPackage as published
	InitPrivate []byte
	LeafPrivate []byte // the leaf's HPKE encryption private key
	CreatedAtNs uint64
	RetiredAtNs uint64 // when a newer package replaced it (0 while current)
}

func (r *keyPackageRecord) encode() []byte {
	e := mls.NewEncoder(len(r.KeyPackage) + 96)
	e.U8(keyPackageRecordVersion)
	e.Opaque(r.KeyPackage)
	e.Opaque(r.InitPrivate)
	e.Opaque(r.LeafPrivate)
	e.U64(r.CreatedAtNs)
	return e.Bytes()
}

func decodeKeyPackageRecord(b []byte) (*keyPackageRecord, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != keyPackageRecordVersion {
		return nil, fmt.Errorf("%w: key package record version %d", ErrCorruptRecord, v)
	}
	r := &keyPackageRecord{
		KeyPackage:  clone(d.Opaque()),
		InitPrivate: clone(d.Opaque()),
		LeafPrivate: clone(d.Opaque()),
		CreatedAtNs: d.U64(),
	}
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("key package record: %w", err))
	}
	return r, nil
}

// clone copies decoded bytes: the Decoder's slices alias the stored value.
func clone(b []byte) []byte { return append([]byte(nil), b...) }
