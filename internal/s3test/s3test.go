// Package s3test runs a throwaway S3 server for tests: SeaweedFS's weed
// (Apache-2.0), started on first use as one process per test binary on
// free loopback ports, with one identity whose keys are drawn at start,
// and a new empty bucket for each caller. A package that uses it calls
// Main from its TestMain, which stops the server when the tests are done.
//
// The weed binary is $KURIER_WEED, else $GOPATH/bin/weed (where make deps
// builds it), else /tmp/weedbin/weed.
package s3test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"go/build"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// startTimeout bounds weed's start, until it stores an object.
const startTimeout = 90 * time.Second

var (
	once    sync.Once
	srv     *server
	srvErr  error
	counter atomic.Int64
)

// server is the running weed process.
type server struct {
	cmd            *exec.Cmd
	dir            string
	s3Port         int
	sockets        []string // the Unix sockets weed makes in /tmp
	access, secret string
	client         *minio.Client
	exited         chan struct{}
	// Started is how long weed took until it stored an object.
	started time.Duration
}

// Main runs the package's tests (a *testing.M, or a wrapper of one that
// another helper's Main runs) and stops the server, if one was started.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	if srv != nil {
		srv.stop()
	}
	return code
}

// URL returns the s3:// URL (the form of blob.Config.S3) of a new, empty
// bucket on the shared server. A machine without weed fails the test with
// what to run.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { srv, srvErr = start() })
	if srvErr != nil {
		t.Fatalf("s3test: %v (make deps builds weed into $GOPATH/bin)", srvErr)
	}
	bucket := fmt.Sprintf("test-%d-%d", os.Getpid(), counter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.client.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("s3test: make bucket: %v", err)
	}
	// SeaweedFS grows the volumes of a bucket on its first write, which
	// takes seconds: do it here, so that it counts in no test or benchmark.
	if _, err := srv.client.PutObject(ctx, bucket, "warm-up", strings.NewReader("x"), 1, minio.PutObjectOptions{}); err != nil {
		t.Fatalf("s3test: first write: %v", err)
	}
	if err := srv.client.RemoveObject(ctx, bucket, "warm-up", minio.RemoveObjectOptions{}); err != nil {
		t.Fatalf("s3test: first write: %v", err)
	}
	u := url.URL{
		Scheme:   "s3",
		User:     url.UserPassword(srv.access, srv.secret),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(srv.s3Port)),
		Path:     "/" + bucket,
		RawQuery: "secure=false",
	}
	return u.String()
}

// StartTime is how long the shared server took to start (starting it).
func StartTime(t testing.TB) time.Duration {
	t.Helper()
	_ = URL(t)
	return srv.started
}

// binary finds the weed program.
func binary() (string, error) {
	candidates := []string{os.Getenv("KURIER_WEED"), filepath.Join(build.Default.GOPATH, "bin", "weed"), "/tmp/weedbin/weed"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if info, err := os.Stat(c); err == nil && !info.IsDir() {
			return c, nil
		}
	}
	return "", errors.New("no weed binary: set KURIER_WEED or install it as $GOPATH/bin/weed")
}

// start starts weed in a temporary directory and waits until it stores an
// object.
func start() (*server, error) {
	bin, err := binary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kurier-s3test-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, access: "kurier" + rand.Text()[:8], secret: rand.Text(), exited: make(chan struct{})}
	config := fmt.Sprintf(`{"identities":[{"name":"kurier","credentials":[{"accessKey":%q,"secretKey":%q}],"actions":["Admin","Read","Write","List","Tagging"]}]}`, s.access, s.secret)
	if err := os.WriteFile(filepath.Join(dir, "s3.json"), []byte(config), 0o600); err != nil {
		return nil, err
	}
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o700); err != nil {
		return nil, err
	}
	ports, err := freePorts(8)
	if err != nil {
		return nil, err
	}
	s.s3Port = ports[6]
	for i, name := range map[int]string{1: "master", 3: "volume", 5: "filer", 7: "s3"} {
		s.sockets = append(s.sockets, fmt.Sprintf("/tmp/seaweedfs-%s-grpc-%d.sock", name, ports[i]))
	}
	args := []string{"server",
		"-dir=" + filepath.Join(dir, "data"),
		"-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port=" + strconv.Itoa(ports[0]), "-master.port.grpc=" + strconv.Itoa(ports[1]),
		"-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-master.electionTimeout=1s",
		"-volume.port=" + strconv.Itoa(ports[2]), "-volume.port.grpc=" + strconv.Itoa(ports[3]),
		"-volume.max=0", "-volume.preStopSeconds=0",
		"-filer", "-filer.port=" + strconv.Itoa(ports[4]), "-filer.port.grpc=" + strconv.Itoa(ports[5]),
		"-filer.localSocket=" + filepath.Join(dir, "filer.sock"),
		"-s3", "-s3.port=" + strconv.Itoa(ports[6]), "-s3.port.grpc=" + strconv.Itoa(ports[7]),
		"-s3.localSocket=" + filepath.Join(dir, "s3.sock"),
		"-s3.port.iceberg=0", "-s3.port.lance=0",
		"-s3.config=" + filepath.Join(dir, "s3.json"),
	}
	logf, err := os.Create(filepath.Join(dir, "weed.log"))
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Dir = dir
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.SysProcAttr = procAttr()
	begin := time.Now()
	if err := s.cmd.Start(); err != nil {
		_ = logf.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		_ = s.cmd.Wait()
		_ = logf.Close()
		close(s.exited)
	}()
	s.client, err = minio.New(net.JoinHostPort("127.0.0.1", strconv.Itoa(s.s3Port)), &minio.Options{
		Creds:        credentials.NewStaticV4(s.access, s.secret, ""),
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		s.stop()
		return nil, err
	}
	if err := s.waitReady(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "weed.log"))
		s.stop()
		return nil, fmt.Errorf("%s: %w\n%s", bin, err, tail(log, 4000))
	}
	s.started = time.Since(begin)
	return s, nil
}

// waitReady retries until a probe bucket takes an object: the S3 port
// answers before a volume server has joined the master.
func (s *server) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	var last error
	for {
		select {
		case <-s.exited:
			return errors.New("weed exited")
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s: %w", startTimeout, last)
		case <-time.After(100 * time.Millisecond):
		}
		last = s.probe(ctx)
		if last == nil {
			return nil
		}
	}
}

// probe makes the probe bucket if needed and stores one object in it.
func (s *server) probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	const bucket = "probe"
	if ok, err := s.client.BucketExists(ctx, bucket); err != nil {
		return err
	} else if !ok {
		if err := s.client.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
			return err
		}
	}
	_, err := s.client.PutObject(ctx, bucket, "probe", strings.NewReader("ready"), 5, minio.PutObjectOptions{})
	return err
}

// stop kills weed (its data is thrown away, so nothing needs a graceful
// stop, which takes weed some 10 s) and removes its files, and the gRPC
// sockets it makes in /tmp whatever -dir says.
func (s *server) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	for _, sock := range s.sockets {
		_ = os.Remove(sock)
	}
	_ = os.RemoveAll(s.dir)
}

// freePorts reserves n distinct free loopback ports and releases them for
// weed to bind.
func freePorts(n int) ([]int, error) {
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			_ = ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// tail is the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
