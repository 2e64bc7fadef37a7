package mlsv1_test

import (
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	_ "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// wire pins the fields libxmtp reads and writes, as "message.field number kind", checked
// against xmtp/proto f5191f7. A renumbered or retyped field breaks interop silently, so it
// must break this test instead.
var wire = `
xmtp.mls.api.v1.GroupMessage.V1 id 1 uint64; created_ns 2 uint64; group_id 3 bytes; data 4 bytes; sender_hmac 5 bytes; should_push 6 bool; is_commit 7 bool
xmtp.mls.api.v1.GroupMessageInput.V1 data 1 bytes; sender_hmac 2 bytes; should_push 3 bool
xmtp.mls.api.v1.WelcomeMessage v1 1 message; welcome_pointer 2 message
xmtp.mls.api.v1.WelcomeMessage.V1 id 1 uint64; created_ns 2 uint64; installation_key 3 bytes; data 4 bytes; hpke_public_key 5 bytes; wrapper_algorithm 6 enum; welcome_metadata 7 bytes
xmtp.mls.api.v1.WelcomeMessage.WelcomePointer id 1 uint64; created_ns 2 uint64; installation_key 3 bytes; welcome_pointer 4 bytes; hpke_public_key 5 bytes; wrapper_algorithm 6 enum
xmtp.mls.api.v1.WelcomeMessageInput.V1 installation_key 1 bytes; data 2 bytes; hpke_public_key 3 bytes; wrapper_algorithm 4 enum; welcome_metadata 7 bytes
xmtp.mls.api.v1.WelcomeMessageInput.WelcomePointer installation_key 1 bytes; welcome_pointer 2 bytes; hpke_public_key 3 bytes; wrapper_algorithm 4 enum
xmtp.mls.api.v1.WelcomeMetadata message_cursor 1 uint64
xmtp.mls.api.v1.UploadKeyPackageRequest key_package 1 message; is_inbox_id_credential 2 bool
xmtp.mls.api.v1.KeyPackageUpload key_package_tls_serialized 1 bytes
xmtp.mls.api.v1.FetchKeyPackagesResponse.KeyPackage key_package_tls_serialized 1 bytes
xmtp.mls.api.v1.PagingInfo direction 1 enum; limit 2 uint32; id_cursor 3 uint64
xmtp.mls.api.v1.QueryGroupMessagesResponse messages 1 message; paging_info 2 message
xmtp.mls.api.v1.SubscribeGroupMessagesRequest.Filter group_id 1 bytes; id_cursor 2 uint64
xmtp.mls.api.v1.SubscribeWelcomeMessagesRequest.Filter installation_key 1 bytes; id_cursor 2 uint64
xmtp.mls.api.v1.PublishCommitLogRequest group_id 1 bytes; serialized_commit_log_entry 2 bytes; signature 3 message
xmtp.mls.api.v1.QueryCommitLogResponse group_id 1 bytes; commit_log_entries 2 message; paging_info 3 message
xmtp.mls.api.v1.GetNewestGroupMessageRequest group_ids 1 bytes; include_content 2 bool
xmtp.mls.api.v1.SubscribeRequest.V1.Mutate adds 1 message; removes 2 bytes; history_only 3 bool; mutate_id 4 uint64
xmtp.mls.api.v1.SubscribeResponse.V1 messages 1 message; started 2 message; ping 3 message; pong 4 message; topics_live 5 message; catchup_complete 6 message
xmtp.mls.message_contents.GroupMetadataV1 conversation_type 1 enum; creator_account_address 2 string; creator_inbox_id 3 string; dm_members 4 message; oneshot_message 5 message
xmtp.mls.message_contents.GroupMutableMetadataV1 attributes 1 message; admin_list 2 message; super_admin_list 3 message
xmtp.mls.message_contents.GroupMembership members 1 message; failed_installations 2 bytes
xmtp.mls.message_contents.PolicySet add_member_policy 1 message; remove_member_policy 2 message; update_metadata_policy 3 message; add_admin_policy 4 message; remove_admin_policy 5 message; update_permissions_policy 6 message
xmtp.mls.message_contents.WelcomeWrapperEncryption pub_key 1 bytes; algorithm 2 enum
xmtp.mls.message_contents.WelcomePointer.WelcomeV1Pointer destination 1 bytes; aead_type 2 enum; encryption_key 3 bytes; data_nonce 4 bytes; welcome_metadata_nonce 5 bytes
xmtp.mls.message_contents.EncodedContent type 1 message; parameters 2 message; fallback 3 string; content 4 bytes; compression 5 enum
xmtp.mls.message_contents.PlaintextEnvelope.V2 idempotency_key 1 string; content 2 bytes; device_sync_request 3 bytes; device_sync_reply 4 bytes; user_preference_update 5 bytes
xmtp.mls.message_contents.GroupUpdated initiated_by_inbox_id 1 string; added_inboxes 2 message; removed_inboxes 3 message; metadata_field_changes 4 message; left_inboxes 5 message; added_admin_inboxes 6 message; removed_admin_inboxes 7 message; added_super_admin_inboxes 8 message; removed_super_admin_inboxes 9 message
xmtp.mls.message_contents.CommitLogEntry sequence_id 1 uint64; serialized_commit_log_entry 2 bytes; signature 3 message
xmtp.mls.message_contents.PlaintextCommitLogEntry group_id 1 bytes; commit_sequence_id 2 uint64; last_epoch_authenticator 3 bytes; commit_result 4 enum; applied_epoch_number 5 uint64; applied_epoch_authenticator 6 bytes
`

func TestWireCompatibility(t *testing.T) {
	for _, line := range strings.Split(strings.TrimSpace(wire), "\n") {
		name, fields, _ := strings.Cut(line, " ")
		d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		md := d.(protoreflect.MessageDescriptor)
		for _, f := range strings.Split(fields, "; ") {
			parts := strings.Fields(f)
			field, number, kind := parts[0], parts[1], parts[2]
			fd := md.Fields().ByName(protoreflect.Name(field))
			if fd == nil {
				t.Errorf("%s.%s missing", name, field)
				continue
			}
			if got := strconv.Itoa(int(fd.Number())); got != number || fd.Kind().String() != kind {
				t.Errorf("%s.%s = %s %s, want %s %s", name, field, got, fd.Kind(), number, kind)
			}
		}
	}
}
