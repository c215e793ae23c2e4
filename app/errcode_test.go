package app_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/app/phonelink"
	"github.com/kurier/kurier/app/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

func TestCodeOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want app.ErrorCode
	}{
		{"the phone refuses an unknown ID", fmt.Errorf("phonelink: create/contact: %w", wc.ErrInvalidIdentity), app.CodeInvalidIdentity},
		{"not connected", fmt.Errorf("app: send: %w", app.ErrNotConnected), app.CodeNotConnected},
		{"the outbox is full", app.ErrOutboxFull, app.CodeOutboxFull},
		{"a Threema phone takes thumbs only", app.ErrReactionNotSupported, app.CodeReactionNotSupported},
		{"a Threema phone cannot edit", app.ErrEditNotSupported, app.CodeEditNotSupported},
		{"the contact's app cannot show the edit", fmt.Errorf("phonelink: request/editMessage: %w", wc.ErrUnsupportedByRecipient),
			app.CodeUnsupportedByRecipient},
		{"too old to edit", fmt.Errorf("phonelink: request/editMessage: %w", wc.ErrMessageTooOld), app.CodeMessageTooOld},
		{"link closed mid-call", fmt.Errorf("phonelink: request: %w", phonelink.ErrClosed), app.CodeNotConnected},
		{"phone ended the session", phonelink.ErrDisconnected, app.CodeNotConnected},
		{"no answer in time", fmt.Errorf("phonelink: %w", context.DeadlineExceeded), app.CodeTimeout},
		{"wrong password", fmt.Errorf("app: unlock: %w", app.ErrWrongPassword), app.CodeWrongPassword},
		{"nothing remembered", app.ErrNoSession, app.CodeNoSession},
		{"bad input", fmt.Errorf("%w: receiver contact %q", app.ErrInvalid, "x"), app.CodeInvalidInput},
		{"bad setting", app.ErrInvalidSetting, app.CodeInvalidInput},
		{"phone says bad request", wc.ErrBadRequest, app.CodeInvalidInput},
		{"name too long", fmt.Errorf("rename: %w", wc.ErrValueTooLong), app.CodeTooLong},
		{"policy", wc.ErrDisabledByPolicy, app.CodeNotAllowed},
		{"group gone", wc.ErrInvalidGroup, app.CodeNotFound},
		{"not in the cache", fmt.Errorf("app: file: %w", store.ErrNotFound), app.CodeNotFound},
		{"no members", wc.ErrNoMembers, app.CodeNoMembers},
		{"left already", wc.ErrAlreadyLeft, app.CodeAlreadyLeft},
		{"blocked", wc.ErrBlocked, app.CodeBlocked},
		{"bad picture", wc.ErrInvalidAvatar, app.CodeInvalidAvatar},
		{"blob gone", wc.ErrBlobDownloadFailed, app.CodeFileUnavailable},
		{"phone internal error", wc.ErrInternal, app.CodeUnknown},
		{"anything else", errors.New("disk on fire"), app.CodeUnknown},
		{"nil", nil, app.CodeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := app.CodeOf(tc.err); got != tc.want {
				t.Errorf("CodeOf(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

func TestDescribeErrorKeepsTheRawTextForTheConsole(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("phonelink: create/contact: %w", wc.ErrInvalidIdentity)
	got := app.DescribeError(err)
	want := app.CallError{Code: app.CodeInvalidIdentity, Message: "phonelink: create/contact: webclient: invalidIdentity"}
	if got != want {
		t.Errorf("DescribeError = %+v, want %+v", got, want)
	}
}

func TestErrorCodesMatchTypeScript(t *testing.T) {
	t.Parallel()
	ts := quoted(block(t, readBridge(t, "errors.ts"), "export const errorCodes = [", "]"))
	var goCodes []string
	for _, c := range app.ErrorCodes() {
		goCodes = append(goCodes, string(c))
	}
	if !slices.Equal(sorted(ts), sorted(goCodes)) {
		t.Errorf("frontend/src/bridge/errors.ts lists %v, Go has %v", ts, goCodes)
	}
}
