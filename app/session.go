package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/kurier/kurier/app/phonelink"
	"github.com/kurier/kurier/app/search"
	"github.com/kurier/kurier/app/store"
)

// profileKey is the cached profile's receiver key in the store.
var profileKey = store.Key{Type: "me", ID: "profile"}

// limitsKey is where the phone's limits are cached.
var limitsKey = store.Key{Type: "me", ID: "limits"}

// session is what the link, chat and people services share: the store, the
// search index, the current connection to the phone and the in-memory view
// of the receivers (for names).
type session struct {
	ctx   context.Context
	store *store.Store
	index *search.Index
	hub   *Hub
	log   *slog.Logger
	now   func() time.Time

	mu        sync.Mutex
	conn      *phonelink.Conn
	profile   Profile
	limits    Limits
	receivers Receivers
	names     map[Receiver]label // from receivers, for conversation names

	// synced is true once initialSync finished on the current chain of
	// connections (a resume of an unfinished one syncs again).
	synced bool

	// messagesMu orders the phone's updates of messages and the outbox's
	// swap of a queued message for the phone's: each caches (or reads the
	// cache) and publishes under it, so the UI never gets an older copy
	// after a newer one.
	messagesMu sync.Mutex

	// outboxWake wakes sendOutbox when a message was queued.
	outboxWake chan struct{}

	// stopRebuild ends the background rebuild of the search index, if any,
	// and waits for it (clear must not race with it: a rebuild reading an
	// older snapshot would put forgotten text back into the index).
	stopRebuild func()
}

// label is how a receiver shows in the conversation list.
type label struct{ name, color string }

// setReceiversLocked replaces the receivers and their labels (mu held).
func (s *session) setReceiversLocked(rs Receivers) {
	s.receivers = rs
	s.names = make(map[Receiver]label, len(rs.Contacts)+len(rs.Groups)+len(rs.DistributionLists))
	for _, c := range rs.Contacts {
		s.names[Receiver{Type: ReceiverContact, ID: c.ID}] = label{c.Name, c.Color}
	}
	for _, g := range rs.Groups {
		s.names[Receiver{Type: ReceiverGroup, ID: g.ID}] = label{g.Name, g.Color}
	}
	for _, l := range rs.DistributionLists {
		s.names[Receiver{Type: ReceiverDistributionList, ID: l.ID}] = label{l.Name, l.Color}
	}
}

// defaultLimits apply until the phone reports its own.
func defaultLimits() Limits { return Limits{MaxTextBytes: 6000, MaxFileBytes: 50 << 20} }

// current returns the open connection or ErrNotConnected.
func (s *session) current() (*phonelink.Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil, ErrNotConnected
	}
	return s.conn, nil
}

func (s *session) self() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.profile.Identity
}

// nameOf returns the display name and colour of a receiver.
func (s *session) nameOf(r Receiver) (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.names[r]; ok {
		return l.name, l.color
	}
	return r.ID, ""
}

// loadCache reads what the cache holds into memory, fills the search index
// in the background and tells the UI.
func (s *session) loadCache(ctx context.Context) error {
	recs, err := s.store.Receivers(ctx)
	if err != nil {
		return fmt.Errorf("app: load cache: %w", err)
	}
	rs := Receivers{Contacts: []Contact{}, Groups: []Group{}, DistributionLists: []DistributionList{}}
	prof, lim := Profile{}, defaultLimits()
	for _, r := range recs {
		var err error
		switch r.Key.Type {
		case ReceiverContact:
			var c Contact
			err = json.Unmarshal(r.Data, &c)
			rs.Contacts = append(rs.Contacts, c)
		case ReceiverGroup:
			var g Group
			err = json.Unmarshal(r.Data, &g)
			rs.Groups = append(rs.Groups, g)
		case ReceiverDistributionList:
			var l DistributionList
			err = json.Unmarshal(r.Data, &l)
			rs.DistributionLists = append(rs.DistributionLists, l)
		case profileKey.Type:
			if r.Key == limitsKey {
				err = json.Unmarshal(r.Data, &lim)
			} else {
				err = json.Unmarshal(r.Data, &prof)
			}
		}
		if err != nil {
			return fmt.Errorf("app: load cache: %w", err)
		}
	}
	s.mu.Lock()
	s.setReceiversLocked(rs)
	s.profile, s.limits = prof, lim
	s.mu.Unlock()
	convs, err := s.conversations(ctx)
	if err != nil {
		return err
	}
	s.hub.Publish(EventReceiversChanged, rs)
	s.hub.Publish(EventProfileChanged, prof)
	s.hub.Publish(EventConversationsChanged, ConversationsEvent{Conversations: convs, Replace: true})
	s.startRebuild(ctx)
	return nil
}

// startRebuild runs rebuildIndex in the background, replacing a running one.
func (s *session) startRebuild(ctx context.Context) {
	s.haltRebuild()
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.rebuildIndex(rctx)
	}()
	s.mu.Lock()
	s.stopRebuild = func() { cancel(); <-done }
	s.mu.Unlock()
}

// haltRebuild stops a running rebuild and waits for it.
func (s *session) haltRebuild() {
	s.mu.Lock()
	stop := s.stopRebuild
	s.stopRebuild = nil
	s.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// rebuildIndex fills the search index from every cached message.
func (s *session) rebuildIndex(ctx context.Context) {
	start := s.now()
	var batch []search.Doc
	flush := func() error {
		err := s.index.Put(ctx, batch)
		batch = batch[:0]
		return err
	}
	n := 0
	err := s.store.EachMessage(ctx, func(k store.Key, m store.MessageRecord) error {
		var msg Message
		if err := json.Unmarshal(m.Data, &msg); err != nil {
			return err
		}
		batch = append(batch, search.Doc{Type: k.Type, RID: k.ID, ID: m.ID, Text: msg.Text})
		n++
		if len(batch) == 1000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		s.log.Warn("search index rebuild failed", "err", err)
		return
	}
	s.log.Info("search index rebuilt", "messages", n, "took", s.now().Sub(start))
}

// conversations returns the cached conversation list, pinned first, then by activity.
func (s *session) conversations(ctx context.Context) ([]Conversation, error) {
	recs, err := s.store.Conversations(ctx)
	if err != nil {
		return nil, fmt.Errorf("app: conversations: %w", err)
	}
	out := make([]Conversation, 0, len(recs))
	for _, r := range recs {
		var c Conversation
		if err := json.Unmarshal(r.Data, &c); err != nil {
			return nil, fmt.Errorf("app: conversations: %w", err)
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Conversation) int {
		if a.Pinned != b.Pinned {
			if a.Pinned {
				return -1
			}
			return 1
		}
		switch {
		case a.LastActivity > b.LastActivity:
			return -1
		case a.LastActivity < b.LastActivity:
			return 1
		}
		return 0
	})
	return out, nil
}

// putMessages caches and indexes messages of one conversation.
func (s *session) putMessages(ctx context.Context, r Receiver, ms []Message) error {
	recs := make([]store.MessageRecord, 0, len(ms))
	docs := make([]search.Doc, 0, len(ms))
	for _, m := range ms {
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("app: cache message: %w", err)
		}
		recs = append(recs, store.MessageRecord{ID: m.ID, SortKey: m.SortKey, Data: b})
		docs = append(docs, search.Doc{Type: r.Type, RID: r.ID, ID: m.ID, Text: m.Text})
	}
	k := store.Key{Type: r.Type, ID: r.ID}
	if err := s.store.PutMessages(ctx, k, recs); err != nil {
		return err
	}
	return s.index.Put(ctx, docs)
}

// putConversations caches conversations.
func (s *session) putConversations(ctx context.Context, cs []Conversation, replace bool) error {
	recs := make([]store.ConversationRecord, 0, len(cs))
	for _, c := range cs {
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("app: cache conversation: %w", err)
		}
		recs = append(recs, store.ConversationRecord{Key: store.Key{Type: c.Receiver.Type, ID: c.Receiver.ID}, LastActivity: c.LastActivity, Data: b})
	}
	return s.store.PutConversations(ctx, recs, replace)
}

// putReceivers caches the full set of receivers and the profile.
func (s *session) putReceivers(ctx context.Context, rs Receivers) error {
	var recs []store.Record
	add := func(t, id string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("app: cache receiver: %w", err)
		}
		recs = append(recs, store.Record{Key: store.Key{Type: t, ID: id}, Data: b})
		return nil
	}
	for _, c := range rs.Contacts {
		if err := add(ReceiverContact, c.ID, c); err != nil {
			return err
		}
	}
	for _, g := range rs.Groups {
		if err := add(ReceiverGroup, g.ID, g); err != nil {
			return err
		}
	}
	for _, l := range rs.DistributionLists {
		if err := add(ReceiverDistributionList, l.ID, l); err != nil {
			return err
		}
	}
	s.mu.Lock()
	prof, lim := s.profile, s.limits
	s.setReceiversLocked(rs)
	s.mu.Unlock()
	if err := add(profileKey.Type, profileKey.ID, prof); err != nil {
		return err
	}
	if err := add(limitsKey.Type, limitsKey.ID, lim); err != nil {
		return err
	}
	return s.store.PutReceivers(ctx, recs, true)
}

// clear forgets everything cached, in memory and on disk.
func (s *session) clear(ctx context.Context, keys ...string) error {
	s.haltRebuild()
	if err := s.store.ClearCache(ctx, keys...); err != nil {
		return err
	}
	if err := s.index.Clear(ctx); err != nil {
		return err
	}
	empty := Receivers{Contacts: []Contact{}, Groups: []Group{}, DistributionLists: []DistributionList{}}
	s.mu.Lock()
	s.setReceiversLocked(empty)
	s.profile, s.limits = Profile{}, defaultLimits()
	s.mu.Unlock()
	s.hub.Publish(EventReceiversChanged, empty)
	s.hub.Publish(EventProfileChanged, Profile{})
	s.hub.Publish(EventConversationsChanged, ConversationsEvent{Conversations: []Conversation{}, Replace: true})
	return nil
}
