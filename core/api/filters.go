package api

import mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"

// GroupFilters are the topics of a SubscribeGroupMessages request, for transports that carry
// it on a multiplexed subscription.
func GroupFilters(req *mlsv1.SubscribeGroupMessagesRequest) []Filter {
	filters := make([]Filter, 0, len(req.GetFilters()))
	for _, f := range req.GetFilters() {
		filters = append(filters, Filter{Key: f.GetGroupId(), Cursor: f.GetIdCursor()})
	}
	return filters
}

// WelcomeFilters are the topics of a SubscribeWelcomeMessages request, for transports that
// carry it on a multiplexed subscription.
func WelcomeFilters(req *mlsv1.SubscribeWelcomeMessagesRequest) []Filter {
	filters := make([]Filter, 0, len(req.GetFilters()))
	for _, f := range req.GetFilters() {
		filters = append(filters, Filter{Key: f.GetInstallationKey(), Cursor: f.GetIdCursor()})
	}
	return filters
}
