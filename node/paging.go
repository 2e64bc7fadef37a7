package node

import mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"

// maxPageSize is the most rows one query returns, as on XMTP's node.
const maxPageSize = 100

// pageOf normalizes a client's paging info: descending unless ascending is asked for, and a
// limit of 0 or above maxPageSize means maxPageSize.
func pageOf(p *mlsv1.PagingInfo) Page {
	page := Page{Limit: maxPageSize}
	if p == nil {
		return page
	}
	page.Ascending = p.GetDirection() == mlsv1.SortDirection_SORT_DIRECTION_ASCENDING
	if l := int(p.GetLimit()); l > 0 && l < maxPageSize {
		page.Limit = l
	}
	page.Cursor = p.GetIdCursor()
	return page
}

// pagingInfoOf is the paging info of a response: the request's direction and limit, and a
// cursor to continue from only when the page is full.
func pagingInfoOf(p Page, n int, lastID uint64) *mlsv1.PagingInfo {
	dir := mlsv1.SortDirection_SORT_DIRECTION_DESCENDING
	if p.Ascending {
		dir = mlsv1.SortDirection_SORT_DIRECTION_ASCENDING
	}
	info := &mlsv1.PagingInfo{Direction: dir, Limit: uint32(p.Limit)}
	if n == p.Limit {
		info.IdCursor = lastID
	}
	return info
}
