package control

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/e2e"
)

// eventBuffer is how many events an SSE client may lag behind before it is
// disconnected (it can reconnect and read the state from the other calls).
const eventBuffer = 1024

// Server is the control API of one phone.
type Server struct {
	p     *phone.Phone
	token string
	log   *slog.Logger
	mux   *http.ServeMux
	wg    sync.WaitGroup

	desktops *webclient.Server // nil: no desktop routes
}

// New returns the control API of p; requests must carry token.
func New(p *phone.Phone, token string, log *slog.Logger, opts ...Option) (*Server, error) {
	if len(token) < 16 {
		return nil, fmt.Errorf("%w: token too short", ErrBadRequest)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{p: p, token: token, log: log.With("component", "control"), mux: http.NewServeMux()}
	for _, o := range opts {
		o(s)
	}
	s.registerSessions()
	s.mux.HandleFunc("GET /v1/identity", s.handleIdentity)
	s.mux.HandleFunc("GET /v1/contacts", s.handleContacts)
	s.mux.HandleFunc("POST /v1/contacts", s.handleAddContact)
	s.mux.HandleFunc("PATCH /v1/contacts/{id}", s.handleNameContact)
	s.mux.HandleFunc("GET /v1/conversations", s.handleConversations)
	s.mux.HandleFunc("GET /v1/conversations/{id}/messages", s.handleMessages)
	s.mux.HandleFunc("POST /v1/messages", s.handleSend)
	s.mux.HandleFunc("POST /v1/conversations/{id}/messages/{mid}/reactions", s.handleReact)
	s.mux.HandleFunc("POST /v1/groups", s.handleCreateGroup)
	s.mux.HandleFunc("GET /v1/groups", s.handleGroups)
	s.mux.HandleFunc("GET /v1/events", s.handleEvents)
	s.registerAvatars()
	return s, nil
}

// ServeHTTP checks the bearer token and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
		writeError(w, ErrUnauthorized)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Serve serves the API on ln until ctx ends, then shuts down and waits for
// its handlers (event streams included).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("control: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-errc
	s.wg.Wait()
	if err != nil {
		return fmt.Errorf("control: shutdown: %w", err)
	}
	return nil
}

// ErrorResponse is the body of every failure.
type ErrorResponse struct {
	// Error describes the failure.
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	writeJSON(w, statusOf(err), ErrorResponse{Error: err.Error()})
}

// IdentityResponse is the body of GET /v1/identity.
type IdentityResponse struct {
	ID          string `json:"id"`
	Nickname    string `json:"nickname"`
	PublicKey   string `json:"public_key"`
	Fingerprint string `json:"fingerprint"`
}

func (s *Server) handleIdentity(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, IdentityResponse{ID: s.p.ID(), Nickname: s.p.Nickname(),
		PublicKey: s.p.PublicKey().String(), Fingerprint: phone.Fingerprint(s.p.PublicKey())})
}

// Contact is a contact as the API shows it. Name is the name the user gave
// it (FirstName and LastName joined by a space); DisplayName is how the
// phone and its desktop show it: the name, else "~" and the nickname the
// contact sends, else the ID.
type Contact struct {
	ID           string `json:"id"`
	PublicKey    string `json:"public_key"`
	Fingerprint  string `json:"fingerprint"`
	DisplayName  string `json:"display_name"`
	Name         string `json:"name,omitempty"`
	FirstName    string `json:"first_name,omitempty"`
	LastName     string `json:"last_name,omitempty"`
	Nickname     string `json:"nickname,omitempty"`
	Verification int    `json:"verification"`
	Blocked      bool   `json:"blocked"`
	State        int    `json:"state"`
	FeatureMask  uint64 `json:"feature_mask"`
}

func contactOf(c store.Contact) Contact {
	return Contact{ID: c.ID, PublicKey: c.PublicKey.String(), Fingerprint: phone.Fingerprint(c.PublicKey),
		DisplayName: c.DisplayName(), Name: c.Name(), FirstName: c.FirstName, LastName: c.LastName, Nickname: c.Nickname, Verification: int(c.Verification), Blocked: c.Blocked, State: int(c.State), FeatureMask: c.FeatureMask}
}

func (s *Server) handleContacts(w http.ResponseWriter, r *http.Request) {
	cs, err := s.p.Contacts(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]Contact, 0, len(cs))
	for _, c := range cs {
		out = append(out, contactOf(c))
	}
	writeJSON(w, http.StatusOK, out)
}

func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(b) > maxBody {
		return nil, fmt.Errorf("%w: body", ErrBadRequest)
	}
	return b, nil
}

func (s *Server) handleAddContact(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(r)
	if err == nil {
		var req ContactRequest
		if req, err = decodeContact(b); err == nil {
			var c store.Contact
			if c, err = s.p.AddContact(r.Context(), req.ID); err == nil {
				writeJSON(w, http.StatusCreated, contactOf(c))
				return
			}
		}
	}
	writeError(w, err)
}

// handleNameContact changes the name the user gives a contact.
func (s *Server) handleNameContact(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	b, err := readBody(r)
	if err == nil {
		if err = checkID(id); err == nil {
			var req ContactNameRequest
			if req, err = decodeContactName(b); err == nil {
				var c store.Contact
				if c, err = s.p.RenameContact(r.Context(), id, req.FirstName, req.LastName); err == nil {
					writeJSON(w, http.StatusOK, contactOf(c))
					return
				}
			}
		}
	}
	writeError(w, err)
}

// Conversation is a conversation summary.
type Conversation struct {
	ID            string `json:"id"`
	Kind          string `json:"kind"`
	LastMessageAt int64  `json:"last_message_at"`
	Unread        int    `json:"unread"`
	Messages      int    `json:"messages"`
	Pinned        bool   `json:"pinned,omitempty"`
}

func (s *Server) handleConversations(w http.ResponseWriter, r *http.Request) {
	cs, err := s.p.Store().Conversations(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]Conversation, 0, len(cs))
	for _, c := range cs {
		out = append(out, Conversation{ID: c.Key, Kind: string(c.Kind), LastMessageAt: c.LastMessageAt.UnixMilli(), Unread: c.Unread, Messages: c.Messages, Pinned: c.Starred})
	}
	writeJSON(w, http.StatusOK, out)
}

// Message is a message as the API shows it (times in unix ms; the id as 16 hex characters).
type Message struct {
	Seq          int64  `json:"seq"`
	Conversation string `json:"conversation"`
	Sender       string `json:"sender"`
	ID           string `json:"id"`
	Outgoing     bool   `json:"outgoing"`
	Type         int    `json:"type"`
	Text         string `json:"text,omitempty"`
	State        string `json:"state"`
	CreatedAt    int64  `json:"created_at"`
	DeliveredAt  int64  `json:"delivered_at,omitempty"`
	ReadAt       int64  `json:"read_at,omitempty"`
	Deleted      bool   `json:"deleted,omitempty"`
	Edited       bool   `json:"edited,omitempty"`
	// Quotes is the id of the message this one quotes (as ID shows ids),
	// when its text starts with a quote; Text is then the reply alone.
	Quotes string `json:"quotes,omitempty"`
	// Reactions are the emoji reactions to the message, newest first.
	Reactions []Reaction `json:"reactions,omitempty"`
}

// Reaction is one identity's emoji reaction to a message.
type Reaction struct {
	Identity string `json:"identity"`
	Emoji    string `json:"emoji"`
	At       int64  `json:"at"` // unix ms
}

func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func messageOf(m store.Message) Message {
	out := Message{Seq: m.Seq, Conversation: m.Conversation, Sender: m.Sender, ID: fmt.Sprintf("%016x", m.MessageID),
		Outgoing: m.Outgoing, Type: int(m.Type), Text: m.Body, State: string(m.State), CreatedAt: msOrZero(m.CreatedAt),
		DeliveredAt: msOrZero(m.DeliveredAt), ReadAt: msOrZero(m.ReadAt), Deleted: !m.DeletedAt.IsZero(), Edited: !m.EditedAt.IsZero()}
	if m.Type == e2e.TypeText || m.Type == e2e.TypeGroupText {
		if quoted, text, ok := e2e.ParseQuote(m.Body); ok {
			out.Quotes, out.Text = fmt.Sprintf("%016x", quoted), text
		}
	}
	for _, r := range m.Reactions {
		out.Reactions = append(out.Reactions, Reaction{Identity: r.Identity, Emoji: r.Emoji, At: msOrZero(r.At)})
	}
	return out
}

// handleReact applies or withdraws the own reaction to a message of a
// conversation (a contact's ID or a group key "g:CREATOR:GROUPIDHEX"; the
// message id as 16 hex characters, as Message.ID shows it) and answers
// with the message and its reactions.
func (s *Server) handleReact(w http.ResponseWriter, r *http.Request) {
	var req ReactionRequest
	if err := decode(r.Body, &req); err != nil {
		writeError(w, err)
		return
	}
	if req.Emoji == "" {
		writeError(w, fmt.Errorf("%w: emoji is required", ErrBadRequest))
		return
	}
	mid, err := parseGroupID(r.PathValue("mid"))
	if err != nil {
		writeError(w, fmt.Errorf("%w: message id", ErrBadRequest))
		return
	}
	m, err := s.p.React(r.Context(), r.PathValue("id"), mid, req.Emoji, req.Withdraw)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, messageOf(m))
}

func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, before := 50, int64(0)
	var err error
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 1000 {
			writeError(w, fmt.Errorf("%w: limit", ErrBadRequest))
			return
		}
	}
	if v := q.Get("before"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil {
			writeError(w, fmt.Errorf("%w: before", ErrBadRequest))
			return
		}
	}
	ms, err := s.p.Store().Messages(r.Context(), r.PathValue("id"), before, limit)
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]Message, 0, len(ms))
	for _, m := range ms {
		out = append(out, messageOf(m))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleSend(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(r)
	if err != nil {
		writeError(w, err)
		return
	}
	req, data, err := decodeMessage(b)
	if err != nil {
		writeError(w, err)
		return
	}
	var file phone.FileInput
	if req.File != nil {
		file = phone.FileInput{Name: req.File.Name, MIME: req.File.MIME, Data: data, Caption: req.File.Caption,
			Duration: req.File.Duration}
	}
	var m store.Message
	switch {
	case req.Group != nil:
		id, _ := parseGroupID(req.Group.ID)
		if req.File != nil {
			m, err = s.p.SendGroupFile(r.Context(), req.Group.Creator, id, file)
		} else {
			m, err = s.p.SendGroupText(r.Context(), req.Group.Creator, id, req.Text)
		}
	case req.File != nil:
		m, err = s.p.SendFile(r.Context(), req.To, file)
	default:
		m, err = s.p.SendText(r.Context(), req.To, req.Text)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusAccepted, messageOf(m))
}

// handleEvents streams the phone's events as server-sent events until the
// client goes away, the server shuts down, or the client lags too far.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		writeError(w, errors.New("control: streaming unsupported"))
		return
	}
	s.wg.Add(1)
	defer s.wg.Done()
	ch := make(chan phone.Event, eventBuffer)
	lagged := make(chan struct{})
	var once sync.Once
	cancel := s.p.Subscribe(func(e phone.Event) {
		select {
		case ch <- e:
		default:
			once.Do(func() { close(lagged) })
		}
	})
	defer cancel()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, ": kurier-phone events\n\n")
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-lagged:
			s.log.Warn("event stream dropped: client too slow")
			return
		case e := <-ch:
			b, err := json.Marshal(e)
			if err != nil {
				s.log.Error("event not encoded", "err", err)
				continue
			}
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Kind, b); err != nil {
				return
			}
			fl.Flush()
		}
	}
}
