package api

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The real node cannot run inside this portable package (its tests also run under js/wasm),
// so these tests feed the subscription scripted streams to reach the cases a live node only
// produces by accident: replays after reconnect, duplicates, failures at chosen points.
// core/connectapi repeats the reconnect case against a real node that is restarted.

type msg struct {
	key string
	id  uint64
}

func msgTopic(m msg) ([]byte, uint64) { return []byte(m.key), m.id }

// step is what one Recv of a scripted stream yields; a zero step blocks until cancellation.
// With a gate, Recv yields it only once the gate is closed, cancelled or not: a message
// already read off the wire when the stream was interrupted.
type step struct {
	m    msg
	err  error
	gate chan struct{}
}

// scripted opens stream i over the i-th script and records each open's filters.
type scripted struct {
	mu       sync.Mutex
	scripts  [][]step
	openErrs []error // returned by the first opens instead of a stream
	opened   []string
	mutable  bool     // streams take topic changes in place
	mutated  []string // the changes they took
}

func (s *scripted) open(ctx context.Context, filters []Filter) (Stream[msg], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.openErrs) > 0 {
		err := s.openErrs[0]
		s.openErrs = s.openErrs[1:]
		return nil, err
	}
	var fs []string
	for _, f := range filters {
		fs = append(fs, fmt.Sprintf("%s>%d", f.Key, f.Cursor))
	}
	slices.Sort(fs)
	s.opened = append(s.opened, strings.Join(fs, ","))
	var script []step
	if len(s.scripts) > 0 {
		script, s.scripts = s.scripts[0], s.scripts[1:]
	}
	st := &scriptStream{ctx: ctx, steps: script}
	if s.mutable {
		return &mutableStream{scriptStream: st, src: s}, nil
	}
	return st, nil
}

func (s *scripted) opens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.opened)
}

type scriptStream struct {
	ctx   context.Context
	steps []step
}

func (s *scriptStream) Recv() (msg, error) {
	if len(s.steps) > 0 {
		st := s.steps[0]
		s.steps = s.steps[1:]
		if st.gate != nil {
			<-st.gate
		}
		return st.m, st.err
	}
	<-s.ctx.Done()
	return msg{}, FromContext(s.ctx.Err())
}

func (s *scriptStream) Close() error { return nil }

type mutableStream struct {
	*scriptStream
	src *scripted
}

func (m *mutableStream) Add(filters []Filter) error {
	m.src.mu.Lock()
	defer m.src.mu.Unlock()
	for _, f := range filters {
		m.src.mutated = append(m.src.mutated, fmt.Sprintf("+%s>%d", f.Key, f.Cursor))
	}
	return nil
}

func (m *mutableStream) Remove(keys [][]byte) error {
	m.src.mu.Lock()
	defer m.src.mu.Unlock()
	for _, k := range keys {
		m.src.mutated = append(m.src.mutated, "-"+string(k))
	}
	return nil
}

var fastBackoff = Options{Backoff: Backoff{Initial: time.Millisecond, Max: 2 * time.Millisecond}}

func recvN(t *testing.T, sub *Subscription[msg], n int) []msg {
	t.Helper()
	var got []msg
	for range n {
		m, err := sub.Recv()
		if err != nil {
			t.Fatalf("Recv after %v: %v", got, err)
		}
		got = append(got, m)
	}
	return got
}

func TestSubscriptionResumesWithoutGapsOrDuplicates(t *testing.T) {
	src := &scripted{scripts: [][]step{
		{{m: msg{"a", 1}}, {m: msg{"b", 6}}, {m: msg{"b", 6}}, {m: msg{"a", 2}}, {err: ErrUnavailable}},
		{{m: msg{"a", 2}}, {m: msg{"b", 6}}, {m: msg{"a", 3}}, {err: Status{Code: 10, Message: "caller did not read all messages fast enough"}.Err()}},
		{{m: msg{"b", 7}}, {m: msg{"a", 4}}},
	}}
	var retries []error
	opts := fastBackoff
	opts.OnRetry = func(err error, _ time.Duration) { retries = append(retries, err) }
	sub := NewSubscription(t.Context(), src.open, msgTopic, opts)
	defer sub.Close()
	sub.Add(Filter{Key: []byte("a")}, Filter{Key: []byte("b"), Cursor: 5})

	got := recvN(t, sub, 6)
	want := []msg{{"a", 1}, {"b", 6}, {"a", 2}, {"a", 3}, {"b", 7}, {"a", 4}}
	if !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	if opens := src.opens(); !slices.Equal(opens, []string{"a>0,b>5", "a>2,b>6", "a>3,b>6"}) {
		t.Errorf("opens %v", opens)
	}
	if len(retries) != 2 || !errors.Is(retries[1], ErrSlowSubscriber) {
		t.Errorf("retries %v", retries)
	}
}

func TestSubscriptionReopensWhenTopicsChange(t *testing.T) {
	src := &scripted{scripts: [][]step{
		{{m: msg{"a", 1}}},
		{{m: msg{"a", 1}}, {m: msg{"c", 1}}},
		{{m: msg{"c", 2}}, {m: msg{"a", 9}}, {m: msg{"c", 3}}},
	}}
	sub := NewSubscription(t.Context(), src.open, msgTopic, fastBackoff)
	defer sub.Close()
	sub.Add(Filter{Key: []byte("a")})
	recvN(t, sub, 1)
	sub.Add(Filter{Key: []byte("c")}, Filter{Key: []byte("a"), Cursor: 0}) // a keeps its cursor
	if got := recvN(t, sub, 1); got[0] != (msg{"c", 1}) {
		t.Errorf("after Add got %v", got)
	}
	sub.Remove([]byte("a"))
	if got := recvN(t, sub, 2); !slices.Equal(got, []msg{{"c", 2}, {"c", 3}}) {
		t.Errorf("after Remove got %v (a message of a removed topic leaked)", got)
	}
	if opens := src.opens(); !slices.Equal(opens, []string{"a>0", "a>1,c>0", "c>1"}) {
		t.Errorf("opens %v", opens)
	}
}

func TestSubscriptionMutatesInPlace(t *testing.T) {
	src := &scripted{mutable: true, scripts: [][]step{
		{{m: msg{"a", 1}}, {m: msg{"b", 4}}, {m: msg{"a", 2}}, {m: msg{"b", 5}}},
	}}
	sub := NewSubscription(t.Context(), src.open, msgTopic, fastBackoff)
	defer sub.Close()
	sub.Add(Filter{Key: []byte("a")})
	recvN(t, sub, 1)
	sub.Add(Filter{Key: []byte("b"), Cursor: 3}, Filter{Key: []byte("a")})
	recvN(t, sub, 1)
	sub.Remove([]byte("a"), []byte("never added"))
	if got := recvN(t, sub, 1); got[0] != (msg{"b", 5}) {
		t.Errorf("after Remove got %v", got)
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if !slices.Equal(src.opened, []string{"a>0"}) || !slices.Equal(src.mutated, []string{"+b>3", "-a"}) {
		t.Errorf("opens %v, mutations %v", src.opened, src.mutated)
	}
}

// A topic removed and added again comes back from the cursor it is added with: a message of
// it still in flight on the stream, read while the topic set changed, must not pass that
// cursor and hide the replay of the messages before it.
func TestSubscriptionReaddedTopicResumesFromItsCursor(t *testing.T) {
	for _, mutable := range []bool{false, true} {
		t.Run(fmt.Sprintf("mutable=%v", mutable), func(t *testing.T) {
			gate := make(chan struct{})
			src := &scripted{mutable: mutable, scripts: [][]step{
				{{m: msg{"a", 1}}, {m: msg{"a", 3}, gate: gate}},
				{{m: msg{"a", 2}}, {m: msg{"a", 3}}},
			}}
			sub := NewSubscription(t.Context(), src.open, msgTopic, fastBackoff)
			defer sub.Close()
			sub.Add(Filter{Key: []byte("a")})
			recvN(t, sub, 1)
			got := make(chan msg, 2)
			go func() {
				for {
					m, err := sub.Recv()
					if err != nil {
						return
					}
					got <- m
				}
			}()
			time.Sleep(10 * time.Millisecond) // Recv waits on the gate
			sub.Remove([]byte("a"))
			sub.Add(Filter{Key: []byte("a"), Cursor: 1}) // e.g. the group's stored cursor
			close(gate)
			for _, want := range []msg{{"a", 2}, {"a", 3}} {
				select {
				case m := <-got:
					if m != want {
						t.Fatalf("after re-adding got %v, want %v", m, want)
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("%v was never delivered", want)
				}
			}
			if opens := src.opens(); !slices.Equal(opens, []string{"a>0", "a>1"}) {
				t.Errorf("opens %v", opens)
			}
		})
	}
}

func TestSubscriptionRetriesOpenAndStopsOnFinalErrors(t *testing.T) {
	src := &scripted{
		openErrs: []error{ErrUnavailable, Status{Code: 8, RetryAfter: 5 * time.Millisecond}.Err()},
		scripts:  [][]step{{{m: msg{"a", 1}}, {err: Status{Code: 3, Message: "bad filter"}.Err()}}},
	}
	var waits []time.Duration
	opts := fastBackoff
	opts.OnRetry = func(_ error, d time.Duration) { waits = append(waits, d) }
	sub := NewSubscription(t.Context(), src.open, msgTopic, opts)
	defer sub.Close()
	sub.Add(Filter{Key: []byte("a")})
	recvN(t, sub, 1)
	if _, err := sub.Recv(); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("final error: got %v", err)
	}
	if len(waits) != 2 || waits[1] < 5*time.Millisecond {
		t.Errorf("waits %v: the node's retry-after was not honoured", waits)
	}

	src.openErrs = []error{ErrD14nCutover}
	if _, err := sub.Recv(); !errors.Is(err, ErrD14nCutover) {
		t.Errorf("cutover: got %v", err)
	}
}

func TestSubscriptionCloseUnblocksRecv(t *testing.T) {
	for _, topics := range []int{0, 1} {
		src := &scripted{}
		sub := NewSubscription(t.Context(), src.open, msgTopic, fastBackoff)
		if topics > 0 {
			sub.Add(Filter{Key: []byte("a")})
		}
		done := make(chan error, 1)
		go func() {
			_, err := sub.Recv()
			done <- err
		}()
		time.Sleep(10 * time.Millisecond)
		sub.Close()
		sub.Close()
		select {
		case err := <-done:
			if !errors.Is(err, ErrCanceled) {
				t.Errorf("%d topics: Recv after Close: %v", topics, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%d topics: Recv still blocked after Close", topics)
		}
	}
}

func TestSubscriptionWaitsForFirstTopic(t *testing.T) {
	src := &scripted{scripts: [][]step{{{m: msg{"a", 4}}}}}
	sub := NewSubscription(t.Context(), src.open, msgTopic, fastBackoff)
	defer sub.Close()
	go func() {
		time.Sleep(10 * time.Millisecond)
		sub.Add(Filter{Key: []byte("a"), Cursor: 3})
	}()
	if got := recvN(t, sub, 1); got[0] != (msg{"a", 4}) {
		t.Errorf("got %v", got)
	}
}

// counting yields ids 1, 2, 3, ... of one topic forever.
type counting struct{ id uint64 }

func (c *counting) Recv() (msg, error) {
	c.id++
	return msg{"a", c.id}, nil
}

func (c *counting) Close() error { return nil }

// BenchmarkSubscriptionRecv is the subscription's own cost per delivered message (cursor
// check and update) over a stream that never waits.
func BenchmarkSubscriptionRecv(b *testing.B) {
	open := func(context.Context, []Filter) (Stream[msg], error) { return &counting{}, nil }
	sub := NewSubscription(b.Context(), open, msgTopic, Options{})
	defer sub.Close()
	sub.Add(Filter{Key: []byte("a")})
	for b.Loop() {
		if _, err := sub.Recv(); err != nil {
			b.Fatal(err)
		}
	}
}
