package deploy_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
)

var update = flag.Bool("update", false, "write rootfs.tar.gz from TestRootfsArchive's table")

// repo is the repository's root: the image's build context.
const repo = ".."

// hostBinary is the static binary `make build` makes, which the image
// wraps and systemd-analyze verify wants to find.
func hostBinary(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join(repo, "bin", "consent-host"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s is missing: the tests of deploy/ need the host's static binary; run make build (make test-native does it first)", bin)
	}
	return bin
}

// rootfs is what deploy/rootfs.tar.gz holds: the directories of the
// image, with their owners and modes, which a FROM scratch image cannot
// make without a shell (ADD unpacks the archive).
var rootfs = []struct {
	name string
	mode int64
	uid  int
}{
	{"etc/", 0o755, 0},
	{"etc/consent/", 0o755, 0},
	{"etc/consent/portals/", 0o755, 0},
	{"tmp/", 0o1777, 0},
	{"var/", 0o755, 0},
	{"var/lib/", 0o755, 0},
	{"var/lib/consent/", 0o700, 65532},
}

// TestRootfsArchive checks deploy/rootfs.tar.gz against the table above;
// with -update, it writes it.
func TestRootfsArchive(t *testing.T) {
	if *update {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		tw := tar.NewWriter(zw)
		for _, d := range rootfs {
			h := &tar.Header{Typeflag: tar.TypeDir, Name: d.name, Mode: d.mode, Uid: d.uid, Gid: d.uid, ModTime: time.Unix(0, 0), Format: tar.FormatUSTAR}
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("rootfs.tar.gz", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open("rootfs.tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for i := 0; ; i++ {
		h, err := tr.Next()
		if err == io.EOF {
			if i != len(rootfs) {
				t.Fatalf("rootfs.tar.gz has %d entries, the table %d: go test ./deploy -run TestRootfsArchive -update writes it", i, len(rootfs))
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if i >= len(rootfs) {
			t.Fatalf("rootfs.tar.gz has %s past the table's end", h.Name)
		}
		want := rootfs[i]
		if h.Typeflag != tar.TypeDir || h.Name != want.name || h.Mode&0o7777 != want.mode || h.Uid != want.uid || h.Gid != want.uid {
			t.Errorf("rootfs.tar.gz entry %d: %c %s %o %d:%d, want a directory %s %o %d:%d", i, h.Typeflag, h.Name, h.Mode, h.Uid, h.Gid, want.name, want.mode, want.uid, want.uid)
		}
	}
}

// maxExposure is the highest `systemd-analyze security` exposure the unit
// may have (0 is the best, 10 the worst): 0.9 as measured with systemd 252,
// the network (IPv4, IPv6 and Unix sockets, loopback only) making most of
// it. A setting loosened fails the test.
const maxExposure = 1.0

// TestSystemdUnit checks consent-host.service as systemd would load it, and
// scores its sandbox.
func TestSystemdUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		skipOutsideCI(t, "systemd-analyze is not installed (Debian's systemd package has it)")
	}
	unit, err := os.ReadFile("consent-host.service")
	if err != nil {
		t.Fatal(err)
	}

	// The unit's timings: systemd waits longer than the host does.
	shutdown := regexp.MustCompile(`-shutdown-timeout (\S+)`).FindSubmatch(unit)
	stop := regexp.MustCompile(`(?m)^TimeoutStopSec=(\S+)$`).FindSubmatch(unit)
	if shutdown == nil || stop == nil {
		t.Fatal("consent-host.service lost -shutdown-timeout or TimeoutStopSec=: both are needed, the second longer")
	}
	hostWait, err1 := time.ParseDuration(string(shutdown[1]))
	systemdWait, err2 := time.ParseDuration(string(stop[1]))
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if systemdWait < hostWait+5*time.Second {
		t.Errorf("TimeoutStopSec=%s: systemd would kill the host while it finishes the requests in flight (-shutdown-timeout %s); give it 5 s more at least", stop[1], shutdown[1])
	}
	if !regexp.MustCompile(`(?m)^ExecReload=/bin/kill -HUP \$MAINPID$`).Match(unit) {
		t.Error("ExecReload= no longer sends SIGHUP: systemctl reload consent-host would not reload the configuration")
	}

	// verify checks that ExecStart's binary exists: the copy names the one
	// make build made.
	const installed = "/usr/local/bin/consent-host"
	if !bytes.Contains(unit, []byte("ExecStart="+installed+" ")) {
		t.Fatalf("ExecStart= no longer runs %s: update %s", installed, t.Name())
	}
	copied := filepath.Join(t.TempDir(), "consent-host.service")
	if err := os.WriteFile(copied, bytes.ReplaceAll(unit, []byte("ExecStart="+installed), []byte("ExecStart="+hostBinary(t))), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", copied).CombinedOutput()
	// Unknown directives are warnings, with exit status 0: any output fails.
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify consent-host.service: %v\n%s", err, out)
	}

	// security scores the sandbox; --offline reads the file alone, with no
	// systemd running (systemd 250 and later).
	out, err = exec.Command(analyze, "security", "--offline=true", "--no-pager", "consent-host.service").CombinedOutput()
	if err != nil {
		if bytes.Contains(out, []byte("offline")) {
			t.Skipf("this systemd-analyze cannot score a unit offline (systemd 250 or later can): %s", out)
		}
		t.Fatalf("systemd-analyze security --offline=true consent-host.service: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for consent-host\.service: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("systemd-analyze security printed no overall exposure level:\n%s", out)
	}
	exposure, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("systemd-analyze security: exposure %.1f (at most %.1f; 0 is the best, 10 the worst)", exposure, maxExposure)
	if exposure > maxExposure {
		t.Errorf("exposure %.1f is over %.1f: a setting of the sandbox was loosened\n%s", exposure, maxExposure, out)
	}
}

// podman runs podman on storage of its own, in a temporary directory, so
// that the test neither depends on this machine's containers nor leaves
// any behind.
type podman struct {
	t      *testing.T
	bin    string
	global []string
}

// skipOutsideCI skips the test for want of a tool make test installs, on
// a developer's machine; CI, which runs make test, never skips it.
func skipOutsideCI(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}

func newPodman(t *testing.T) *podman {
	t.Helper()
	bin, err := exec.LookPath("podman")
	if err != nil {
		skipOutsideCI(t, "podman is not installed: scripts/ensure-podman.sh installs it (make test runs it)")
	}
	if _, err := exec.LookPath("runc"); err != nil {
		skipOutsideCI(t, "runc is not installed: scripts/ensure-podman.sh installs it (make test runs it)")
	}
	dir := t.TempDir()
	p := &podman{t: t, bin: bin, global: []string{
		// Storage, state and networks in dir: vfs copies layers, and needs
		// neither overlayfs nor fuse.
		"--root", filepath.Join(dir, "storage"),
		"--runroot", filepath.Join(dir, "run"),
		"--tmpdir", filepath.Join(dir, "libpod"),
		"--network-config-dir", filepath.Join(dir, "networks"),
		"--storage-driver", "vfs",
		// No systemd needed: cgroups and the events log as files.
		"--cgroup-manager", "cgroupfs",
		"--events-backend", "file",
		// runc, not crun: Debian 12's crun refuses a machine whose cgroup v2
		// hierarchy holds a controller beside the v1 ones ("cgroups in
		// hybrid mode not supported"), as this one does.
		"--runtime", "runc",
	}}
	// Containers, volumes, images and storage, whatever the test did.
	t.Cleanup(func() {
		if _, err := p.run("system", "reset", "--force"); err != nil {
			t.Errorf("podman system reset: %v", err)
		}
	})
	return p
}

// run runs podman with args, and returns its standard output; the error
// carries its standard error.
func (p *podman) run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.bin, append(append([]string{}, p.global...), args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("podman %s: %v\n%s%s", strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.String(), nil
}

func (p *podman) must(args ...string) string {
	p.t.Helper()
	out, err := p.run(args...)
	if err != nil {
		p.t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

// limits are every container's: podman gives root's 1048576 open files
// and 4194304 processes, over the hard limits of a machine where root
// lacks CAP_SYS_RESOURCE, as in some sandboxes ("setrlimit RLIMIT_NOFILE:
// operation not permitted"). These fit under any.
var limits = []string{"--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"}

// hardened are the options deploy/README.md gives to run the image.
var hardened = []string{"--read-only", "--cap-drop", "all", "--security-opt", "no-new-privileges"}

// TestImage builds the image around bin/consent-host with podman, without
// a registry, and runs it as deploy/README.md says: receipts posted to a
// container are still there, on the volume, for the next ones; the host
// reads mounted portals (-config), again on SIGHUP, stops on SIGTERM with
// status 0, runs as a numeric user without privileges, and the image has
// no shell.
func TestImage(t *testing.T) {
	hostBinary(t)
	p := newPodman(t)
	step := time.Now()
	took := func(what string) {
		t.Logf("%s: %s", what, time.Since(step).Round(10*time.Millisecond))
		step = time.Now()
	}
	id := strings.ToLower(rand.Text()[:10])
	image := "localhost/consent-host-test:" + id
	volume := "consent-test-" + id

	// --pull=never: the build must need no registry.
	p.must("build", "--pull=never", "-f", "deploy/Dockerfile", "--target", "runtime", "-t", image, repo)
	took("podman build --target runtime")

	user := p.must("image", "inspect", "--format", "{{.Config.User}}", image)
	uid, _, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("the image's user is %q: want a numeric uid, not root's", user)
	}
	if _, err := p.run(append(append([]string{"run", "--rm", "--network", "none"}, limits...), "--entrypoint", "/bin/sh", image, "-c", "true")...); err == nil {
		t.Error("podman run --entrypoint /bin/sh succeeded: the image has a shell")
	} else if !strings.Contains(err.Error(), "/bin/sh") {
		t.Errorf("podman run --entrypoint /bin/sh failed, but not for want of /bin/sh: %v", err)
	}
	took("the image's user and no shell")

	p.must("volume", "create", volume)
	store := volume + ":/var/lib/consent"

	// 1. The image as it is: built-in portals, receipts on the volume.
	first := "consent-test-first-" + id
	addr := start(t, p, first, append([]string{"-v", store}, image))
	took("first container ready")
	if out := p.must("top", first, "user", "huser"); !strings.Contains(out, "65532") {
		t.Errorf("podman top: the host does not run as 65532:\n%s", out)
	}
	portal := builtin(t, "pau")
	choice := consent.AcceptAll(portal, time.Now())
	body, err := json.Marshal(consent.NewReceiptRequest(portal, choice))
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", "http://"+addr+"/receipts", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", portal.Address)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /receipts: %s %s\n%s", resp.Status, answer, logs(p, first))
	}
	took("receipt posted")
	stopped(t, p, first)
	took("first container stopped")

	// 2. A new container on the same volume, with the portals mounted
	// read-only and named by -config, as an operator gives hers.
	portalsDir, err := filepath.Abs(filepath.Join(repo, "portals"))
	if err != nil {
		t.Fatal(err)
	}
	second := "consent-test-second-" + id
	start(t, p, second, []string{"-v", store, "-v", portalsDir + ":/etc/consent/portals:ro", image,
		"-addr", ":8080", "-receipts", "/var/lib/consent/receipts.db", "-config", "/etc/consent/portals"})
	took("second container ready")
	// podman kill -s HUP, as systemctl reload: the mounted portals read
	// again.
	p.must("kill", "--signal", "HUP", second)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs(p, second), "configuration reloaded"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not log \"configuration reloaded\" after SIGHUP\n%s", second, logs(p, second))
		}
	}
	took("second container reloaded its configuration")

	// The receipt, read by the export command in a container of its own,
	// while the second host runs: no shell to exec into.
	out := p.must(append(append(append([]string{"run", "--rm", "--network", "none"}, limits...), hardened...),
		"-v", store, image, "export", "-receipts", "/var/lib/consent/receipts.db", "-id", choice.ID)...)
	var got receipts.Receipt
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("consent-host export -id %s printed %q: %v", choice.ID, out, err)
	}
	if got.ConsentID != choice.ID || got.Portal != "pau" {
		t.Errorf("consent-host export -id %s: %s", choice.ID, out)
	}
	took("receipt exported")
	stopped(t, p, second)
	took("second container stopped")
}

// start runs a container of the image, hardened, its port 8080 published
// on a free loopback port, and waits until its /readyz answers 200. It
// returns the published address.
func start(t *testing.T, p *podman, name string, args []string) string {
	t.Helper()
	port := freePort(t)
	// slirp4netns, with its own port forwarder: no bridge, no firewall
	// rules, no sysctl changed on the machine (netavark's bridge would).
	run := append(append(append([]string{"run", "-d", "--name", name,
		"--network", "slirp4netns:port_handler=slirp4netns",
		"-p", fmt.Sprintf("127.0.0.1:%d:8080", port), "--stop-timeout", "30"}, limits...), hardened...), args...)
	p.must(run...)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: /readyz did not answer 200 in 30 s (%v)\n%s", name, err, logs(p, name))
		}
		if state, _ := p.run("inspect", "--format", "{{.State.Status}}", name); strings.TrimSpace(state) == "exited" {
			t.Fatalf("%s exited before it was ready\n%s", name, logs(p, name))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stopped stops a container with podman stop (SIGTERM) and checks that the
// host exited 0, by itself: not killed at the end of --stop-timeout.
func stopped(t *testing.T, p *podman, name string) {
	t.Helper()
	begin := time.Now()
	p.must("stop", name)
	if d := time.Since(begin); d > 20*time.Second {
		t.Errorf("podman stop %s took %s: the host did not end on SIGTERM", name, d.Round(time.Millisecond))
	}
	if code := p.must("inspect", "--format", "{{.State.ExitCode}}", name); code != "0" {
		t.Errorf("%s exited with status %s after SIGTERM, not 0\n%s", name, code, logs(p, name))
	}
	if l := logs(p, name); !strings.Contains(l, "shutting down") {
		t.Errorf("%s did not log its shutdown:\n%s", name, l)
	}
}

// logs is what a container wrote, for a failure's message.
func logs(p *podman, name string) string {
	out, err := exec.Command(p.bin, append(append([]string{}, p.global...), "logs", name)...).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("podman logs %s: %v\n%s", name, err, out)
	}
	return string(out)
}

// builtin is the shipped portal id.
func builtin(t *testing.T, id string) *consent.Portal {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no built-in portal %q", id)
	return nil
}

// freePort is a loopback port nothing listens on, for podman to publish.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
