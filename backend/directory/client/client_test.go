package client

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/directory"
)

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base, want string
		ok         bool
	}{
		{"http://127.0.0.1:8081/", "http://127.0.0.1:8081/identity/create", true},
		{"http://127.0.0.1:8081", "http://127.0.0.1:8081/identity/create", true},
		{"https://ds.example/api", "https://ds.example/api/identity/create", true},
		{"ftp://x/", "", false},
		{"::", "", false},
	}
	for _, tt := range tests {
		c, err := New(tt.base)
		if (err == nil) != tt.ok {
			t.Errorf("New(%q) = %v", tt.base, err)
			continue
		}
		if err == nil {
			if got := c.base.JoinPath("identity/create").String(); got != tt.want {
				t.Errorf("New(%q): create URL %s, want %s", tt.base, got, tt.want)
			}
		}
	}
}

func TestStatusError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		body   string
		want   error
	}{
		{http.StatusNotFound, ``, ErrNotFound},
		{http.StatusNotFound, `{"success":false,"error":"x","errorType":"notFound"}`, directory.ErrNotFound},
		{http.StatusBadRequest, `{"success":false,"error":"x","errorType":"badRequest"}`, directory.ErrBadRequest},
		{http.StatusRequestEntityTooLarge, `{"success":false,"error":"x","errorType":"tooLarge"}`, directory.ErrTooLarge},
		{http.StatusInternalServerError, `oops`, ErrUnexpectedResponse},
		{http.StatusOK, `{"success":false,"error":"x","errorType":"somethingNew"}`, directory.ErrInternal},
	}
	for _, tt := range tests {
		if err := statusError(tt.status, []byte(tt.body)); !errors.Is(err, tt.want) {
			t.Errorf("statusError(%d, %s) = %v, want %v", tt.status, tt.body, err, tt.want)
		}
	}
	var rl error = &RateLimitError{RetryAfter: time.Second}
	if !errors.Is(rl, ErrRateLimited) {
		t.Error("RateLimitError is not ErrRateLimited")
	}
}
