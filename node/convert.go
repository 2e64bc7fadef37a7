package node

import (
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

func (m *GroupMessage) proto() *mlsv1.GroupMessage {
	return &mlsv1.GroupMessage{Version: &mlsv1.GroupMessage_V1_{V1: &mlsv1.GroupMessage_V1{
		Id: m.ID, CreatedNs: m.CreatedNs, GroupId: m.GroupID, Data: m.Data,
		SenderHmac: m.SenderHmac, ShouldPush: m.ShouldPush, IsCommit: m.IsCommit,
	}}}
}

func (m *WelcomeMessage) proto() *mlsv1.WelcomeMessage {
	if m.IsPointer {
		return &mlsv1.WelcomeMessage{Version: &mlsv1.WelcomeMessage_WelcomePointer_{WelcomePointer: &mlsv1.WelcomeMessage_WelcomePointer{
			Id: m.ID, CreatedNs: m.CreatedNs, InstallationKey: m.InstallationKey, WelcomePointer: m.Data,
			HpkePublicKey:    m.HpkePublicKey,
			WrapperAlgorithm: mlscontents.WelcomePointerWrapperAlgorithm(m.WrapperAlgorithm),
		}}}
	}
	return &mlsv1.WelcomeMessage{Version: &mlsv1.WelcomeMessage_V1_{V1: &mlsv1.WelcomeMessage_V1{
		Id: m.ID, CreatedNs: m.CreatedNs, InstallationKey: m.InstallationKey, Data: m.Data,
		HpkePublicKey:    m.HpkePublicKey,
		WrapperAlgorithm: mlscontents.WelcomeWrapperAlgorithm(m.WrapperAlgorithm),
		WelcomeMetadata:  m.WelcomeMetadata,
	}}}
}

func groupMessagesProto(msgs []GroupMessage) []*mlsv1.GroupMessage {
	out := make([]*mlsv1.GroupMessage, len(msgs))
	for i := range msgs {
		out[i] = msgs[i].proto()
	}
	return out
}

func welcomeMessagesProto(msgs []WelcomeMessage) []*mlsv1.WelcomeMessage {
	out := make([]*mlsv1.WelcomeMessage, len(msgs))
	for i := range msgs {
		out[i] = msgs[i].proto()
	}
	return out
}
