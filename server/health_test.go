package server_test

import (
	"database/sql"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/server"
)

// /healthz answers while the host serves; /readyz also says whether the
// receipts it is given are written. Neither is kept by a cache.
func TestReadyzReportsReceiptsThatCannotBeWritten(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	srv, _, pau := newHostAt(t, db, server.Options{ReceiptRate: 1000})
	direct, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	// The store starts refusing writes, as a disk turned read-only would.
	refuse := func(on bool) {
		t.Helper()
		statement := "DROP TRIGGER refuse_writes"
		if on {
			statement = "CREATE TRIGGER refuse_writes BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END"
		}
		if _, err := direct.Exec(statement); err != nil {
			t.Fatal(err)
		}
	}
	probe := func(path string, want int) string {
		t.Helper()
		res, body := get(t, srv.URL+path)
		if res.StatusCode != want || res.Header.Get("Cache-Control") != "no-store" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %q, headers %v; want %d", path, res.StatusCode, body, res.Header, want)
		}
		return body
	}
	probe("/readyz", 200)

	refuse(true)
	if status, msg, _ := post(t, srv.URL, "", receiptBody(t, pau, nil)); status != http.StatusInternalServerError {
		t.Fatalf("a receipt the store refuses: %d %q", status, msg)
	}
	if body := probe("/readyz", 503); !strings.HasPrefix(body, "receipts cannot be written since ") || strings.Contains(body, db) {
		t.Errorf("/readyz: %q, want the reason, without the file's path", body)
	}
	probe("/healthz", 200)

	// Writes work again: a receipt written says so.
	refuse(false)
	if status, msg, _ := post(t, srv.URL, "", receiptBody(t, pau, nil)); status != http.StatusNoContent {
		t.Fatalf("a receipt once the store writes again: %d %q", status, msg)
	}
	probe("/readyz", 200)

	// Out of service, the host gets no receipt: /readyz tries a write
	// itself.
	refuse(true)
	post(t, srv.URL, "", receiptBody(t, pau, nil))
	refuse(false)
	probe("/readyz", 200)
}
