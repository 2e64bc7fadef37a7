package mls

import "errors"

// Errors of the group state machine, one per way a message, a commit or a call can be
// refused, so that the layer above can tell a stale message from an attack. Lower layers'
// errors (signatures, trees, key packages, the secret tree) are wrapped, not replaced.
var (
	// ErrWrongGroup means a message belongs to another group.
	ErrWrongGroup = errors.New("mls: message for another group")
	// ErrWrongEpoch means a handshake message is not for the current epoch, or an
	// application message is from the future.
	ErrWrongEpoch = errors.New("mls: message for another epoch")
	// ErrEpochUnavailable means an application message is from a past epoch whose keys are
	// no longer kept (forward secrecy).
	ErrEpochUnavailable = errors.New("mls: keys of that epoch are deleted")
	// ErrWireFormatPolicy means a handshake arrived in a framing the policy refuses.
	ErrWireFormatPolicy = errors.New("mls: wire format refused by the group's policy")
	// ErrUnexpectedWireFormat means Process was given a Welcome, GroupInfo or KeyPackage.
	ErrUnexpectedWireFormat = errors.New("mls: not a group message")
	// ErrSenderNotMember means a message names a leaf that is blank or outside the tree.
	ErrSenderNotMember = errors.New("mls: sender is not a member")
	// ErrExternalSender means an external sender index is not in external_senders.
	ErrExternalSender = errors.New("mls: unknown external sender")
	// ErrContentSignature means a message's signature does not verify.
	ErrContentSignature = errors.New("mls: message signature invalid")
	// ErrExternalCommitProposals means an external commit's proposals break RFC 9420
	// §12.4.3.2: not exactly one ExternalInit, a reference, or a type other than Remove and
	// PreSharedKey besides it.
	ErrExternalCommitProposals = errors.New("mls: invalid proposals in an external commit")
	// ErrExternalPubMissing means a GroupInfo offered for an external join has no external_pub.
	ErrExternalPubMissing = errors.New("mls: group info has no external_pub extension")
	// ErrOwnCommit means the member's own commit came back; it merges its staged commit instead.
	ErrOwnCommit = errors.New("mls: commit sent by this member")
	// ErrProposalSender means a sender type that may not send this proposal type (RFC 9420
	// §12.1.8: external senders never update; new members only add themselves).
	ErrProposalSender = errors.New("mls: sender may not send this proposal")
	// ErrUnknownProposalRef means a commit references a proposal not received in the epoch.
	ErrUnknownProposalRef = errors.New("mls: commit references an unknown proposal")
	// ErrOwnUpdateKeyMissing means a commit applies this member's Update proposal but the
	// private key of the proposed leaf is not in the group state.
	ErrOwnUpdateKeyMissing = errors.New("mls: private key of own committed update is missing")
	// ErrDuplicateProposal means a commit lists the same proposal twice.
	ErrDuplicateProposal = errors.New("mls: proposal listed twice in a commit")
	// ErrPathRequired means a commit lacks the UpdatePath its proposals require.
	ErrPathRequired = errors.New("mls: commit requires an update path")
	// ErrCommitterRemoved means a commit removes its own committer.
	ErrCommitterRemoved = errors.New("mls: commit removes its committer")
	// ErrCommitterUpdate means a commit includes an Update proposal of its committer.
	ErrCommitterUpdate = errors.New("mls: commit includes its committer's update proposal")
	// ErrDuplicateAdd means two Add proposals bring the same client (signature key or init key).
	ErrDuplicateAdd = errors.New("mls: client added twice")
	// ErrAddCipherSuite means an added key package is for another cipher suite or version.
	ErrAddCipherSuite = errors.New("mls: added key package does not match the group")
	// ErrDuplicateRemove means two Remove proposals target the same leaf.
	ErrDuplicateRemove = errors.New("mls: leaf removed twice")
	// ErrRemoveNonMember means a Remove proposal targets a blank leaf or one outside the tree.
	ErrRemoveNonMember = errors.New("mls: remove of a leaf that is not a member")
	// ErrDuplicateUpdate means a leaf has two Update proposals, or an Update and a Remove.
	ErrDuplicateUpdate = errors.New("mls: leaf updated twice or updated and removed")
	// ErrReInitNotAlone means a ReInit proposal comes with other proposals.
	ErrReInitNotAlone = errors.New("mls: ReInit must be the only proposal of its commit")
	// ErrExternalInitInMemberCommit means an ExternalInit proposal outside an external commit.
	ErrExternalInitInMemberCommit = errors.New("mls: ExternalInit in a commit by a member")
	// ErrMultipleGCE means more than one GroupContextExtensions proposal in a commit.
	ErrMultipleGCE = errors.New("mls: several group context extensions proposals")
	// ErrGCEUnsupported means a member does not support new group context extensions or
	// their required capabilities.
	ErrGCEUnsupported = errors.New("mls: a member does not support the new group context extensions")
	// ErrProposalUnsupported means a proposal type some member does not support.
	ErrProposalUnsupported = errors.New("mls: proposal type not supported by every member")
	// ErrConfirmationTag means a commit's or GroupInfo's confirmation tag is wrong.
	ErrConfirmationTag = errors.New("mls: confirmation tag invalid")
	// ErrStaleCommit means a staged commit no longer applies: the group left its epoch.
	ErrStaleCommit = errors.New("mls: staged commit is for another epoch")
	// ErrGroupInactive means the member was removed or the group was reinitialized.
	ErrGroupInactive = errors.New("mls: group is no longer active for this member")
	// ErrCommitOptions means Commit was asked for something impossible.
	ErrCommitOptions = errors.New("mls: invalid commit options")
	// ErrOwnLeafNotFound means a Welcome's tree does not hold the joiner's key package leaf.
	ErrOwnLeafNotFound = errors.New("mls: own leaf not in the welcome's tree")
	// ErrRatchetTreeMissing means a Welcome without the ratchet_tree extension and no tree
	// given out of band.
	ErrRatchetTreeMissing = errors.New("mls: no ratchet tree for the welcome")
	// ErrGroupStateVersion means serialized group state of an unknown version.
	ErrGroupStateVersion = errors.New("mls: unknown group state version")
	// ErrGroupState means serialized group state is inconsistent.
	ErrGroupState = errors.New("mls: invalid group state")
)

// ErrSignatureKeyMismatch means the signature private key given does not belong to the
// member's leaf.
var ErrSignatureKeyMismatch = errors.New("mls: signature private key does not match the leaf")
