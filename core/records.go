package core

import (
	"fmt"

	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/wrap"
	"github.com/goxmtp/goxmtp/mls"
)

// Stored records are encoded with the TLS codec of mls/ (compact, canonical, bounded) behind
// a version byte, so a later release can read what an earlier one wrote. Every decoder
// rejects unknown versions and trailing bytes and is fuzzed.

// Table names of the store. They are part of the persisted format: never rename one.
const (
	tableClient      = "client"
	tableKeyPackages = "keypackages"
	// tableKeyPackageXWing maps the X-Wing public key of a key package (extension 0xff03)
	// to the package's init key, its key in tableKeyPackages.
	tableKeyPackageXWing = "keypackage_xwing"
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

// Key package record versions: 2 adds the X-Wing seed. A record without one (written
// before goxmtp advertised X-Wing, or for a key package made without it) stays version 1, so
// every record has one encoding.
const (
	keyPackageRecordV1 = 1
	keyPackageRecordV2 = 2
)

// keyPackageRecord keeps what a welcome to one of our key packages needs: the package and its
// private keys. It is found by the package's init key, or through tableKeyPackageXWing by
// the X-Wing key of its extension 0xff03: the two keys welcomes are wrapped to.
type keyPackageRecord struct {
	KeyPackage  []byte // the TLS-encoded KeyPackage as published
	InitPrivate []byte
	LeafPrivate []byte // the leaf's HPKE encryption private key
	CreatedAtNs uint64
	XWingSeed   []byte // the X-Wing private key (a 32-byte seed); nil without 0xff03
}

func (r *keyPackageRecord) encode() []byte {
	e := mls.NewEncoder(len(r.KeyPackage) + 128)
	if len(r.XWingSeed) == 0 {
		e.U8(keyPackageRecordV1)
	} else {
		e.U8(keyPackageRecordV2)
	}
	e.Opaque(r.KeyPackage)
	e.Opaque(r.InitPrivate)
	e.Opaque(r.LeafPrivate)
	e.U64(r.CreatedAtNs)
	if len(r.XWingSeed) != 0 {
		e.Opaque(r.XWingSeed)
	}
	return e.Bytes()
}

func decodeKeyPackageRecord(b []byte) (*keyPackageRecord, error) {
	d := mls.NewDecoder(b)
	v := d.U8()
	if d.Err() == nil && v != keyPackageRecordV1 && v != keyPackageRecordV2 {
		return nil, fmt.Errorf("%w: key package record version %d", ErrCorruptRecord, v)
	}
	r := &keyPackageRecord{
		KeyPackage:  clone(d.Opaque()),
		InitPrivate: clone(d.Opaque()),
		LeafPrivate: clone(d.Opaque()),
		CreatedAtNs: d.U64(),
	}
	if v == keyPackageRecordV2 {
		r.XWingSeed = clone(d.Opaque())
	}
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("key package record: %w", err))
	}
	if v == keyPackageRecordV2 && len(r.XWingSeed) != wrap.XWingSeedSize {
		return nil, fmt.Errorf("%w: key package record: X-Wing seed of %d bytes", ErrCorruptRecord, len(r.XWingSeed))
	}
	return r, nil
}

// clone copies decoded bytes: the Decoder's slices alias the stored value.
func clone(b []byte) []byte { return append([]byte(nil), b...) }

// Tables of the group engine.
const (
	tableGroups        = "groups"         // group id → groupRecord
	tableGroupIndex    = "group_index"    // partition groupIndexPartition, seq = local counter → group id
	tableMessages      = "messages"       // partition group id, seq → messageRecord
	tableMessageIDs    = "message_ids"    // message id → messageRef
	tableIntents       = "intents"        // partition group id, seq → intentRecord
	tableWelcomeCursor = "welcome_cursor" // welcomeCursorID → the last welcome id processed
	tableConsent       = "consent"        // entity type byte + entity → consent record
)

// groupIndexPartition is the one partition of tableGroupIndex: every conversation, in the
// order this client stored it, which is what List reads (point records cannot be listed).
var groupIndexPartition = []byte("all")

// welcomeCursorID is the single record of tableWelcomeCursor.
var welcomeCursorID = []byte("self")

const groupRecordVersion = 1

// groupRecord is one conversation: its MLS state and what XMTP keeps beside it.
type groupRecord struct {
	State          []byte // mls.Group.MarshalBinary
	Type           metadata.ConversationType
	DMID           string // the DM's dm_id; empty for other conversations
	CreatedAtNs    uint64
	AddedBy        string // inbox that added this installation (ourselves for groups we created)
	Consent        ConsentState
	Cursor         uint64 // id of the last group message processed
	NextMessageSeq uint64
	NextIntentSeq  uint64
	LastActivityNs uint64
	IndexSeq       uint64   // key of the group in tableGroupIndex
	PendingRemove  []string // members that asked to leave (XIP-75) and are not removed yet
	PendingLeave   bool     // this inbox asked to leave
	// InstallationsCheckedNs is when the members' identities were last checked for added or
	// revoked installations.
	InstallationsCheckedNs uint64
}

func (r *groupRecord) encode() []byte {
	e := mls.NewEncoder(len(r.State) + 128)
	e.U8(groupRecordVersion)
	e.Opaque(r.State)
	e.U32(uint32(r.Type))
	e.Opaque([]byte(r.DMID))
	e.U64(r.CreatedAtNs)
	e.Opaque([]byte(r.AddedBy))
	e.U8(uint8(r.Consent))
	e.U64(r.Cursor)
	e.U64(r.NextMessageSeq)
	e.U64(r.NextIntentSeq)
	e.U64(r.LastActivityNs)
	e.U64(r.IndexSeq)
	e.Vector(func(e *mls.Encoder) {
		for _, id := range r.PendingRemove {
			e.Opaque([]byte(id))
		}
	})
	e.Bool(r.PendingLeave)
	e.U64(r.InstallationsCheckedNs)
	return e.Bytes()
}

func decodeGroupRecord(b []byte) (*groupRecord, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != groupRecordVersion {
		return nil, fmt.Errorf("%w: group record version %d", ErrCorruptRecord, v)
	}
	r := &groupRecord{
		State:          clone(d.Opaque()),
		Type:           metadata.ConversationType(d.U32()),
		DMID:           string(d.Opaque()),
		CreatedAtNs:    d.U64(),
		AddedBy:        string(d.Opaque()),
		Consent:        ConsentState(d.U8()),
		Cursor:         d.U64(),
		NextMessageSeq: d.U64(),
		NextIntentSeq:  d.U64(),
		LastActivityNs: d.U64(),
		IndexSeq:       d.U64(),
	}
	d.Vector(func(d *mls.Decoder) { r.PendingRemove = append(r.PendingRemove, string(d.Opaque())) })
	r.PendingLeave = d.Bool()
	r.InstallationsCheckedNs = d.U64()
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("group record: %w", err))
	}
	return r, nil
}

const messageRecordVersion = 1

// messageRecord is one stored message of a conversation.
type messageRecord struct {
	ID                 []byte
	SenderInbox        string
	SenderInstallation []byte
	SentAtNs           uint64
	Kind               MessageKind
	Status             DeliveryStatus
	ContentType        string // content.TypeID.String() of Content, for filtering
	Content            []byte // the EncodedContent as carried in the envelope
	ExpiresAtNs        uint64 // 0 when the message does not disappear
}

func (r *messageRecord) encode() []byte {
	e := mls.NewEncoder(len(r.Content) + 192)
	e.U8(messageRecordVersion)
	e.Opaque(r.ID)
	e.Opaque([]byte(r.SenderInbox))
	e.Opaque(r.SenderInstallation)
	e.U64(r.SentAtNs)
	e.U8(uint8(r.Kind))
	e.U8(uint8(r.Status))
	e.Opaque([]byte(r.ContentType))
	e.Opaque(r.Content)
	e.U64(r.ExpiresAtNs)
	return e.Bytes()
}

func decodeMessageRecord(b []byte) (*messageRecord, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != messageRecordVersion {
		return nil, fmt.Errorf("%w: message record version %d", ErrCorruptRecord, v)
	}
	r := &messageRecord{
		ID:                 clone(d.Opaque()),
		SenderInbox:        string(d.Opaque()),
		SenderInstallation: clone(d.Opaque()),
		SentAtNs:           d.U64(),
		Kind:               MessageKind(d.U8()),
		Status:             DeliveryStatus(d.U8()),
		ContentType:        string(d.Opaque()),
		Content:            clone(d.Opaque()),
		ExpiresAtNs:        d.U64(),
	}
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("message record: %w", err))
	}
	return r, nil
}

const messageRefVersion = 1

// messageRef locates a message by its id: which group, which sequence number.
type messageRef struct {
	GroupID []byte
	Seq     uint64
}

func (r *messageRef) encode() []byte {
	e := mls.NewEncoder(len(r.GroupID) + 16)
	e.U8(messageRefVersion)
	e.Opaque(r.GroupID)
	e.U64(r.Seq)
	return e.Bytes()
}

func decodeMessageRef(b []byte) (*messageRef, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != messageRefVersion {
		return nil, fmt.Errorf("%w: message ref version %d", ErrCorruptRecord, v)
	}
	r := &messageRef{GroupID: clone(d.Opaque()), Seq: d.U64()}
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("message ref: %w", err))
	}
	return r, nil
}

const intentRecordVersion = 1

// intentRecord is one piece of outbound work of a group, kept from before it is published
// until the node's copy of it has been read back.
type intentRecord struct {
	Kind       intentKind
	State      intentState
	Attempts   uint8
	Change     []byte // the envelope to send, or the encoded groupChange of a commit
	MessageSeq uint64 // the stored message a send publishes
	Epoch      uint64 // epoch Data was made in
	Data       []byte // the MLSMessage published (or being published)
	NextState  []byte // a commit's group state once merged
	Welcome    []byte // a commit's Welcome MLSMessage, sent when the commit is accepted
	Recipients []welcomeRecipient
	Cursor     uint64 // id of the commit once read back: where joiners start
}

// welcomeRecipient is one installation a commit adds and the key its welcome is wrapped to.
type welcomeRecipient struct {
	InstallationKey []byte
	HPKEPublicKey   []byte
	Algorithm       uint8 // wrap.Algorithm
	Pointers        bool  // its key package advertises welcome pointees (0xff04)
}

func (r *intentRecord) encode() []byte {
	e := mls.NewEncoder(len(r.Change) + len(r.Data) + len(r.NextState) + len(r.Welcome) + 64)
	e.U8(intentRecordVersion)
	e.U8(uint8(r.Kind))
	e.U8(uint8(r.State))
	e.U8(r.Attempts)
	e.Opaque(r.Change)
	e.U64(r.MessageSeq)
	e.U64(r.Epoch)
	e.Opaque(r.Data)
	e.Opaque(r.NextState)
	e.Opaque(r.Welcome)
	e.Vector(func(e *mls.Encoder) {
		for _, w := range r.Recipients {
			e.Opaque(w.InstallationKey)
			e.Opaque(w.HPKEPublicKey)
			e.U8(w.Algorithm)
			e.Bool(w.Pointers)
		}
	})
	e.U64(r.Cursor)
	return e.Bytes()
}

func decodeIntentRecord(b []byte) (*intentRecord, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != intentRecordVersion {
		return nil, fmt.Errorf("%w: intent record version %d", ErrCorruptRecord, v)
	}
	r := &intentRecord{
		Kind:       intentKind(d.U8()),
		State:      intentState(d.U8()),
		Attempts:   d.U8(),
		Change:     clone(d.Opaque()),
		MessageSeq: d.U64(),
		Epoch:      d.U64(),
		Data:       clone(d.Opaque()),
		NextState:  clone(d.Opaque()),
		Welcome:    clone(d.Opaque()),
	}
	d.Vector(func(d *mls.Decoder) {
		r.Recipients = append(r.Recipients, welcomeRecipient{InstallationKey: clone(d.Opaque()), HPKEPublicKey: clone(d.Opaque()), Algorithm: d.U8(), Pointers: d.Bool()})
	})
	r.Cursor = d.U64()
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("intent record: %w", err))
	}
	return r, nil
}

const groupChangeVersion = 1

// groupChange is what a commit intent asks for, kept in terms of inboxes and attributes (not
// leaves or key packages) so that it can be applied again to whatever epoch the group is in
// when another member's commit won the race.
type groupChange struct {
	Kind    intentKind
	Inboxes []string // members to add or remove, admin to add or remove
	Key     string   // attribute key, or permissions.UpdateType for a policy change
	Value   string   // attribute value
	Option  uint8    // permissions.Option of a policy change
}

func (c *groupChange) encode() []byte {
	e := mls.NewEncoder(64)
	e.U8(groupChangeVersion)
	e.U8(uint8(c.Kind))
	e.Vector(func(e *mls.Encoder) {
		for _, id := range c.Inboxes {
			e.Opaque([]byte(id))
		}
	})
	e.Opaque([]byte(c.Key))
	e.Opaque([]byte(c.Value))
	e.U8(c.Option)
	return e.Bytes()
}

func decodeGroupChange(b []byte) (*groupChange, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != groupChangeVersion {
		return nil, fmt.Errorf("%w: group change version %d", ErrCorruptRecord, v)
	}
	c := &groupChange{Kind: intentKind(d.U8())}
	d.Vector(func(d *mls.Decoder) { c.Inboxes = append(c.Inboxes, string(d.Opaque())) })
	c.Key, c.Value, c.Option = string(d.Opaque()), string(d.Opaque()), d.U8()
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("group change: %w", err))
	}
	return c, nil
}
