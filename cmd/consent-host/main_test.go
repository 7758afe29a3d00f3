package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

// startHost runs the host on a free port with its receipts in db; stop ends
// it as SIGTERM does and returns run's error.
func startHost(t *testing.T, db string) (url string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	opts := server.Options{Files: web.Files, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	go func() { done <- run(ctx, "127.0.0.1:0", "", db, opts, ready) }()
	select {
	case addr := <-ready:
		return "http://" + addr, func() error { cancel(); return <-done }
	case err := <-done:
		t.Fatal(err)
	}
	return "", nil
}

// On SIGTERM the host finishes the downloads in flight before it stops; the
// receipts it kept are there after a restart, and export prints them.
func TestShutdownFinishesRequestsAndReceiptsSurviveARestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	url, stop := startHost(t, db)
	if res, err := http.Get(url + "/healthz"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %v %v", res, err)
	}
	list, _ := portals.Builtin()
	c := consent.AcceptAll(list[0], time.Now())
	body, _ := json.Marshal(consent.NewReceiptRequest(list[0], c))
	res, err := http.Post(url+"/receipts", "text/plain;charset=UTF-8", bytes.NewReader(body))
	if err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("posting a receipt: %v %v", res, err)
	}

	embed, _ := http.Get(url + "/embed.js")
	script, _ := io.ReadAll(embed.Body)
	wasm := regexp.MustCompile(`assets/consent\.[0-9a-f]+\.wasm`).FindString(string(script))
	req, _ := http.NewRequest("GET", url+"/"+wasm, nil)
	req.Header.Set("Accept-Encoding", "identity")
	download, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 64<<10)
	if _, err := io.ReadFull(download.Body, first); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	time.Sleep(200 * time.Millisecond) // the shutdown has begun
	rest, err := io.ReadAll(download.Body)
	if err != nil || int64(len(first)+len(rest)) != download.ContentLength {
		t.Errorf("the download in flight got %d of %d bytes (%v)", len(first)+len(rest), download.ContentLength, err)
	}
	if err := <-stopped; err != nil {
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
