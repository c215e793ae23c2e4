package pgtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// standbyName is the standby's application_name, which a synchronous
// primary's synchronous_standby_names waits for.
const standbyName = "kurier_standby"

// Pair is a PostgreSQL primary with one streaming standby, each a server of
// its own in a temporary directory, for failover tests. With sync the
// primary waits for the standby's flush before a commit returns
// (synchronous_standby_names); without, replication is asynchronous.
// Failover kills the primary, promotes the standby and rebuilds the old
// primary as the new primary's standby, so it can be repeated.
type Pair struct {
	t     testing.TB
	s     *server // programs, temp dir, user
	sync  bool
	nodes [2]instance
	cur   int // index of the current primary
	// promoteWait bounds a promotion; 0 is 300 s (a loaded CI machine).
	promoteWait time.Duration
}

// instance is one server of a Pair.
type instance struct {
	data string
	port int
}

// StartPair starts a primary and a standby with a database "kurier" and
// stops both when the test ends.
func StartPair(t testing.TB, sync bool) *Pair {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		t.Fatalf("pgtest: %v (install Debian's postgresql package: make deps)", err)
	}
	s, err := newServerDir(bin)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	p := &Pair{t: t, s: s, sync: sync}
	for i := range p.nodes {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		p.nodes[i] = instance{data: filepath.Join(s.dir, fmt.Sprintf("node%d", i)), port: port}
	}
	t.Cleanup(func() {
		for _, n := range p.nodes {
			_, _ = s.run("pg_ctl", "-D", n.data, "-m", "immediate", "-w", "stop")
		}
		_ = os.RemoveAll(s.dir)
	})
	if out, err := s.run("initdb", "-D", p.nodes[0].data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	p.startInstance(0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p.exec(ctx, p.nodes[0].port, "postgres", "CREATE DATABASE kurier")
	if sync {
		// Set once the database exists (its commit would wait for a
		// standby); pg_basebackup copies the setting, so every later
		// primary has it too.
		p.exec(ctx, p.nodes[0].port, "postgres", "ALTER SYSTEM SET synchronous_standby_names = '"+standbyName+"'")
		p.exec(ctx, p.nodes[0].port, "postgres", "SELECT pg_reload_conf()")
	}
	p.rebuildStandby(1)
	return p
}

// URL names both servers; clients connect to whichever is the primary
// (target_session_attrs=read-write), before and after a failover.
func (p *Pair) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d,127.0.0.1:%d/kurier?sslmode=disable&target_session_attrs=read-write&connect_timeout=2",
		p.nodes[0].port, p.nodes[1].port)
}

// PauseReplication stops the standby's WAL receiver (SIGSTOP): an
// asynchronous primary goes on committing what the standby does not have;
// a synchronous one makes commits wait. cut SIGKILLs the stopped receiver,
// so whatever it had received but not written is gone (the standby
// restarts its recovery from its own disk); pass it to Failover.
//
// cut returns once the standby's postmaster has started a new startup
// process: a promotion requested before that reaches the old one, which
// takes the request and dies in the restart, and the standby then waits
// for its dead primary for ever (pg_ctl promote timed out so in CI).
func (p *Pair) PauseReplication() (cut func()) {
	p.t.Helper()
	standby := 1 - p.cur
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var pid int
	for pid == 0 {
		if err := p.queryRow(ctx, p.nodes[standby].port, "postgres", `SELECT COALESCE((SELECT pid FROM pg_stat_wal_receiver), 0)`, &pid); err != nil {
			p.t.Fatalf("pgtest: wal receiver: %v", err)
		}
		if pid == 0 {
			if ctx.Err() != nil {
				p.t.Fatal("pgtest: the standby has no WAL receiver")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		p.t.Fatalf("pgtest: stop wal receiver: %v", err)
	}
	return func() {
		p.t.Helper()
		postmaster := p.postmasterPID(standby)
		startup := startupPID(postmaster)
		_ = syscall.Kill(pid, syscall.SIGKILL)
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if s := startupPID(postmaster); s != 0 && s != startup {
				return
			}
			if time.Now().After(deadline) {
				p.t.Fatalf("pgtest: the standby did not restart its recovery after its WAL receiver was killed:\n%s", p.state(standby))
			}
		}
	}
}

// startupPID is the startup process among the postmaster's children (the
// one that replays WAL and takes a promotion), or 0.
func startupPID(postmaster int) int {
	for _, c := range childrenOf(postmaster) {
		if strings.HasPrefix(processTitle(c), "postgres: startup") {
			return c
		}
	}
	return 0
}

// processTitle is a process's command line as ps shows it (PostgreSQL's
// processes set theirs to what they do), or "" once it is gone.
func processTitle(pid int) string {
	title, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	return string(bytes.TrimRight(bytes.ReplaceAll(title, []byte{0}, []byte{' '}), " "))
}

// Failover SIGKILLs the primary (the postmaster and its processes),
// promotes the standby, then rebuilds the old primary as a standby of the
// new one (pg_basebackup) and starts it. It returns when the new pair
// streams (and, when synchronous, when the new standby is the synchronous
// one). killed is when the old primary died.
func (p *Pair) Failover(beforePromote func()) (killed time.Time) {
	p.t.Helper()
	old := p.cur
	killTree(p.postmasterPID(old))
	killed = time.Now()
	if beforePromote != nil {
		beforePromote()
	}
	// A loaded machine (CI) may take a while: the standby restarts its
	// recovery when its receiver was cut, then promotes.
	wait := 300 * time.Second
	if p.promoteWait != 0 {
		wait = p.promoteWait
	}
	if out, err := p.s.run("pg_ctl", "-D", p.nodes[1-old].data, "-w", "-t", strconv.Itoa(int(wait/time.Second)), "promote"); err != nil {
		log, _ := os.ReadFile(p.logFile(1 - old))
		p.t.Fatalf("pgtest: promote: %v\n%s\nstandby state:\n%s\nstandby log:\n%s", err, out, p.state(1-old), tail(log, 4000))
	}
	p.cur = 1 - old
	p.rebuildStandby(old)
	return killed
}

// state describes instance i for a failure message: the cluster state from
// pg_control and the titles of the postmaster's processes (the startup
// process's says what it replays or waits for, the WAL receiver's whether it
// streams).
func (p *Pair) state(i int) string {
	var b strings.Builder
	out, err := p.s.run("pg_controldata", "-D", p.nodes[i].data)
	if err != nil {
		fmt.Fprintf(&b, "pg_controldata: %v\n", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Database cluster state") || strings.HasPrefix(line, "Latest checkpoint location") ||
			strings.HasPrefix(line, "Minimum recovery ending location") {
			fmt.Fprintln(&b, line)
		}
	}
	// Not postmasterPID: a standby whose postmaster is gone must not turn
	// the failure being described into another one.
	pid, err := readPID(p.nodes[i].data)
	if err != nil {
		fmt.Fprintf(&b, "no postmaster: %v\n", err)
		return b.String()
	}
	for _, c := range append([]int{pid}, childrenOf(pid)...) {
		fmt.Fprintf(&b, "%d %s\n", c, processTitle(c))
	}
	return b.String()
}

// rebuildStandby makes instance i a fresh standby of the current primary.
func (p *Pair) rebuildStandby(i int) {
	p.t.Helper()
	n := p.nodes[i]
	_ = os.RemoveAll(n.data)
	primary := p.nodes[p.cur]
	conn := fmt.Sprintf("host=127.0.0.1 port=%d user=postgres application_name=%s", primary.port, standbyName)
	if out, err := p.s.run("pg_basebackup", "-d", conn, "-D", n.data, "-R", "-X", "stream", "-c", "fast", "--no-sync"); err != nil {
		p.t.Fatalf("pgtest: pg_basebackup: %v\n%s", err, out)
	}
	p.startInstance(i)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	want := "async"
	if p.sync {
		want = "sync"
	}
	for {
		var n int
		if err := p.queryRow(ctx, primary.port, "postgres", `SELECT count(*) FROM pg_stat_replication
			WHERE application_name = $1 AND state = 'streaming' AND sync_state = $2`, &n, standbyName, want); err != nil {
			p.t.Fatalf("pgtest: replication state: %v", err)
		}
		if n == 1 {
			return
		}
		if ctx.Err() != nil {
			p.t.Fatalf("pgtest: the standby never streamed as %s", want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startInstance starts instance i with the pair's replication settings.
// fsync is off: the tests kill processes, never the machine, and what a
// killed PostgreSQL wrote stays in the page cache either way; a synchronous
// commit still waits for the standby's receiver. Forcing it to disk only made
// commits wait seconds on a loaded CI machine (a login's first frame timed
// out). The benchmarks use Start, which keeps fsync on. A standby whose
// primary is gone retries every 100 ms instead of 5 s: a promotion that
// reaches it in that wait is carried out only when the wait ends.
func (p *Pair) startInstance(i int) {
	p.t.Helper()
	n := p.nodes[i]
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200 -c wal_keep_size=256MB -c fsync=off -c wal_retrieve_retry_interval=100ms",
		n.port, p.s.dir)
	logf := p.logFile(i)
	if out, err := p.s.run("pg_ctl", "-D", n.data, "-o", opts, "-l", logf, "-w", "-t", "300", "start"); err != nil {
		log, _ := os.ReadFile(logf)
		p.t.Fatalf("pgtest: pg_ctl start: %v\n%s\n%s", err, out, tail(log, 4000))
	}
}

// logFile is instance i's server log.
func (p *Pair) logFile(i int) string { return filepath.Join(p.s.dir, fmt.Sprintf("node%d.log", i)) }

// tail is the last n bytes of b.
func tail(b []byte, n int) []byte { return b[max(0, len(b)-n):] }

// postmasterPID reads instance i's postmaster.pid.
func (p *Pair) postmasterPID(i int) int {
	p.t.Helper()
	pid, err := readPID(p.nodes[i].data)
	if err != nil {
		p.t.Fatalf("pgtest: %v", err)
	}
	return pid
}

// readPID is the postmaster's pid from the data directory's postmaster.pid.
func readPID(data string) (int, error) {
	b, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(line)))
	if err != nil {
		return 0, fmt.Errorf("postmaster.pid: %w", err)
	}
	return pid, nil
}

// killTree SIGKILLs pid and every process whose parent it is (the
// postmaster's backends, walsenders, checkpointer, …).
func killTree(pid int) {
	children := childrenOf(pid)
	_ = syscall.Kill(pid, syscall.SIGKILL)
	for _, c := range children {
		_ = syscall.Kill(c, syscall.SIGKILL)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// childrenOf lists the processes whose parent is pid (from /proc).
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		c, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces, so cut at the last ')'.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, c)
		}
	}
	return out
}

func (p *Pair) exec(ctx context.Context, port int, db, sql string) {
	p.t.Helper()
	c, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", port, db))
	if err != nil {
		p.t.Fatalf("pgtest: %v", err)
	}
	defer func() { _ = c.Close(ctx) }()
	if _, err := c.Exec(ctx, sql); err != nil {
		p.t.Fatalf("pgtest: %s: %v", sql, err)
	}
}

func (p *Pair) queryRow(ctx context.Context, port int, db, sql string, dst any, args ...any) error {
	c, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", port, db))
	if err != nil {
		return err
	}
	defer func() { _ = c.Close(ctx) }()
	return c.QueryRow(ctx, sql, args...).Scan(dst)
}
