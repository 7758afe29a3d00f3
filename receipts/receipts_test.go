package receipts_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
)

// stores returns, for each database, a function opening the same store
// again: a SQLite file, and the PostgreSQL server that `make test` starts
// (scripts/with-postgres.sh sets CONSENT_TEST_POSTGRES).
func stores(t *testing.T) map[string]func() *receipts.Store {
	t.Helper()
	file := filepath.Join(t.TempDir(), "receipts.db")
	open := func(dsn string) func() *receipts.Store {
		return func() *receipts.Store {
			s, err := receipts.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	}
	all := map[string]func() *receipts.Store{"sqlite": open(file)}
	dsn := os.Getenv("CONSENT_TEST_POSTGRES")
	if dsn == "" {
		t.Log("CONSENT_TEST_POSTGRES is not set: PostgreSQL not tested (make test starts a server and sets it)")
		return all
	}
	// A database of its own for each test, dropped at the end, made on a
	// connection of the test's own: the store runs no statement but its
	// schema's.
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	db := fmt.Sprintf("receipts_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE " + db + " WITH (FORCE)") })
	all["postgres"] = open(strings.Replace(dsn, "/postgres?", "/"+db+"?", 1))
	return all
}

func pau(t *testing.T) *consent.Portal {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return list[0]
}

func TestRecordAndFindReceipts(t *testing.T) {
	p := pau(t)
	day := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for kind, open := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			s := open()
			var kept []receipts.Receipt
			for i := range 3 {
				c := consent.NewChoice(p, map[string]bool{"statistics": i%2 == 0}, day.Add(time.Duration(i)*time.Hour))
				r := receipts.Receipt{ConsentID: c.ID, Portal: p.ID, Revision: c.Revision, Choices: c.Accepted, DecidedAt: c.DecidedAt, ReceivedAt: c.DecidedAt.Add(time.Second)}
				if err := s.Record(ctx, r); err != nil {
					t.Fatal(err)
				}
				kept = append(kept, r)
			}
			if err := s.Record(ctx, kept[1]); err != nil {
				t.Errorf("a receipt sent twice: %v", err)
			}
			// A restart: the same store opened again keeps everything.
			s.Close()
			s = open()
			if n, err := s.Count(ctx); err != nil || n != 3 {
				t.Fatalf("after a restart %d receipts (%v), want 3, the duplicate ignored", n, err)
			}
			got, err := s.ByID(ctx, kept[2].ConsentID)
			if err != nil || len(got) != 1 || got[0].Choices["statistics"] != true || !got[0].DecidedAt.Equal(kept[2].DecidedAt) || got[0].Portal != "pau" {
				t.Errorf("ByID: %+v, %v; want %+v", got, err, kept[2])
			}
			got, err = s.Between(ctx, day.Add(30*time.Minute), day.Add(3*time.Hour))
			if err != nil || len(got) != 2 || got[0].ConsentID != kept[1].ConsentID {
				t.Errorf("Between: %+v, %v", got, err)
			}
		})
	}
}
