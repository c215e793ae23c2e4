package e2e

import "testing"

func TestQuote(t *testing.T) {
	t.Parallel()
	s := QuoteText(0x0807060504030201, "yes, that")
	if s != "> quote #0102030405060708\n\nyes, that" {
		t.Fatalf("QuoteText = %q", s)
	}
	id, text, ok := ParseQuote(s)
	if !ok || id != 0x0807060504030201 || text != "yes, that" {
		t.Fatalf("ParseQuote = %x %q %v", id, text, ok)
	}
	for _, in := range []string{
		"plain text",
		"> quote #0102030405060708\n\n",           // no reply text
		"> quote #0102030405060708\nno blank",     // one newline
		"> quote #01020304050607XY\n\nbad digits", // not hex
		"> quote #0102030405060708\n\nA",
		"> ABCD1234: a v1 quote\n\nreply", // v1 quotes stay text
	} {
		_, text, ok := ParseQuote(in)
		if want := in == "> quote #0102030405060708\n\nA"; ok != want {
			t.Fatalf("%q: ok %v, want %v", in, ok, want)
		}
		if !ok && text != in {
			t.Fatalf("%q: text changed to %q", in, text)
		}
	}
}

// FuzzParseQuote: never panics; what it accepts is rebuilt by QuoteText
// up to the trimmed space.
func FuzzParseQuote(f *testing.F) {
	f.Add(QuoteText(1, "reply"))
	f.Add("> quote #ffffffffffffffff\n\nx")
	f.Add("plain")
	f.Fuzz(func(t *testing.T, s string) {
		id, text, ok := ParseQuote(s)
		if !ok {
			if text != s {
				t.Fatal("text changed without a quote")
			}
			return
		}
		if back, text2, ok2 := ParseQuote(QuoteText(id, text)); text != "" && (!ok2 || back != id || text2 != text) {
			t.Fatalf("no round trip: %x %q", id, text)
		}
	})
}
