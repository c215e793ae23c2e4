package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	blobclient "github.com/kurier/kurier/backend/blob/client"
	"github.com/kurier/kurier/backend/chat/client"
	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/provisioning"
)

// TestSoak runs the hostile clients of issue 14 against a real
// kurier-backend process (`make soak`) while a good client logs in, sends a
// message and waits for its ack every 100 ms, and looks an identity up
// every 5 s. It runs in phases: quiet (no attack, the baseline), each attack
// alone for $KURIER_SOAK_PHASE (default 30s), then every attack together
// for $KURIER_SOAK (e.g. 5m). For each phase it prints the good client's
// latency and its p99 against the quiet one, and at the end the server's
// refusals per reason; it fails on any failure of the good client. Without
// KURIER_SOAK it is skipped: it is a tool, not part of `make test`.
//
// With KURIER_SOAK_CPUS=separate (the default on a machine with two cores
// or more) the attackers run in a process of their own pinned to the last
// core, and the backend and the good client to the others, as if the
// attackers were another machine; KURIER_SOAK_CPUS=shared runs them all in
// this process on every core, where the attackers also take the server's
// CPU.
func TestSoak(t *testing.T) {
	spec := os.Getenv("KURIER_SOAK")
	if spec == "" {
		t.Skip("set KURIER_SOAK (e.g. 5m) or run make soak")
	}
	duration, err := time.ParseDuration(spec)
	if err != nil {
		t.Fatalf("KURIER_SOAK=%q: %v", spec, err)
	}
	phase := 30 * time.Second
	if v := os.Getenv("KURIER_SOAK_PHASE"); v != "" {
		if phase, err = time.ParseDuration(v); err != nil {
			t.Fatalf("KURIER_SOAK_PHASE=%q: %v", v, err)
		}
	}
	cpus := os.Getenv("KURIER_SOAK_CPUS")
	if cpus == "" {
		cpus = "shared"
		if runtime.NumCPU() >= 2 {
			cpus = "separate"
		}
	}
	if cpus != "separate" && cpus != "shared" {
		t.Fatalf("KURIER_SOAK_CPUS=%q: want separate or shared", cpus)
	}
	bin := buildBackend(t)
	dir := t.TempDir()
	server := fmt.Sprintf("0-%d", runtime.NumCPU()-2)
	attackers := fmt.Sprint(runtime.NumCPU() - 1)
	if cpus == "separate" {
		// The backend inherits the affinity of the thread that starts it,
		// and so do this process's threads created from now on.
		pin(t, server, os.Getpid())
	}
	cmd, f := startProcess(t, bin, dir)
	if cpus == "separate" {
		pin(t, server, cmd.Process.Pid)
		t.Logf("attackers on CPU %s; backend and good client on CPU %s", attackers, server)
	}
	good := newGoodClient(t, f)

	type phaseSpec struct {
		name    string
		attacks []string
		length  time.Duration
	}
	phases := []phaseSpec{{"quiet", nil, phase}}
	for _, a := range attackNames {
		phases = append(phases, phaseSpec{a, []string{a}, phase})
	}
	phases = append(phases, phaseSpec{"all", attackNames, duration})
	var quietP99 time.Duration
	failed := 0
	for _, ph := range phases {
		ctx, cancel := context.WithTimeout(context.Background(), ph.length)
		var wg sync.WaitGroup
		if len(ph.attacks) > 0 {
			if cpus == "separate" {
				startAttackerProcess(ctx, t, &wg, attackers, filepath.Join(dir, "backend.json"), ph.attacks, ph.length)
			} else {
				runAttacks(ctx, t, f, &wg, ph.attacks)
			}
		}
		lat, failures := good.run(ctx)
		cancel()
		wg.Wait()
		failed += len(failures)
		if len(lat) == 0 {
			t.Fatalf("%s: the good client never got through: %v", ph.name, failures)
		}
		q := func(p int) time.Duration { return lat[min(len(lat)-1, len(lat)*p/100)].Round(10 * time.Microsecond) }
		if ph.name == "quiet" {
			quietP99 = q(99)
		}
		fmt.Printf("soak: %-11s %s: %d rounds, %d failures, p50 %s, p99 %s (%.2f× quiet), max %s\n",
			ph.name, ph.length, len(lat), len(failures), q(50), q(99), float64(q(99))/float64(quietP99),
			lat[len(lat)-1].Round(10*time.Microsecond))
		for i, f := range failures {
			if i < 3 {
				t.Logf("%s: failure: %s", ph.name, f)
			}
		}
		if q(99) > 20*time.Millisecond {
			t.Logf("soak: %s: the good client's p99 %s is above the 20 ms goal", ph.name, q(99))
		}
	}
	fmt.Printf("soak: attackers' CPU %s; good client: login + send + ack every 100 ms, a lookup every 5 s\n", cpus)
	for _, line := range scrapeRefusals(t, f) {
		fmt.Println("soak: refused:", line)
	}
	if failed > 0 {
		t.Fatalf("%d failures of the good client", failed)
	}
}

// startAttackerProcess runs TestSoakAttackers with attacks for length in a
// process of its own pinned to cpus; wg is done when it has ended.
func startAttackerProcess(ctx context.Context, t *testing.T, wg *sync.WaitGroup, cpus, backendJSON string, attacks []string, length time.Duration) {
	t.Helper()
	child := exec.CommandContext(ctx, "taskset", "-c", cpus, os.Args[0], "-test.run=^TestSoakAttackers$", "-test.v")
	child.Env = append(os.Environ(), "KURIER_SOAK_ATTACK="+backendJSON,
		"KURIER_SOAK_ATTACKS="+strings.Join(attacks, ","), "KURIER_SOAK="+length.String())
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "attack:") {
				t.Log(strings.TrimSpace(sc.Text()))
			}
		}
		_ = child.Wait()
	}()
}

// goodClient is the soak's good client: alice sends to bob.
type goodClient struct {
	f          *provisioning.File
	alice, bob party
	key        cryptobox.PublicKey
	dc         *dirclient.Client
	mid        uint64
}

func newGoodClient(t *testing.T, f *provisioning.File) *goodClient {
	t.Helper()
	key, err := f.ChatKey()
	if err != nil {
		t.Fatal(err)
	}
	dc, err := dirclient.New(f.Directory.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &goodClient{f: f, alice: register(t, f), bob: register(t, f), key: key, dc: dc}
}

// run does a round every 100 ms until ctx ends, and returns the sorted
// latencies of the rounds that worked and the errors of those that failed.
func (g *goodClient) run(ctx context.Context) (lat []time.Duration, failures []string) {
	aliceID, _ := csp.ParseID(g.alice.id)
	bobID, _ := csp.ParseID(g.bob.id)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
			continue
		case <-tick.C:
		}
		g.mid++
		start := time.Now()
		err := func() error {
			cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer ccancel()
			c, err := client.Dial(cctx, client.Config{Addr: g.f.Chat.Address, ServerKey: g.key, Identity: g.alice.id, Key: g.alice.kp})
			if err != nil {
				return fmt.Errorf("login: %w", err)
			}
			defer func() { _ = c.Close() }()
			env := csp.Envelope{Sender: aliceID, Receiver: bobID, MessageID: g.mid, CreatedAt: uint32(time.Now().Unix()),
				Box: make([]byte, 32)}
			if err := c.Send(cctx, env); err != nil {
				return fmt.Errorf("send: %w", err)
			}
			// A lookup every 5 s: a real client looks a contact up once and
			// keeps its key; more would spend the good client's own budget
			// (1,000 an hour), which is the enumeration bound working.
			if g.mid%50 == 1 {
				if _, err := g.dc.LookupIdentity(cctx, g.bob.id); err != nil {
					return fmt.Errorf("lookup: %w", err)
				}
			}
			return nil
		}()
		if err != nil {
			failures = append(failures, err.Error())
			continue
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	return lat, failures
}

// TestSoakAttackers is TestSoak's attacker process (KURIER_SOAK_CPUS=separate):
// it runs the attacks named in $KURIER_SOAK_ATTACKS against the backend of
// the backend.json named by $KURIER_SOAK_ATTACK until killed or for
// $KURIER_SOAK.
func TestSoakAttackers(t *testing.T) {
	path := os.Getenv("KURIER_SOAK_ATTACK")
	if path == "" {
		t.Skip("run by TestSoak")
	}
	f, err := provisioning.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	duration, err := time.ParseDuration(os.Getenv("KURIER_SOAK"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	runAttacks(ctx, t, f, &wg, strings.Split(os.Getenv("KURIER_SOAK_ATTACKS"), ","))
	wg.Wait()
}

// attackNames are the soak's attacks, in the order of its phases.
var attackNames = []string{"logins", "idle", "enumeration", "uploads", "queue"}

// runAttacks starts the named attacks of issue 14 against the backend of
// f, each from its own loopback address, until ctx ends.
func runAttacks(ctx context.Context, t *testing.T, f *provisioning.File, wg *sync.WaitGroup, names []string) {
	attack := func(name string, n int, fn func(ctx context.Context)) {
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					fn(ctx)
				}
			}()
		}
		fmt.Printf("attack: %s (%d workers)\n", name, n)
	}
	dirURL, _ := url.Parse(f.Directory.URL)
	blobURL, _ := url.Parse(f.Blob.URL)
	sigURL, _ := url.Parse(f.Signaling.URL)
	for _, name := range names {
		switch name {
		case "logins": // 1. Half-open chat connections from four addresses.
			for i := range 4 {
				attack(fmt.Sprintf("half-open chat logins from 127.0.0.%d", 2+i), 100, idleConn(fmt.Sprintf("127.0.0.%d", 2+i), f.Chat.Address))
			}
		case "idle": // 5. Idle connections to every HTTP and WebSocket server.
			for _, a := range []string{dirURL.Host, blobURL.Host, sigURL.Host} {
				attack("idle connections to "+a+" from 127.0.0.6", 300, idleConn("127.0.0.6", a))
			}
		case "enumeration": // 4. Enumeration of identities.
			enum := dirFrom(t, f.Directory.URL, "127.0.0.7")
			var probe atomic.Uint64
			attack("identity enumeration from 127.0.0.7", 4, func(ctx context.Context) {
				_, _ = enum.LookupIdentity(ctx, fmt.Sprintf("E%07d", probe.Add(1)%10_000_000))
			})
		case "uploads": // 3. Upload hog.
			hog := blobFrom(t, f.Blob.URL, "127.0.0.8")
			attack("1 MiB uploads from 127.0.0.8", 2, func(ctx context.Context) {
				_, _ = hog.Upload(ctx, io.LimitReader(rand.Reader, 1<<20))
			})
		case "queue": // 2. Queue and disk flooding by a logged-in client.
			attack("8 KB messages to unknown identities and to one victim", 32, queueFlood(ctx, t, f))
		default:
			t.Fatalf("unknown attack %q", name)
		}
	}
}

// queueFlood returns an attack step of a logged-in client (registered from
// 127.0.0.9) that sends 8 KB messages to random identities the directory
// does not know and, every fourth, to one real victim that never reads
// them; a step waits up to 1 s for the ack that, past the bounds, never
// comes.
func queueFlood(ctx context.Context, t *testing.T, f *provisioning.File) func(context.Context) {
	t.Helper()
	dc := dirFrom(t, f.Directory.URL, "127.0.0.9")
	var ps [2]party
	for i := range ps {
		kp, err := cryptobox.GenerateKeyPair(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		id, err := dc.Create(ctx, kp)
		if err != nil {
			t.Fatalf("attacker registration: %v", err)
		}
		ps[i] = party{id: id, kp: kp}
	}
	attacker, victim := ps[0], ps[1]
	c := connect(t, f, attacker)
	context.AfterFunc(ctx, func() { _ = c.Close() })
	from, _ := csp.ParseID(attacker.id)
	to, _ := csp.ParseID(victim.id)
	var n atomic.Uint64
	return func(ctx context.Context) {
		i := n.Add(1)
		env := csp.Envelope{Sender: from, Receiver: to, MessageID: i, CreatedAt: uint32(time.Now().Unix()), Box: make([]byte, 8000)}
		if i%4 != 0 {
			env.Receiver, _ = csp.ParseID(fmt.Sprintf("U%07d", i%10_000_000))
		}
		sctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_ = c.Send(sctx, env)
	}
}

// pin sets the CPU affinity of every thread of process pid (taskset -a).
func pin(t *testing.T, cpus string, pid int) {
	t.Helper()
	if out, err := exec.Command("taskset", "-a", "-p", "-c", cpus, fmt.Sprint(pid)).CombinedOutput(); err != nil {
		t.Fatalf("taskset: %v\n%s", err, out)
	}
}

// idleConn returns an attack step: dial addr from ip, send nothing, wait
// until the server closes the connection.
func idleConn(ip, addr string) func(context.Context) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return func(ctx context.Context) {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			time.Sleep(10 * time.Millisecond)
			return
		}
		defer func() { _ = c.Close() }()
		stop := context.AfterFunc(ctx, func() { _ = c.Close() })
		defer stop()
		_, _ = c.Read(make([]byte, 1)) // until the server gives up on it
	}
}

func httpFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 30 * time.Second}
}

func dirFrom(t *testing.T, u, ip string) *dirclient.Client {
	t.Helper()
	c, err := dirclient.New(u, dirclient.WithHTTPClient(httpFrom(ip)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func blobFrom(t *testing.T, u, ip string) *blobclient.Client {
	t.Helper()
	c, err := blobclient.New(u, blobclient.WithHTTPClient(httpFrom(ip)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// scrapeRefusals returns the refusal and rate-limit counters of the admin
// server's metrics that are not zero.
func scrapeRefusals(t *testing.T, f *provisioning.File) []string {
	t.Helper()
	resp, err := http.Get(f.Admin.URL + "metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || !(strings.Contains(line, "refused") || strings.Contains(line, "ratelimited")) {
			continue
		}
		if !strings.HasSuffix(line, " 0") {
			out = append(out, line)
		}
	}
	return out
}
