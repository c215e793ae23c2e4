package webclient

import (
	"reflect"
	"testing"
)

func TestTypedRoundTrip(t *testing.T) {
	t.Parallel()
	seen := map[Key]bool{}
	for _, tc := range samples() {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Encode(tc.msg)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			m, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			dec := DecodeFromApp
			if tc.fromWeb {
				dec = DecodeFromWeb
			}
			got, err := dec(m)
			if err != nil {
				t.Fatalf("typed decode: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %#v\nwant %#v", got, tc.want)
			}
			b2, err := Encode(m)
			if err != nil {
				t.Fatalf("re-encode: %v", err)
			}
			if string(b2) != string(b) {
				t.Fatal("re-encoding the decoded envelope changed the bytes")
			}
		})
		seen[Key{tc.msg.Type, tc.msg.SubType}] = true
	}
	for _, k := range Keys() {
		if !seen[k] {
			t.Errorf("catalogue entry %s/%s has no round-trip sample", k.Type, k.SubType)
		}
	}
}
