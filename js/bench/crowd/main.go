// Command crowd is the native side of the browser benchmarks: goxmtp clients in one Go process
// (in-memory stores) against a node, registered and driven far faster than pages could do it.
// A benchmark starts it with -api and talks to it in JSON lines, one request on stdin, one
// answer on stdout each:
//
//	{"op":"register","count":400}                    → {"inboxIds":[…]}
//	{"op":"group","members":["<inbox id>",…]}         → {"groupId":"<hex>"} (made by the first client)
//	{"op":"send","groupId":"<hex>","count":1000}      → {"sent":1000}      (from that group's creator)
//
// A failed request answers {"error":"…"} and the crowd carries on.
package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
)

// request is one line of stdin; each op reads the fields it needs.
type request struct {
	Op      string   `json:"op"`
	Count   int      `json:"count"`
	Members []string `json:"members"`
	GroupID string   `json:"groupId"`
}

// answer is one line of stdout.
type answer struct {
	InboxIDs []string `json:"inboxIds,omitempty"`
	GroupID  string   `json:"groupId,omitempty"`
	Sent     int      `json:"sent,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// crowd holds the registered clients and the groups its first client made.
type crowd struct {
	api     *connectapi.Client
	clients []*core.Client
	groups  map[string]*core.Group
}

// registerers is how many registrations run at once: each waits on the node for most of its
// time, so a few in flight keep the CPU busy without crowding out the browser being measured.
const registerers = 4

func (c *crowd) register(ctx context.Context, count int) ([]string, error) {
	made := make([]*core.Client, count)
	errs := make([]error, count)
	next := make(chan int)
	var wg sync.WaitGroup
	for range registerers {
		wg.Go(func() {
			for i := range next {
				w, err := identity.NewLocalWallet()
				if err == nil {
					made[i], err = core.Create(ctx, w, core.Options{API: c.api, Store: memstore.New()})
				}
				errs[i] = err
			}
		})
	}
	for i := range count {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("register %d clients: %w", count, err)
	}
	ids := make([]string, count)
	for i, m := range made {
		ids[i] = m.InboxID()
	}
	c.clients = append(c.clients, made...)
	return ids, nil
}

func (c *crowd) group(ctx context.Context, members []string) (string, error) {
	if len(c.clients) == 0 {
		return "", errors.New("group: register a client first")
	}
	g, err := c.clients[0].Conversations().CreateGroup(ctx, members, core.CreateGroupOptions{})
	if err != nil {
		return "", fmt.Errorf("group of %d members: %w", len(members), err)
	}
	id := hex.EncodeToString(g.ID())
	c.groups[id] = g
	return id, nil
}

func (c *crowd) send(ctx context.Context, groupID string, count int) error {
	g := c.groups[groupID]
	if g == nil {
		return fmt.Errorf("send: no group %s made by this crowd", groupID)
	}
	for i := range count {
		if _, err := g.SendText(ctx, fmt.Sprintf("crowd message %d of %d", i+1, count)); err != nil {
			return fmt.Errorf("send message %d: %w", i+1, err)
		}
	}
	return nil
}

func (c *crowd) serve(ctx context.Context, r request) answer {
	var a answer
	var err error
	switch r.Op {
	case "register":
		a.InboxIDs, err = c.register(ctx, r.Count)
	case "group":
		a.GroupID, err = c.group(ctx, r.Members)
	case "send":
		if err = c.send(ctx, r.GroupID, r.Count); err == nil {
			a.Sent = r.Count
		}
	default:
		err = fmt.Errorf("unknown op %q", r.Op)
	}
	if err != nil {
		return answer{Error: err.Error()}
	}
	return a
}

func main() {
	apiURL := flag.String("api", "http://127.0.0.1:5557", "the node's URL (Connect)")
	flag.Parse()
	c := &crowd{api: connectapi.New(*apiURL, connectapi.Config{}), groups: map[string]*core.Group{}}
	ctx := context.Background()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 1<<24) // a group request names up to 400 inbox ids
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var r request
		a := answer{Error: "bad request line"}
		if json.Unmarshal(in.Bytes(), &r) == nil {
			a = c.serve(ctx, r)
		}
		if err := out.Encode(a); err != nil {
			log.Fatalf("crowd: write answer: %v", err)
		}
	}
	if err := in.Err(); err != nil {
		log.Fatalf("crowd: read requests: %v", err)
	}
}
