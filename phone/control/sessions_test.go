package control

import (
	"context"
	"crypto/rand"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
	"github.com/kurier/kurier/protocol/qr"
	"github.com/kurier/kurier/protocol/saltyrtc"
	"github.com/kurier/kurier/rtclink"
)

// TestPairAndSessions pairs a Go initiator through POST /v1/pair, lists
// and revokes the session.
func TestPairAndSessions(t *testing.T) {
	t.Parallel()
	bj := phonetest.Backend(t)
	p, _ := phonetest.Phone(t, bj, "A")
	desk := webclient.New(p, webclient.Config{})
	t.Cleanup(func() { _ = desk.Close() })
	s, err := New(p, token, nil, WithDesktops(desk))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	base := "http://" + ln.Addr().String()

	prov, err := provisioning.Load(bj)
	if err != nil {
		t.Fatal(err)
	}
	skey, _ := cryptobox.ParsePublicKeyHex(prov.Signaling.PublicKey)
	u, _ := url.Parse(prov.Signaling.URL)
	port, _ := strconv.Atoi(u.Port())
	key, _ := cryptobox.GenerateKeyPair(rand.Reader)
	tok, _ := cryptobox.RandomSymmetricKey(rand.Reader)
	code := func(port int) string {
		text, err := qr.Payload{Version: qr.ProtocolVersion, Permanent: true, InitiatorKey: key.Public, AuthToken: tok,
			ServerKey: skey, Host: u.Hostname(), Port: uint16(port)}.Encode()
		if err != nil {
			t.Fatal(err)
		}
		return text
	}

	if st := call(t, "POST", base+"/v1/pair", PairRequest{QR: "not a code"}, nil); st != http.StatusBadRequest {
		t.Fatalf("bad code: %d", st)
	}
	if st := call(t, "POST", base+"/v1/pair", PairRequest{QR: code(port + 1)}, nil); st != http.StatusBadRequest {
		t.Fatalf("code for another server: %d", st)
	}

	// The desktop waits as initiator while the phone is asked to pair.
	dctx, dcancel := context.WithTimeout(context.Background(), phonetest.Timeout)
	defer dcancel()
	dres := make(chan error, 1)
	var rs *rtclink.Session
	go func() {
		cfg := rtclink.Config{Role: saltyrtc.RoleInitiator, ServerURL: prov.Signaling.URL, ServerKey: skey,
			TLSCertificateSHA256: prov.Signaling.TLSCertificateSHA256, PermanentKey: key, AuthToken: &tok,
			Tasks: []rtclink.Task{rtclink.NewWebRTCTask(rtclink.WebRTCConfig{})}}
		var err error
		if rs, err = rtclink.Dial(dctx, cfg); err != nil {
			dres <- err
			return
		}
		task, err := rtclink.WebRTC(rs)
		if err == nil {
			_, err = task.OpenChannel(dctx, "THREEMA")
		}
		dres <- err
	}()
	var info webclient.SessionInfo
	st := call(t, "POST", base+"/v1/pair", PairRequest{QR: code(port)}, &info)
	if err := <-dres; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rs.Close(saltyrtc.CloseNormal) })
	if st != http.StatusCreated || info.ID == "" || !info.Permanent || !info.Active {
		t.Fatalf("pair: %d %+v", st, info)
	}

	var list []webclient.SessionInfo
	if st := call(t, "GET", base+"/v1/sessions", nil, &list); st != http.StatusOK || len(list) != 1 || list[0].ID != info.ID {
		t.Fatalf("sessions: %d %+v", st, list)
	}
	if st := call(t, "DELETE", base+"/v1/sessions/"+info.ID, nil, nil); st != http.StatusNoContent {
		t.Fatalf("revoke: %d", st)
	}
	if st := call(t, "DELETE", base+"/v1/sessions/"+info.ID, nil, nil); st != http.StatusNotFound {
		t.Fatalf("second revoke: %d", st)
	}
	if st := call(t, "GET", base+"/v1/sessions", nil, &list); st != http.StatusOK || len(list) != 0 {
		t.Fatalf("sessions after revoke: %d %+v", st, list)
	}
}
