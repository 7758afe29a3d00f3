package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/receipts"
)

// TestMain runs the host's main when the test binary is started by
// runMain: the command line as an operator types it, exit status included.
func TestMain(m *testing.M) {
	if args := os.Getenv("CONSENT_HOST_ARGS"); args != "" {
		os.Args = append([]string{"consent-host"}, strings.Split(args, "\x1f")...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runMain runs consent-host with args and returns its exit status and
// what it wrote on stderr.
func runMain(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CONSENT_HOST_ARGS="+strings.Join(args, "\x1f"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// A command line the host does not understand is refused with the usage
// and exit status 2, never taken for "serve"; the commands that read
// receipts refuse a store that does not exist rather than making an empty
// one.
func TestTheCommandLineRefusesWhatItDoesNotKnow(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo.db")
	existing := filepath.Join(t.TempDir(), "receipts.db")
	if s, err := receipts.Open(context.Background(), existing); err != nil {
		t.Fatal(err)
	} else {
		s.Close()
	}
	for _, c := range []struct {
		args   []string
		status int
		says   string
	}{
		{[]string{"foo"}, 2, `unknown command "foo"`},
		{[]string{"-addr", "127.0.0.1:0", "serve"}, 2, `unexpected argument "serve"`},
		{[]string{"export", "-id", "k7f2qpa7d3mz4x6c", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"export", "-nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"export"}, 2, "give -id, or -since"},
		{[]string{"export", "-receipts", missing, "-id", "k7f2qpa7d3mz4x6c"}, 1, "no store there"},
		{[]string{"stats", "-receipts", missing}, 1, "no store there"},
		{[]string{"stats", "-receipts", existing, "-portal", "rennes"}, 1, `-portal "rennes": not among the portals of the built-in portals (pau, aveyron): give -config`},
	} {
		status, stderr := runMain(t, c.args...)
		if status != c.status || !strings.Contains(stderr, c.says) {
			t.Errorf("consent-host %s: exit %d, %q; want %d saying %q", strings.Join(c.args, " "), status, stderr, c.status, c.says)
		}
		if status == 2 && !strings.Contains(stderr, "Usage:") && c.args[0] == "foo" {
			t.Errorf("consent-host foo: no usage in %q", stderr)
		}
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("export and stats made the store they were given: %v", err)
	}
}
