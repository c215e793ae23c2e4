package signaling

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// BenchmarkHandshake measures full signalling handshakes: an initiator and a
// responder (rtclink) both reach peer-authenticated through the server.
func BenchmarkHandshake(b *testing.B) {
	for _, tc := range []struct {
		name  string
		plain bool
	}{{"wss", false}, {"ws", true}} {
		b.Run(tc.name, func(b *testing.B) {
			s := startServer(b, func(c *Config) { c.PlainWS = tc.plain })
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				ini, res := peerConfigs(b, s)
				x, y, errA, errB := dialBoth(b, ini, res)
				if errA != nil || errB != nil {
					b.Fatalf("dial: %v, %v", errA, errB)
				}
				_ = x.Close(saltyrtc.CloseNormal)
				_ = y.Close(saltyrtc.CloseNormal)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "handshakes/s")
		})
	}
}

// envBenchConns sets the number of idle connections of BenchmarkIdleConnectionRSS.
const envBenchConns = "KURIER_BENCH_CONNS"

// envClientURL makes TestIdleClientsHelper the client process of the RSS benchmark.
const envClientURL = "KURIER_BENCH_CLIENT_URL"

// BenchmarkIdleConnectionRSS measures the server's resident memory per idle,
// authenticated connection. The clients run in a child process (this test
// binary, TestIdleClientsHelper), so only the server's memory is counted.
func BenchmarkIdleConnectionRSS(b *testing.B) {
	n := 1000
	if v := os.Getenv(envBenchConns); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("%s=%q", envBenchConns, v)
		}
	}
	raiseNoFile(b, uint64(n+256)) // the clients run in a child process
	for _, tc := range []struct {
		name  string
		plain bool
	}{{"wss", false}, {"ws", true}} {
		b.Run(fmt.Sprintf("%s/conns=%d", tc.name, n), func(b *testing.B) {
			for range b.N {
				s := startServer(b, func(c *Config) { c.PlainWS = tc.plain; c.Limits.MaxConnsPerIP = n + 10 })
				before := settledRSS(b)
				t0 := time.Now()
				cmd := exec.Command(os.Args[0], "-test.run=^TestIdleClientsHelper$", "-test.count=1")
				cmd.Env = append(os.Environ(), envClientURL+"="+s.URL(), envBenchConns+"="+strconv.Itoa(n),
					"KURIER_BENCH_SERVER_KEY="+s.PublicKey().String())
				stdout, _ := cmd.StdoutPipe()
				stdin, _ := cmd.StdinPipe()
				cmd.Stderr = os.Stderr
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				sc := bufio.NewScanner(stdout)
				ready := false
				for sc.Scan() {
					if strings.HasPrefix(sc.Text(), "ready") {
						ready = true
						break
					}
				}
				if !ready {
					_ = cmd.Wait()
					b.Fatal("client process failed")
				}
				b.Logf("%d connections in %v", n, time.Since(t0))
				after := settledRSS(b)
				_ = stdin.Close()
				_ = cmd.Wait()
				b.Logf("client process done after %v", time.Since(t0))
				perConn := float64(after-before) / float64(n)
				b.ReportMetric(perConn/1024, "KiB/conn")
				b.ReportMetric(float64(after)/(1<<20), "MiB-RSS")
			}
		})
	}
}

// settledRSS returns VmRSS after a GC that returns freed memory to the OS.
func settledRSS(tb testing.TB) int64 {
	tb.Helper()
	time.Sleep(200 * time.Millisecond)
	for range 4 { // each GC may halve idle goroutine stacks
		runtime.GC()
	}
	debug.FreeOSMemory()
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skipf("no /proc: %v", err)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	tb.Fatal("no VmRSS")
	return 0
}

func raiseNoFile(tb testing.TB, want uint64) {
	tb.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		tb.Fatal(err)
	}
	if lim.Cur >= want {
		return
	}
	lim.Cur = min(want, lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		tb.Fatalf("raise RLIMIT_NOFILE: %v", err)
	}
	if lim.Cur < want {
		tb.Fatalf("RLIMIT_NOFILE hard limit %d < %d", lim.Max, want)
	}
}

// TestIdleClientsHelper is the client process of BenchmarkIdleConnectionRSS:
// it opens KURIER_BENCH_CONNS authenticated initiator connections, prints
// "ready" and holds them until stdin closes. Without the env it does nothing.
func TestIdleClientsHelper(t *testing.T) {
	url := os.Getenv(envClientURL)
	if url == "" {
		return
	}
	n, _ := strconv.Atoi(os.Getenv(envBenchConns))
	serverKey, err := cryptobox.ParsePublicKeyHex(os.Getenv("KURIER_BENCH_SERVER_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	raiseNoFile(t, uint64(n+256))
	d := websocket.Dialer{Subprotocols: []string{saltyrtc.Subprotocol}, HandshakeTimeout: testTimeout,
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // benchmark against the local self-signed server
	conns := make([]*websocket.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	tok, _ := cryptobox.RandomSymmetricKey(rand.Reader)
	for range n {
		kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
		ws, _, err := d.DialContext(context.Background(), url+"/"+kp.Public.String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, ws)
		c, err := saltyrtc.NewClient(saltyrtc.ClientConfig{Role: saltyrtc.RoleInitiator, PermanentKey: kp, ServerKey: serverKey,
			AuthToken: &tok, Tasks: []saltyrtc.TaskSpec{{Name: "t"}}, Rand: rand.Reader})
		if err != nil {
			t.Fatal(err)
		}
		for !c.ServerAuthenticated() {
			_, b, err := ws.ReadMessage()
			if err != nil {
				t.Fatal(err)
			}
			out, err := c.Handle(time.Now(), b)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range out.Frames {
				if err := ws.WriteMessage(websocket.BinaryMessage, f); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	fmt.Println("ready") //nolint:forbidigo // protocol with the parent benchmark process
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
}
