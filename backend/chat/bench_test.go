package chat

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

// benchWorld is a world tuned for load: no per-IP or per-receiver limits
// in the way.
// benchLimits lifts the bounds against hostile clients out of a
// benchmark's way.
func benchLimits(c *Config) {
	c.MaxConnectionsPerIP = 1 << 20
	c.MaxConnections = 1 << 20
	c.MaxPendingLoginsPerIP = 1 << 20
	c.MaxPendingLogins = 1 << 20
	c.MaxQueueBytesPerReceiver = 1 << 40
	c.MaxQueuePerReceiver = 1 << 30
}

func benchWorld(b *testing.B, mutate func(*Config)) *world {
	b.Helper()
	return newWorld(b, func(c *Config) {
		benchLimits(c)
		if mutate != nil {
			mutate(c)
		}
	})
}

// newUsers registers n identities, 16 at a time.
func (w *world) newUsers(n int) []user {
	w.t.Helper()
	users := make([]user, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range users {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			users[i] = w.newUser()
		}()
	}
	wg.Wait()
	return users
}

// BenchmarkDurableAck measures durably acknowledged messages per second:
// 100 concurrent senders (one connection each), each sending its share of
// b.N messages to offline receivers and waiting for every server ack, which
// the server sends only after the group commit that holds the message.
// "window" is how many Sends each sender has outstanding at once.
//
// sync=full fsyncs every commit (the default); sync=normal is
// Config.RelaxedSync (durable against a process crash, not a power loss);
// store=postgres keeps the queue in a local PostgreSQL (internal/pgtest:
// synchronous_commit on, fsync on), in the same run for the ratio.
func BenchmarkDurableAck(b *testing.B) {
	for _, window := range []int{1, 4} {
		for _, relaxed := range []bool{false, true} {
			mode := "full"
			if relaxed {
				mode = "normal"
			}
			b.Run(fmt.Sprintf("store=sqlite/sync=%s/senders=100/window=%d", mode, window), func(b *testing.B) {
				benchDurableAck(b, 100, window, func(c *Config) { c.RelaxedSync = relaxed })
			})
		}
		b.Run(fmt.Sprintf("store=postgres/senders=100/window=%d", window), func(b *testing.B) {
			url := pgtest.URL(b)
			benchDurableAck(b, 100, window, func(c *Config) { c.Database = url })
		})
	}
}

func benchDurableAck(b *testing.B, senders, window int, store func(*Config)) {
	w := benchWorld(b, store)
	users := w.newUsers(2 * senders)
	clients := make([]*client.Client, senders)
	for i := range clients {
		clients[i] = w.dial(users[i])
		waitSynced(b, clients[i])
	}
	cpu0 := cpuTime()
	elapsed := sendDurably(b, clients, users[senders:], window)
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/msg")
	st := w.srv.Stats()
	if st.MessagesAccepted != uint64(b.N) {
		b.Fatalf("accepted %d, want %d", st.MessagesAccepted, b.N)
	}
	b.ReportMetric(float64(st.CommittedRequests)/float64(max(st.Commits, 1)), "reqs/commit")
	b.ReportMetric(elapsed.Seconds()*1e6/float64(max(st.Commits, 1)), "µs/cycle")
	b.ReportMetric(float64(st.CommitTime.Microseconds())/float64(max(st.Commits, 1)), "µs/commit")
}

// sendDurably sends b.N messages, clients[i] to receivers[i] with window
// sends in flight each, waits for every server ack, reports msgs/s and the
// ack p99, and returns the time it took (the benchmark timer runs only
// meanwhile).
func sendDurably(b *testing.B, clients []*client.Client, receivers []user, window int) time.Duration {
	var next atomic.Int64
	var failed atomic.Value
	var acks latencies
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		for range window {
			wg.Add(1)
			go func() {
				defer wg.Done()
				to := receivers[i].id
				ctx := context.Background()
				for {
					n := next.Add(1)
					if n > int64(b.N) {
						return
					}
					sent := time.Now()
					if err := c.Send(ctx, envelope(c.Identity(), to, uint64(n), 0)); err != nil {
						failed.Store(err)
						return
					}
					acks.add(time.Since(sent))
				}
			}()
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(acks.percentile(0.99).Microseconds()), "ack-p99-µs")
	return elapsed
}

// BenchmarkDeliveryLatency measures the online delivery latency: the time
// from Send to the receiver's Incoming channel (durable commit included),
// one message at a time, with and without Config.RelaxedSync.
func BenchmarkDeliveryLatency(b *testing.B) {
	for _, relaxed := range []bool{false, true} {
		mode := "full"
		if relaxed {
			mode = "normal"
		}
		b.Run("sync="+mode, func(b *testing.B) { benchDeliveryLatency(b, relaxed) })
	}
}

func benchDeliveryLatency(b *testing.B, relaxed bool) {
	w := benchWorld(b, func(c *Config) { c.RelaxedSync = relaxed })
	alice, bob := w.newUser(), w.newUser()
	ca, cb := w.dial(alice), w.dial(bob)
	measureDelivery(b, ca, cb)
}

// measureDelivery sends b.N messages from ca to cb one at a time and
// reports the p50 and p99 from Send to cb's Incoming channel.
func measureDelivery(b *testing.B, ca, cb *client.Client) {
	waitSynced(b, ca)
	waitSynced(b, cb)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		go func() { _ = ca.Send(ctx, envelope(ca.Identity(), cb.Identity(), uint64(i), 0)) }()
		env := <-cb.Incoming()
		lat = append(lat, time.Since(start))
		if err := cb.Ack(ctx, env.Sender, env.MessageID); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkIdleConnectionRSS measures the server's resident memory per
// idle, logged-in connection. The clients run in a child process (this test
// binary again), so that only the server's memory is counted. The number of
// connections is KURIER_BENCH_CONNS (default 1,000).
func BenchmarkIdleConnectionRSS(b *testing.B) {
	n := 1000
	if s := os.Getenv("KURIER_BENCH_CONNS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("KURIER_BENCH_CONNS=%q", s)
		}
		n = v
	}
	if err := raiseFileLimit(n + 512); err != nil { // the clients run in a child process
		b.Skipf("cannot raise RLIMIT_NOFILE: %v", err)
	}
	w := benchWorld(b, nil)
	users := w.newUsers(n)
	// One measurement whatever b.N: it takes far longer than the
	// benchmark time, so the framework does not ask for more.
	m := measureIdleConns(b, w, users)
	b.ReportMetric(m.rss, "RSS-B/conn")
	b.ReportMetric(m.heap, "heap-B/conn")
	b.ReportMetric(m.stack, "stack-B/conn")
	b.ReportMetric(float64(n), "conns")
}

// cpuTime is the user plus system CPU time of this process (server and
// clients together), so that a figure per message can be told apart from
// the other load on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// raiseFileLimit lifts the soft RLIMIT_NOFILE to at least n (up to the hard limit).
func raiseFileLimit(n int) error {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return err
	}
	if rl.Cur >= uint64(n) {
		return nil
	}
	if rl.Max < uint64(n) {
		return fmt.Errorf("hard limit %d < %d", rl.Max, n)
	}
	rl.Cur = rl.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
}

// idleSpec is what the child process needs to log in.
type idleSpec struct {
	Addr      string
	ServerKey cryptobox.PublicKey
	IDs       []string
	Secrets   [][]byte
}

// idleCost is the memory of one idle connection, in bytes.
type idleCost struct{ rss, heap, stack float64 }

func measureIdleConns(b *testing.B, w *world, users []user) idleCost {
	b.Helper()
	spec := idleSpec{Addr: w.srv.Addr().String(), ServerKey: w.key.Public}
	for _, u := range users {
		spec.IDs = append(spec.IDs, u.id.String())
		spec.Secrets = append(spec.Secrets, u.key.Secret[:])
	}
	f, err := os.CreateTemp(b.TempDir(), "spec")
	if err != nil {
		b.Fatal(err)
	}
	if err := json.NewEncoder(f).Encode(spec); err != nil {
		b.Fatal(err)
	}
	_ = f.Close()

	settle()
	rss0, heap0, stack0 := rssBytes(b), heapInUse(), stackInUse()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIdleClientsHelper$")
	cmd.Env = append(os.Environ(), "KURIER_IDLE_SPEC="+f.Name())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	}()
	sc := bufio.NewScanner(stdout)
	ready := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "READY") {
			ready = true
			break
		}
	}
	if !ready {
		b.Fatal("idle clients helper failed")
	}
	eventually(b, "all connections logged in", func() bool { return w.srv.ConnectedCount() == len(users) })
	time.Sleep(200 * time.Millisecond)
	settle()
	rss1, heap1, stack1 := rssBytes(b), heapInUse(), stackInUse()
	if os.Getenv("KURIER_BENCH_HEAPPROFILE") != "" {
		f, err := os.Create(os.Getenv("KURIER_BENCH_HEAPPROFILE"))
		if err == nil {
			_ = pprof.WriteHeapProfile(f)
			_ = f.Close()
		}
	}
	n := float64(len(users))
	return idleCost{rss: float64(rss1-rss0) / n, heap: float64(heap1-heap0) / n, stack: float64(stack1-stack0) / n}
}

// settle runs the GC until stacks shrink and returns freed memory to the OS.
func settle() {
	for range 8 {
		runtime.GC()
	}
	debug.FreeOSMemory()
}

// rssBytes reads VmRSS from /proc/self/status.
func rssBytes(b *testing.B) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmRSS")
	return 0
}

// heapInUse is the Go heap in use.
func heapInUse() int64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}

// stackInUse is the memory of goroutine stacks.
func stackInUse() int64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.StackInuse)
}

// TestIdleClientsHelper is the child process of BenchmarkIdleConnectionRSS:
// it logs every identity of the spec in (raw CSP, one goroutine-free
// connection each), prints READY, and holds the connections until stdin
// closes. It does nothing in a normal test run.
func TestIdleClientsHelper(t *testing.T) {
	path := os.Getenv("KURIER_IDLE_SPEC")
	if path == "" {
		t.Skip("helper process for BenchmarkIdleConnectionRSS")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var spec idleSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	conns := make([]net.Conn, len(spec.IDs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	errs := make(chan error, len(spec.IDs))
	for i := range spec.IDs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			nc, err := idleLogin(spec, i)
			if err != nil {
				errs <- err
				return
			}
			conns[i] = nc
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	fmt.Println("READY")
	_, _ = io.Copy(io.Discard, os.Stdin)
	for _, nc := range conns {
		_ = nc.Close()
	}
}

// idleLogin logs identity i of spec in and reads queue-send-complete.
func idleLogin(spec idleSpec, i int) (net.Conn, error) {
	id, err := csp.ParseID(spec.IDs[i])
	if err != nil {
		return nil, err
	}
	sk, err := cryptobox.ParseSecretKey(spec.Secrets[i])
	if err != nil {
		return nil, err
	}
	kp, err := cryptobox.KeyPairFromSecret(sk)
	if err != nil {
		return nil, err
	}
	nc, err := net.Dial("tcp", spec.Addr)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (net.Conn, error) { _ = nc.Close(); return nil, err }
	hs, err := csp.NewClientHandshake(rand.Reader, id, kp, spec.ServerKey)
	if err != nil {
		return fail(err)
	}
	hello, _ := hs.Hello()
	if _, err := nc.Write(hello); err != nil {
		return fail(err)
	}
	sh := make([]byte, csp.ServerHelloLen)
	if _, err := io.ReadFull(nc, sh); err != nil {
		return fail(err)
	}
	if err := hs.ReadServerHello(sh); err != nil {
		return fail(err)
	}
	login, err := hs.Login(csp.Extensions{HasPayloadVersion: true, PayloadVersion: 1})
	if err != nil {
		return fail(err)
	}
	if _, err := nc.Write(login); err != nil {
		return fail(err)
	}
	ack := make([]byte, csp.LoginAckLen)
	if _, err := io.ReadFull(nc, ack); err != nil {
		return fail(err)
	}
	if _, err := hs.ReadLoginAck(ack); err != nil {
		return fail(err)
	}
	if _, err := csp.ReadFrame(nc, nil); err != nil {
		return fail(err)
	}
	return nc, nil
}
