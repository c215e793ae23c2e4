package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kurier/kurier/protocol/directory"
)

// maxResponseBytes bounds a response body the client will read.
const maxResponseBytes = 8 << 20

// Client talks to one directory server. It is safe for concurrent use.
type Client struct {
	base *url.URL
	http *http.Client
}

var _ directory.Lookup = (*Client)(nil)

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient makes the client use hc (for timeouts, proxies or a custom
// dialer); the default is a client with a 30 s timeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http = hc }
}

// New returns a client for the directory at baseURL (e.g.
// "http://127.0.0.1:8081/").
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("directory client: base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("directory client: base URL %q is not http(s)", baseURL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	c := &Client{base: u, http: &http.Client{Timeout: 30 * time.Second}}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// do sends one request (a JSON body when in is not nil) and decodes a 200
// JSON answer into out. Other statuses become *RateLimitError, *APIError or
// ErrNotFound.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("directory client: encode: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.JoinPath(path).String(), body)
	if err != nil {
		return fmt.Errorf("directory client: %w", err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("directory client: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("directory client: read response: %w", err)
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return &RateLimitError{RetryAfter: time.Duration(secs) * time.Second}
	}
	if resp.StatusCode != http.StatusOK {
		return statusError(resp.StatusCode, raw)
	}
	var failure directory.ErrorResponse
	if err := json.Unmarshal(raw, &failure); err == nil && failure.ErrorType != "" && !failure.Success {
		return &APIError{Status: resp.StatusCode, Type: failure.ErrorType, Message: failure.Error}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%w: %w", ErrUnexpectedResponse, err)
	}
	return nil
}

// statusError turns a non-200 answer into an error.
func statusError(status int, raw []byte) error {
	var failure directory.ErrorResponse
	if err := json.Unmarshal(raw, &failure); err == nil && failure.ErrorType != "" {
		return &APIError{Status: status, Type: failure.ErrorType, Message: failure.Error}
	}
	if status == http.StatusNotFound {
		return ErrNotFound
	}
	return fmt.Errorf("%w: HTTP %d", ErrUnexpectedResponse, status)
}
