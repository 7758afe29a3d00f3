package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

// startHost runs the host on a free port with its receipts in db; stop ends
// it as SIGTERM does and returns run's error.
func startHost(t *testing.T, db string) (url string, stop func() error) {
	t.Helper()
	url, _, stop = startHostWith(t, settings{receipts: db, shutdownTimeout: defaultShutdownTimeout})
	return url, stop
}

// startHostWith runs the host with set, on a free port, with the options
// configure sets (as the flags do); log holds what it logs.
func startHostWith(t *testing.T, set settings, configure ...func(*server.Options)) (url string, log *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	log = &syncBuffer{}
	opts := server.Options{Files: web.Files, Log: slog.New(slog.NewTextHandler(log, nil))}
	for _, c := range configure {
		c(&opts)
	}
	set.addr = "127.0.0.1:0"
	go func() { done <- run(ctx, set, opts, ready) }()
	select {
	case addr := <-ready:
		return "http://" + addr, log, func() error { cancel(); return <-done }
	case err := <-done:
		t.Fatal(err)
	}
	return "", nil, nil
}

// postReceipt posts a receipt as the built-in default portal's page does.
func postReceipt(url string, body []byte) (*http.Response, error) {
	req, err := http.NewRequest("POST", url+"/receipts", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("Origin", "https://opendata.pau.fr")
	return http.DefaultClient.Do(req)
}

// syncBuffer is a log the host writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// The receipts the host kept are there after a stop and a restart, and
// export prints them; the stopped host answers no more.
func TestReceiptsSurviveAStopAndARestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	url, stop := startHost(t, db)
	if res, err := http.Get(url + "/healthz"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %v %v", res, err)
	}
	list, _ := portals.Builtin()
	c := consent.AcceptAll(list[0], time.Now())
	body, _ := json.Marshal(consent.NewReceiptRequest(list[0], c))
	res, err := postReceipt(url, body)
	if err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("posting a receipt: %v %v", res, err)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the host still answers after its shutdown")
	}

	_, stop = startHost(t, db)
	defer stop()
	var out strings.Builder
	if err := export([]string{"-receipts", db, "-id", c.ID}, &out); err != nil {
		t.Fatal(err)
	}
	var kept struct {
		ConsentID string
		Portal    string
		Choices   map[string]bool
	}
	if err := json.Unmarshal([]byte(out.String()), &kept); err != nil || kept.ConsentID != c.ID || kept.Portal != "pau" || !kept.Choices["statistics"] {
		t.Errorf("export after a restart printed %q (%v)", out.String(), err)
	}
}

// A client that sends its headers too slowly (slowloris) is cut off after
// the header timeout instead of holding a connection forever.
func TestSlowHeadersAreCutOff(t *testing.T) {
	url, stop := startHost(t, filepath.Join(t.TempDir(), "receipts.db"))
	defer stop()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	reply, _ := io.ReadAll(conn)
	if took := time.Since(start); took > 10*time.Second || strings.Contains(string(reply), "200 OK") {
		t.Errorf("a request whose headers never end held the connection %s (reply %q)", took.Round(time.Second), reply)
	}
}

// slowDownload starts a download of the uncompressed WebAssembly (5.7 MB)
// through a small receive buffer: the host is still writing it while the
// test reads it slowly, or not at all.
func slowDownload(t *testing.T, url string) *http.Response {
	t.Helper()
	embed, err := http.Get(url + "/embed.js")
	if err != nil {
		t.Fatal(err)
	}
	script, _ := io.ReadAll(embed.Body)
	embed.Body.Close()
	loader, err := http.Get(url + "/" + regexp.MustCompile(`assets/loader-pau\.[0-9a-f]+\.js`).FindString(string(script)))
	if err != nil {
		t.Fatal(err)
	}
	script, _ = io.ReadAll(loader.Body)
	loader.Body.Close()
	wasm := regexp.MustCompile(`assets/consent\.[0-9a-f]+\.wasm`).FindString(string(script))
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			// Less than the file minus what the host's send buffer
			// holds (4 MB at most on Linux).
			err = conn.(*net.TCPConn).SetReadBuffer(256 << 10)
		}
		return conn, err
	}}
	req, _ := http.NewRequest("GET", url+"/"+wasm, nil)
	req.Header.Set("Accept-Encoding", "identity")
	res, err := transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK || res.ContentLength < 4<<20 {
		t.Fatalf("the WebAssembly: %s, %d bytes", res.Status, res.ContentLength)
	}
	return res
}

// A stop waits for a download in flight for -shutdown-timeout; past it, the
// host cuts the download, says so in its log and still stops cleanly (run
// returns nil: the process exits 0).
func TestShutdownWaitsForASlowDownloadThenCutsIt(t *testing.T) {
	t.Run("within the timeout", func(t *testing.T) {
		url, log, stop := startHostWith(t, settings{receipts: "off", shutdownTimeout: 30 * time.Second})
		download := slowDownload(t, url)
		chunk := make([]byte, 64<<10)
		got, err := io.ReadFull(download.Body, chunk)
		if err != nil {
			t.Fatal(err)
		}
		stopped := make(chan error, 1)
		go func() { stopped <- stop() }()
		time.Sleep(300 * time.Millisecond) // the shutdown has begun
		select {
		case err := <-stopped:
			t.Fatalf("the host stopped (%v) with a download in flight", err)
		default:
		}
		// The rest, 64 KB every 10 ms.
		for err == nil {
			var n int
			n, err = io.ReadFull(download.Body, chunk)
			got += n
			time.Sleep(10 * time.Millisecond)
		}
		if err != io.EOF && err != io.ErrUnexpectedEOF || int64(got) != download.ContentLength {
			t.Errorf("the download got %d of %d bytes (%v)", got, download.ContentLength, err)
		}
		if err := <-stopped; err != nil {
			t.Errorf("the stop: %v", err)
		}
		if strings.Contains(log.String(), "cutting") {
			t.Errorf("the log tells of a cut:\n%s", log)
		}
	})
	t.Run("past the timeout", func(t *testing.T) {
		url, log, stop := startHostWith(t, settings{receipts: "off", shutdownTimeout: 500 * time.Millisecond})
		download := slowDownload(t, url)
		first := make([]byte, 64<<10)
		if _, err := io.ReadFull(download.Body, first); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := stop(); err != nil {
			t.Errorf("a stop past the timeout returned %v: the host would exit 1", err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("the stop took %s with a 500ms timeout", took.Round(time.Millisecond))
		}
		if !regexp.MustCompile(`cutting a request in flight" method=GET path=/assets/consent\.[0-9a-f]+\.wasm`).MatchString(log.String()) {
			t.Errorf("the log does not name the download cut:\n%s", log)
		}
		rest, err := io.ReadAll(download.Body)
		if err == nil && int64(len(first)+len(rest)) == download.ContentLength {
			t.Error("the download completed: the test cut nothing")
		}
	})
}

// The host does not start on a receipt store it can read but not write:
// every receipt would be lost. The error names the store.
func TestAStoreThatCannotBeWrittenIsRefusedAtStart(t *testing.T) {
	for name, refuse := range map[string]func(t *testing.T, db string){
		"writes refused by the database": func(t *testing.T, db string) {
			direct, err := sql.Open("sqlite", db)
			if err != nil {
				t.Fatal(err)
			}
			defer direct.Close()
			if _, err := direct.Exec(`CREATE TRIGGER refuse_writes BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END`); err != nil {
				t.Fatal(err)
			}
		},
		"read-only file": func(t *testing.T, db string) {
			if os.Geteuid() == 0 {
				t.Skip("root writes read-only files")
			}
			if err := os.Chmod(db, 0o444); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "receipts.db")
			s, err := receipts.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			refuse(t, db)
			// Already cancelled: a host that started would stop at once,
			// and run return nil.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			ready := make(chan string, 1)
			opts := server.Options{Files: web.Files, Log: slog.New(slog.DiscardHandler)}
			err = run(ctx, settings{addr: "127.0.0.1:0", receipts: db, shutdownTimeout: time.Second}, opts, ready)
			if err == nil || !strings.Contains(err.Error(), db+"): cannot write") {
				t.Errorf("run: %v, want an error naming %s", err, db)
			}
			if len(ready) > 0 {
				t.Error("the host listened")
			}
		})
	}
}

// export with no -until prints every receipt from -since on: those of the
// current second, and those the host accepted with a decidedAt a little
// ahead of its clock.
func TestExportWithoutUntilPrintsTheLatestReceipts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	url, stop := startHost(t, db)
	defer stop()
	list, _ := portals.Builtin()
	now := time.Now()
	var ids []string
	for _, at := range []time.Time{now, now.Add(consent.ClockSkew - time.Minute)} {
		c := consent.AcceptAll(list[0], at)
		body, _ := json.Marshal(consent.NewReceiptRequest(list[0], c))
		res, err := postReceipt(url, body)
		if err != nil || res.StatusCode != http.StatusNoContent {
			t.Fatalf("a receipt decided at %s: %v %v", at.Format(time.TimeOnly), res, err)
		}
		ids = append(ids, c.ID)
	}
	var out strings.Builder
	if err := export([]string{"-receipts", db, "-since", now.UTC().Format(time.DateOnly)}, &out); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if !strings.Contains(out.String(), `"consentId":"`+id+`"`) {
			t.Errorf("export lacks %s:\n%s", id, out.String())
		}
	}
}

// The statistics of receipts posted to the host, as the command line prints
// them: a table, or CSV.
func TestStatsPrintsWhatVisitorsChose(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	url, stop := startHost(t, db)
	defer stop()
	list, _ := portals.Builtin()
	p, now := list[0], time.Now().UTC()
	for i := range 6 {
		c := consent.AcceptAll(p, now)
		if i >= 4 {
			c = consent.RejectAll(p, now)
		}
		body, _ := json.Marshal(consent.NewReceiptRequest(p, c))
		res, err := postReceipt(url, body)
		if err != nil || res.StatusCode != http.StatusNoContent {
			t.Fatalf("receipt %d: %v %v", i, res, err)
		}
	}
	today := now.Format(time.DateOnly)
	var table, csv strings.Builder
	if err := stats([]string{"-receipts", db, "-portal", "pau", "-tz", "UTC", "-since", today}, &table); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(strings.TrimSpace(table.String()), "\n") {
		rows = append(rows, strings.Join(strings.Fields(line), " "))
	}
	want := []string{"period choices accept all custom reject all statistics", today + " 6 66.7% 0.0% 33.3% 66.7%", "total 6 66.7% 0.0% 33.3% 66.7%"}
	if !slices.Equal(rows, want) {
		t.Errorf("table:\n%s\nwant\n%s", table.String(), strings.Join(want, "\n"))
	}
	if err := stats([]string{"-receipts", db, "-tz", "UTC", "-since", today, "-csv"}, &csv); err != nil {
		t.Fatal(err)
	}
	if want := today + "," + today + ",6,4,66.7,0,0.0,2,33.3,4,6,66.7"; !strings.Contains(csv.String(), want) {
		t.Errorf("CSV lacks %q:\n%s", want, csv.String())
	}
	if err := stats([]string{"-receipts", db, "-portal", "nowhere"}, &csv); err == nil || !strings.Contains(err.Error(), `"nowhere": not among the portals`) {
		t.Errorf("an unknown portal: %v", err)
	}

	// A receipt imported into the database behind the host's back counts
	// once the receipts are counted again.
	direct, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if _, err := direct.Exec(`INSERT INTO receipts (consent_id, portal, revision, choices, answer, decided_at, received_at) VALUES ('imported', 'pau', 1, '{"statistics":false}', 'reject_all', $1, $1)`, now.Unix()); err != nil {
		t.Fatal(err)
	}
	for _, recount := range []bool{false, true} {
		csv.Reset()
		if err := stats([]string{"-receipts", db, "-tz", "UTC", "-since", today, "-csv", "-recount=" + fmt.Sprint(recount)}, &csv); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]string{false: ",6,4,", true: ",7,4,"}[recount]; !strings.Contains(csv.String(), want) {
			t.Errorf("-recount=%v: CSV lacks %q:\n%s", recount, want, csv.String())
		}
	}
}

// The admin token is read from its file without the line end an editor
// adds; a token short enough to be guessed is refused at start-up, and the
// refusal does not repeat it.
func TestAdminTokenFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	os.WriteFile(good, []byte("  3f9c0a7be21d44c8a6f0b5e2\n"), 0o600)
	if token, err := readAdminToken(good); err != nil || token != "3f9c0a7be21d44c8a6f0b5e2" {
		t.Errorf("readAdminToken = %q, %v", token, err)
	}
	short := filepath.Join(dir, "short")
	os.WriteFile(short, []byte("secret12\n"), 0o600)
	_, err := readAdminToken(short)
	if err == nil || !strings.Contains(err.Error(), "16 characters or more") || strings.Contains(err.Error(), "secret12") {
		t.Errorf("a short token: %v", err)
	}
	if _, err := readAdminToken(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing token file is accepted")
	}
}
