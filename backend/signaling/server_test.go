package signaling

import (
	"testing"
)

func TestHandshakeAndRelayTLS(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	if len(s.CertificateSHA256()) != 64 {
		t.Fatalf("fingerprint %q", s.CertificateSHA256())
	}
	ini, res := peerConfigs(t, s)
	a, b := dialPair(t, ini, res)
	if !a.PeerKey().Equal(res.PermanentKey.Public) || !b.PeerKey().Equal(ini.PermanentKey.Public) {
		t.Fatal("peer keys differ")
	}
	exchange(t, a, b)
}

func TestHandshakeAndRelayPlain(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true })
	ini, res := peerConfigs(t, s)
	a, b := dialPair(t, ini, res)
	exchange(t, a, b)
}
