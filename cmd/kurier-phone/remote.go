package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kurier/kurier/phone/control"
)

// remote is the control API of a kurier-phone serve running on the same data
// directory: while one runs, the one-shot commands go through it instead of
// opening a second chat connection (which would take the first one over).
type remote struct {
	base  string
	token string
	hc    *http.Client
}

// findRemote returns the running serve of dir, if there is one that answers.
func findRemote(ctx context.Context, dir string) (*remote, bool) {
	addr, err := os.ReadFile(filepath.Join(dir, "control.addr"))
	if err != nil {
		return nil, false
	}
	tok, err := os.ReadFile(filepath.Join(dir, "control.token"))
	if err != nil {
		return nil, false
	}
	r := &remote{base: "http://" + strings.TrimSpace(string(addr)), token: strings.TrimSpace(string(tok)),
		hc: &http.Client{Timeout: commandTimeout}}
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	var id control.IdentityResponse
	if err := r.do(pctx, "GET", "/v1/identity", nil, &id); err != nil {
		return nil, false
	}
	return r, true
}

// do calls the API and decodes the answer into out.
func (r *remote) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	resp, err := r.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode >= 300 {
		var e control.ErrorResponse
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return fmt.Errorf("running phone: %s (%d)", e.Error, resp.StatusCode)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// sendRemote sends through the running phone and waits until the server
// acknowledged the message.
func sendRemote(ctx context.Context, e *env, r *remote, to, text string) error {
	var m control.Message
	if err := r.do(ctx, "POST", "/v1/messages", control.MessageRequest{To: to, Text: text}, &m); err != nil {
		return err
	}
	for {
		var ms []control.Message
		if err := r.do(ctx, "GET", "/v1/conversations/"+to+"/messages?limit=100", nil, &ms); err != nil {
			return err
		}
		for _, x := range ms {
			if x.ID == m.ID && x.State != "sending" {
				fmt.Fprintf(e.out, "sent %s\n", m.ID)
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not acknowledged by the server yet (it stays in the outbox): %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// inboxRemote prints the conversations of the running phone.
func inboxRemote(ctx context.Context, e *env, r *remote, limit int) error {
	var convs []control.Conversation
	if err := r.do(ctx, "GET", "/v1/conversations", nil, &convs); err != nil {
		return err
	}
	for _, cv := range convs {
		fmt.Fprintf(e.out, "== %s (%s, %d messages, %d unread)\n", cv.ID, cv.Kind, cv.Messages, cv.Unread)
		var ms []control.Message
		if err := r.do(ctx, "GET", fmt.Sprintf("/v1/conversations/%s/messages?limit=%d", cv.ID, max(1, min(limit, 1000))), nil, &ms); err != nil {
			return err
		}
		for _, m := range ms {
			dir := "<"
			if m.Outgoing {
				dir = ">"
			}
			text := m.Text
			if m.Deleted {
				text = "(deleted)"
			}
			fmt.Fprintf(e.out, "%s %s %s %-9s %s\n", time.UnixMilli(m.CreatedAt).Local().Format("2006-01-02 15:04:05"), dir, m.Sender, m.State, text)
		}
	}
	return nil
}
