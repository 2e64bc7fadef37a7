package metadata

import (
	"strconv"
	"time"
)

// Disappearing is the disappearing-messages setting: messages sent at or after FromNS
// (Unix nanoseconds) are deleted InNS nanoseconds after they were sent.
type Disappearing struct {
	FromNS int64
	InNS   int64
}

// Enabled reports whether the setting deletes anything; libxmtp needs both values positive.
func (d Disappearing) Enabled() bool { return d.FromNS > 0 && d.InNS > 0 }

// ExpiresAt returns when a message stored at now expires (Unix nanoseconds), as libxmtp
// computes it: now plus InNS, when the setting is enabled.
func (d Disappearing) ExpiresAt(now time.Time) (int64, bool) {
	if !d.Enabled() {
		return 0, false
	}
	return now.UnixNano() + d.InNS, true
}

// disappearingFrom reads the two attributes; missing or unparsable values count as off.
func disappearingFrom(attrs map[string]string) Disappearing {
	from, _ := strconv.ParseInt(attrs[AttrMessageDisappearFromNS], 10, 64)
	in, _ := strconv.ParseInt(attrs[AttrMessageDisappearInNS], 10, 64)
	return Disappearing{FromNS: from, InNS: in}
}

func (d Disappearing) setOn(attrs map[string]string) {
	attrs[AttrMessageDisappearFromNS] = strconv.FormatInt(d.FromNS, 10)
	attrs[AttrMessageDisappearInNS] = strconv.FormatInt(d.InNS, 10)
}
