package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runMainOutput is runMain, and returns what the host wrote on stdout too.
func runMainOutput(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CONSENT_HOST_ARGS="+strings.Join(args, "\x1f"))
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), errOut.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

// getBody gets url and returns its status and body.
func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// -version prints the host's version, nothing else, and exits 0 without
// serving.
func TestVersionPrintsTheHostsVersion(t *testing.T) {
	status, stdout, stderr := runMainOutput(t, "-version")
	if status != 0 || stdout != "consent-host "+hostVersion()+"\n" || stderr != "" {
		t.Errorf("consent-host -version: exit %d, stdout %q, stderr %q; want 0 and %q", status, stdout, stderr, "consent-host "+hostVersion()+"\n")
	}
	if hostVersion() == "" {
		t.Error("the host's version is empty")
	}
}

// A version set at link time (-ldflags "-X main.version=…") is the one
// the host reports.
func TestTheLinkersVersionWins(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = "v9.8.7-test"
	if got := hostVersion(); got != "v9.8.7-test" {
		t.Errorf("hostVersion() = %q with main.version set to v9.8.7-test", got)
	}
}

// metricsInLog matches the metrics address in the "serving" log line.
var metricsInLog = regexp.MustCompile(`metrics=(http://\S+/metrics)`)

// With a metrics address, the host serves /metrics there, and only there;
// the "serving" line names it and the version the metrics report. Without
// one, no metrics are served.
func TestRunServesMetricsOnTheirOwnAddress(t *testing.T) {
	url, log, stop := startHostWith(t, settings{receipts: filepath.Join(t.TempDir(), "receipts.db"), shutdownTimeout: defaultShutdownTimeout, metricsAddr: "127.0.0.1:0"})
	m := metricsInLog.FindStringSubmatch(log.String())
	if m == nil {
		stop()
		t.Fatalf("the log names no metrics address: %q", log.String())
	}
	metrics := m[1]
	v := hostVersion()
	if !strings.Contains(log.String(), "version="+v) && !strings.Contains(log.String(), "version="+strconv.Quote(v)) {
		t.Errorf("the serving line does not name version %s: %q", v, log.String())
	}
	if status, _ := getBody(t, url+"/healthz"); status != http.StatusOK {
		t.Errorf("/healthz: %d", status)
	}
	if status, body := getBody(t, url+"/metrics"); status != http.StatusNotFound || strings.Contains(body, "consent_host_") {
		t.Errorf("/metrics on the public address: %d %.100q, want a 404", status, body)
	}
	status, body := getBody(t, metrics)
	for _, want := range []string{
		`consent_host_http_requests_total{code="200",route="GET /healthz"} 1`,
		`consent_host_http_requests_total{code="404",route="unmatched"} 1`,
		`consent_host_receipt_store_ready 1`,
		`consent_host_build_info{go_version="` + runtime.Version() + `",version="` + v + `"} 1`,
	} {
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s: status %d, no %q in %.2000s", metrics, status, want, body)
		}
	}
	if status, _ := getBody(t, strings.TrimSuffix(metrics, "metrics")+"healthz"); status != http.StatusNotFound {
		t.Errorf("the metrics address serves the host's /healthz: %d, want 404", status)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := http.Get(metrics); err == nil {
		t.Error("the metrics are still served after the shutdown")
	}

	url, log, stop = startHostWith(t, settings{receipts: "off", shutdownTimeout: defaultShutdownTimeout})
	defer stop()
	if strings.Contains(log.String(), "metrics=") {
		t.Errorf("without -metrics-addr the log names a metrics address: %q", log.String())
	}
	if status, _ := getBody(t, url+"/metrics"); status != http.StatusNotFound {
		t.Errorf("/metrics without -metrics-addr: %d, want 404", status)
	}
}

// -log-format json makes every log line a JSON object, the serving line
// with the host's version and its metrics address; an unknown format is
// refused with exit status 2.
func TestJSONLogs(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CONSENT_HOST_ARGS="+strings.Join([]string{"-addr", "127.0.0.1:0", "-receipts", "off", "-log-format", "json", "-metrics-addr", "127.0.0.1:0"}, "\x1f"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string)
	go func() {
		defer close(lines)
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			lines <- s.Text()
		}
	}()
	// next returns the next log line, as JSON.
	next := func() (map[string]any, bool) {
		t.Helper()
		select {
		case line, ok := <-lines:
			if !ok {
				return nil, false
			}
			var entry map[string]any
			if err := json.Unmarshal([]byte(line), &entry); err != nil || entry["msg"] == nil || entry["level"] == nil || entry["time"] == nil {
				t.Errorf("a log line that is not a JSON entry: %q (%v)", line, err)
			}
			return entry, true
		case <-time.After(30 * time.Second):
			t.Fatal("no log line in 30 s")
			return nil, false
		}
	}
	var serving map[string]any
	for serving == nil {
		entry, ok := next()
		if !ok {
			t.Fatal("the host stopped before it served")
		}
		if entry["msg"] == "serving" {
			serving = entry
		}
	}
	if serving["version"] != hostVersion() {
		t.Errorf("the serving line's version: %v, want %q", serving["version"], hostVersion())
	}
	metrics, _ := serving["metrics"].(string)
	url, _ := serving["url"].(string)
	if status, body := getBody(t, metrics); status != http.StatusOK || !strings.Contains(body, "consent_host_build_info{") {
		t.Errorf("%s: %d %.300q", metrics, status, body)
	}
	if status, _ := getBody(t, url+"metrics"); status != http.StatusNotFound {
		t.Errorf("%smetrics: %d, want 404", url, status)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	stopped := false
	for {
		entry, ok := next()
		if !ok {
			break
		}
		if strings.HasPrefix(entry["msg"].(string), "shutting down") {
			stopped = true
		}
	}
	if err := cmd.Wait(); err != nil || !stopped {
		t.Errorf("after SIGTERM: %v, shutdown logged: %t; want exit 0 and a JSON shutdown line", err, stopped)
	}

	status, stderrText := runMain(t, "-log-format", "xml", "-addr", "127.0.0.1:0", "-receipts", "off")
	if status != 2 || !strings.Contains(stderrText, `-log-format: "xml"`) || !strings.Contains(stderrText, "text or json") {
		t.Errorf("-log-format xml: exit %d, %q; want 2 naming the formats", status, stderrText)
	}
}
