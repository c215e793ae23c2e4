package app_test

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/app/web"
)

// The TypeScript bridge mirrors the Go side by hand (frontend/src/bridge).
// These tests fail when the two drift apart.

func readBridge(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../frontend/src/bridge/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// quoted returns the single-quoted strings in src that match within.
func quoted(src string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`'([^']*)'`).FindAllStringSubmatch(src, -1) {
		out = append(out, m[1])
	}
	return out
}

// block returns the text between start and the next line that is exactly end.
func block(t *testing.T, src, start, end string) string {
	t.Helper()
	i := strings.Index(src, start)
	if i < 0 {
		t.Fatalf("bridge source has no %q", start)
	}
	rest := src[i+len(start):]
	j := strings.Index(rest, "\n"+end)
	if j < 0 {
		t.Fatalf("no end of %q", start)
	}
	return rest[:j]
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestEventNamesMatchTypeScript(t *testing.T) {
	t.Parallel()
	ts := quoted(block(t, readBridge(t, "events.ts"), "export const Events = {", "}"))
	if got, want := sorted(ts), app.EventNames(); !slices.Equal(got, want) {
		t.Fatalf("events.ts Events = %v, Go = %v", got, want)
	}
}

func TestMethodsMatchTypeScript(t *testing.T) {
	t.Parallel()
	svcs, err := app.Start(t.Context(), app.Config{DataDir: t.TempDir(), Mode: app.ModeWindow})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = svcs.Close() }()
	d, err := web.NewDispatcher(svcs.Bindings())
	if err != nil {
		t.Fatal(err)
	}
	ts := quoted(block(t, readBridge(t, "api.ts"), "export const Methods = {", "}"))
	if got, want := sorted(ts), d.Methods(); !slices.Equal(got, want) {
		t.Fatalf("api.ts Methods = %v, Go bindings = %v", got, want)
	}
}

func TestStructsMatchTypeScript(t *testing.T) {
	t.Parallel()
	src := readBridge(t, "types.ts")
	for _, v := range []any{app.Settings{}, app.LinkStatus{}, app.AppInfo{}, app.Receiver{}, app.Contact{}, app.Group{},
		app.DistributionList{}, app.Receivers{}, app.Quote{}, app.FileInfo{}, app.Location{}, app.Message{},
		app.Conversation{}, app.MessagePage{}, app.Profile{}, app.Limits{}, app.FileUpload{}, app.FileData{}, app.SavedFile{},
		app.SearchHit{}, app.PairingOptions{}, app.Notification{}, app.MessagesEvent{}, app.ConversationsEvent{}, app.ConversationPrefs{},
		app.TypingEvent{}} {
		typ := reflect.TypeOf(v)
		var goFields []string
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			goFields = append(goFields, name)
		}
		body := block(t, src, "export interface "+typ.Name()+" {", "}")
		var tsFields []string
		for _, m := range regexp.MustCompile(`(?m)^\s+(\w+)\??:`).FindAllStringSubmatch(body, -1) {
			tsFields = append(tsFields, m[1])
		}
		if got, want := sorted(tsFields), sorted(goFields); !slices.Equal(got, want) {
			t.Errorf("types.ts %s fields %v, Go json fields %v", typ.Name(), got, want)
		}
	}
}

func TestEnumsMatchTypeScript(t *testing.T) {
	t.Parallel()
	src := readBridge(t, "types.ts")
	for _, tc := range []struct {
		ts       string
		goValues []string
	}{
		{"export type Theme =", app.Themes()},
		{"export type Language =", app.Languages()},
		{"export type LinkState =", app.LinkStates()},
		{"export type Mode =", app.Modes()},
		{"export type ReceiverType =", app.ReceiverTypes()},
		{"export type World =", app.Worlds()},
	} {
		line := block(t, src, tc.ts, "")
		line, _, _ = strings.Cut(line, ";")
		if got, want := sorted(quoted(line)), sorted(tc.goValues); !slices.Equal(got, want) {
			t.Errorf("types.ts %s %v, Go %v", tc.ts, got, want)
		}
	}
}
