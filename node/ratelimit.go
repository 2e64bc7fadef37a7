package node

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"
)

// bucket is a token bucket: it refills at rate tokens per second up to burst.
type bucket struct {
	tokens float64
	last   time.Time
}

// limiter keeps one read bucket and one write bucket per client IP. Buckets idle long enough
// to be full again are dropped, so memory follows the number of active clients.
type limiter struct {
	mu        sync.Mutex
	cfg       RateLimit
	now       func() time.Time
	reads     map[string]*bucket
	writes    map[string]*bucket
	lastSweep time.Time
}

func newLimiter(cfg RateLimit, now func() time.Time) *limiter {
	return &limiter{cfg: cfg, now: now, reads: map[string]*bucket{}, writes: map[string]*bucket{}, lastSweep: now()}
}

// allow takes a token for ip, or reports how long until one is available.
func (l *limiter) allow(ip string, write bool) (bool, time.Duration) {
	rate, burst, buckets := l.cfg.ReadsPerSecond, l.cfg.ReadBurst, l.reads
	if write {
		rate, burst, buckets = l.cfg.WritesPerSecond, l.cfg.WriteBurst, l.writes
	}
	if rate < 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b := buckets[ip]
	if b == nil {
		b = &bucket{tokens: float64(burst), last: now}
		buckets[ip] = b
	}
	b.tokens = math.Min(float64(burst), b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

// sweep drops buckets that have refilled completely, at most once a minute.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	for _, m := range []struct {
		buckets map[string]*bucket
		rate    float64
		burst   int
	}{{l.reads, l.cfg.ReadsPerSecond, l.cfg.ReadBurst}, {l.writes, l.cfg.WritesPerSecond, l.cfg.WriteBurst}} {
		for ip, b := range m.buckets {
			if b.tokens+now.Sub(b.last).Seconds()*m.rate >= float64(m.burst) {
				delete(m.buckets, ip)
			}
		}
	}
}

// isWrite reports whether a request path stores something. Everything else is a read.
func isWrite(path string) bool {
	method := path[strings.LastIndexByte(path, '/')+1:]
	for _, prefix := range []string{"Send", "Upload", "Publish", "Register", "BatchPublish", "Revoke"} {
		if strings.HasPrefix(method, prefix) {
			return true
		}
	}
	return false
}

// clientIP is the peer address of the connection. The node is meant to be reached directly,
// so forwarding headers, which any client can forge, are not trusted.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// rateLimit rejects requests over the client's budget with RESOURCE_EXHAUSTED, in the
// protocol the client speaks, and says when to retry in the message and a retry-after header.
func rateLimit(l *limiter, next http.Handler) http.Handler {
	errWriter := connect.NewErrorWriter()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := l.allow(clientIP(r), isWrite(r.URL.Path))
		if ok {
			next.ServeHTTP(w, r)
			return
		}
		err := connect.NewError(connect.CodeResourceExhausted,
			fmt.Errorf("rate limit exceeded: retry after %s", wait.Round(time.Millisecond)))
		seconds := strconv.Itoa(int(math.Ceil(wait.Seconds())))
		err.Meta().Set("retry-after", seconds)
		if !errWriter.IsSupported(r) {
			w.Header().Set("Retry-After", seconds)
			http.Error(w, err.Message(), http.StatusTooManyRequests)
			return
		}
		errWriter.Write(w, r, err)
	})
}
