package web

import (
	"encoding/json"
	"errors"
	"testing"
)

type calculator struct{ calls int }

type sum struct {
	Total int `json:"total"`
}

func (c *calculator) Add(a, b int) (sum, error) { c.calls++; return sum{a + b}, nil }
func (c *calculator) Fail() error               { return errors.New("calculator: broken") }
func (c *calculator) Reset() error              { c.calls = 0; return nil }

type badService struct{}

func (badService) Nothing() {}

type variadicService struct{}

func (*variadicService) Many(...int) error { return nil }

func raw(vs ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(vs))
	for i, v := range vs {
		out[i] = json.RawMessage(v)
	}
	return out
}

func TestDispatcherCalls(t *testing.T) {
	t.Parallel()
	c := &calculator{}
	d, err := NewDispatcher([]any{c})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Methods(); len(got) != 3 || got[0] != "calculator.Add" {
		t.Fatalf("Methods() = %v", got)
	}
	for _, tc := range []struct {
		name    string
		method  string
		args    []json.RawMessage
		want    any
		wantErr error
		anyErr  bool
	}{
		{name: "result", method: "calculator.Add", args: raw("2", "40"), want: sum{42}},
		{name: "error only", method: "calculator.Reset", args: raw(), want: nil},
		{name: "method error", method: "calculator.Fail", args: raw(), anyErr: true},
		{name: "unknown method", method: "calculator.Sub", args: raw(), wantErr: ErrUnknownMethod},
		{name: "unknown service", method: "Nope.Add", args: raw(), wantErr: ErrUnknownMethod},
		{name: "too few args", method: "calculator.Add", args: raw("1"), wantErr: ErrBadArguments},
		{name: "too many args", method: "calculator.Add", args: raw("1", "2", "3"), wantErr: ErrBadArguments},
		{name: "wrong type", method: "calculator.Add", args: raw(`"1"`, "2"), wantErr: ErrBadArguments},
		{name: "not json", method: "calculator.Add", args: raw("{", "2"), wantErr: ErrBadArguments},
	} {
		got, err := d.Call(tc.method, tc.args)
		switch {
		case tc.wantErr != nil:
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("%s: err = %v, want %v", tc.name, err, tc.wantErr)
			}
		case tc.anyErr:
			if err == nil {
				t.Errorf("%s: no error", tc.name)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case got != tc.want:
			t.Errorf("%s: got %#v, want %#v", tc.name, got, tc.want)
		}
	}
}

func TestDispatcherRefusesUnbindableServices(t *testing.T) {
	t.Parallel()
	for _, svc := range []any{badService{}, &badService{}, &variadicService{}, 42} {
		if _, err := NewDispatcher([]any{svc}); !errors.Is(err, ErrNotBindable) {
			t.Errorf("NewDispatcher(%T): %v, want ErrNotBindable", svc, err)
		}
	}
}
