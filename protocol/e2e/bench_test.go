package e2e

import (
	"crypto/rand"
	"strings"
	"testing"
)

func BenchmarkSealText100(b *testing.B) {
	p := newPair(b)
	h := header(p.a, p.b, 1)
	m := Text{Text: strings.Repeat("x", 100)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Seal(rand.Reader, p.ab, h, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenText100(b *testing.B) {
	p := newPair(b)
	h := header(p.a, p.b, 1)
	s, err := Seal(rand.Reader, p.ab, h, Text{Text: strings.Repeat("x", 100)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Open(p.ba, h, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewPeerKeys(b *testing.B) {
	p := newPair(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewPeerKeys(p.a.id, p.a.kp.Secret, p.b.id, p.b.kp.Public); err != nil {
			b.Fatal(err)
		}
	}
}
