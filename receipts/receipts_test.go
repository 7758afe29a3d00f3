package receipts_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
)

// testDB is a database the tests keep receipts in.
type testDB struct {
	// dsn names it as -receipts does.
	dsn string
	// open opens the store on it (again); the test closes it at its end.
	open func() *receipts.Store
	// direct is a connection of the test's own to it: the store runs no
	// statement but its schema's.
	direct *sql.DB
}

// stores returns the databases to test against: a SQLite file, and the
// PostgreSQL server that `make test` starts (scripts/with-postgres.sh sets
// CONSENT_TEST_POSTGRES), in a database of the test's own.
func stores(t *testing.T) map[string]testDB {
	t.Helper()
	all := map[string]testDB{"sqlite": newTestDB(t, "sqlite", filepath.Join(t.TempDir(), "receipts.db"))}
	dsn := os.Getenv("CONSENT_TEST_POSTGRES")
	if dsn == "" {
		t.Log("CONSENT_TEST_POSTGRES is not set: PostgreSQL not tested (make test starts a server and sets it)")
		return all
	}
	// A database of its own for each test, dropped at the end.
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
	all["postgres"] = newTestDB(t, "pgx", strings.Replace(dsn, "/postgres?", "/"+db+"?", 1))
	return all
}

func newTestDB(t *testing.T, driver, dsn string) testDB {
	direct, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	return testDB{dsn: dsn, direct: direct, open: func() *receipts.Store {
		s, err := receipts.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}}
}

// name is the database's name, as PostgreSQL knows it.
func (db testDB) name(t *testing.T) string {
	t.Helper()
	var name string
	if err := db.direct.QueryRow("SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

func (db testDB) exec(t *testing.T, statements ...string) {
	t.Helper()
	for _, st := range statements {
		if _, err := db.direct.Exec(st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
}

func pau(t *testing.T) *consent.Portal {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return list[0]
}

func receiptOf(p *consent.Portal, statistics bool, decided time.Time) receipts.Receipt {
	c := consent.NewChoice(p, map[string]bool{"statistics": statistics}, decided)
	return receipts.Receipt{ConsentID: c.ID, Portal: p.ID, Revision: c.Revision, Choices: c.Accepted, DecidedAt: c.DecidedAt, ReceivedAt: c.DecidedAt.Add(time.Second)}
}

func TestRecordAndFindReceipts(t *testing.T) {
	p := pau(t)
	day := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			s := db.open()
			var kept []receipts.Receipt
			for i := range 3 {
				r := receiptOf(p, i%2 == 0, day.Add(time.Duration(i)*time.Hour))
				if err := s.Record(ctx, r); err != nil {
					t.Fatal(err)
				}
				kept = append(kept, r)
			}
			// A restart: the same store opened again keeps everything.
			s.Close()
			s = db.open()
			if n, err := s.Count(ctx); err != nil || n != 3 {
				t.Fatalf("after a restart %d receipts (%v), want 3", n, err)
			}
			got, err := s.ByID(ctx, kept[2].ConsentID)
			if err != nil || len(got) != 1 || got[0].Choices["statistics"] != true || !got[0].DecidedAt.Equal(kept[2].DecidedAt) || got[0].Portal != "pau" {
				t.Errorf("ByID: %+v, %v; want %+v", got, err, kept[2])
			}
			got, err = s.Between(ctx, day.Add(30*time.Minute), day.Add(3*time.Hour))
			if err != nil || len(got) != 2 || got[0].ConsentID != kept[1].ConsentID {
				t.Errorf("Between: %+v, %v", got, err)
			}
			// No end: up to the last receipt, whatever its date.
			late := receiptOf(p, true, time.Now().Add(30*time.Minute))
			if err := s.Record(ctx, late); err != nil {
				t.Fatal(err)
			}
			got, err = s.Between(ctx, day.Add(30*time.Minute), time.Time{})
			if err != nil || len(got) != 3 || got[2].ConsentID != late.ConsentID {
				t.Errorf("Between with no end: %+v, %v", got, err)
			}
		})
	}
}

// The same receipt twice (a page's request sent again) is kept once; a receipt that
// reuses a kept consent id with anything else is a conflict and changes
// nothing.
func TestAConsentIDKeepsItsFirstReceipt(t *testing.T) {
	p := pau(t)
	first := receiptOf(p, true, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			s := db.open()
			if err := s.Record(ctx, first); err != nil {
				t.Fatal(err)
			}
			again := first
			again.ReceivedAt = first.ReceivedAt.Add(time.Minute)
			if err := s.Record(ctx, again); err != nil {
				t.Errorf("the same receipt again: %v", err)
			}
			for name, edit := range map[string]func(r *receipts.Receipt){
				"other choices":  func(r *receipts.Receipt) { r.Choices = map[string]bool{"statistics": false} },
				"other portal":   func(r *receipts.Receipt) { r.Portal = "aveyron" },
				"other revision": func(r *receipts.Receipt) { r.Revision++ },
				"other date":     func(r *receipts.Receipt) { r.DecidedAt = r.DecidedAt.Add(time.Second) },
			} {
				other := first
				edit(&other)
				if err := s.Record(ctx, other); !errors.Is(err, receipts.ErrConflict) {
					t.Errorf("%s under a kept consent id: %v, want ErrConflict", name, err)
				}
			}
			got, err := s.ByID(ctx, first.ConsentID)
			if n, _ := s.Count(ctx); err != nil || n != 1 || len(got) != 1 || !got[0].Choices["statistics"] || got[0].Portal != "pau" || !got[0].ReceivedAt.Equal(first.ReceivedAt) {
				t.Errorf("kept %d receipts, %+v (%v); want the first alone", n, got, err)
			}
		})
	}
}

// A store the host can read but not write fails CheckWritable, with an
// error naming it; a writable one passes and keeps no trace of the check.
func TestCheckWritable(t *testing.T) {
	ctx := context.Background()
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			s := db.open()
			if err := s.CheckWritable(ctx); err != nil {
				t.Fatalf("a writable store: %v", err)
			}
			if n, err := s.Count(ctx); err != nil || n != 0 {
				t.Errorf("the check left %d receipts (%v)", n, err)
			}
			name := db.dsn
			switch kind {
			case "sqlite":
				// As a read-only file does for any user but root.
				db.exec(t, `CREATE TRIGGER refuse_writes BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END`)
			case "postgres":
				// A role that may read the receipts, not add any.
				role := fmt.Sprintf("reader_%d", time.Now().UnixNano())
				db.exec(t, "CREATE ROLE "+role+" LOGIN", "GRANT CREATE ON SCHEMA public TO "+role,
					"GRANT SELECT ON receipts, schema_migrations TO "+role)
				reader := strings.Replace(db.dsn, "postgres://postgres@", "postgres://"+role+":secret@", 1)
				name = strings.Replace(db.dsn, "postgres://postgres@", "postgres://"+role+":xxxxx@", 1)
				name, _, _ = strings.Cut(name, "?")
				var err error
				if s, err = receipts.Open(ctx, reader); err != nil {
					t.Fatal(err)
				}
				defer s.Close()
			}
			err := s.CheckWritable(ctx)
			if err == nil || !strings.Contains(err.Error(), name+"): cannot write") {
				t.Errorf("a store refusing writes: %v, want an error naming %s", err, name)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// Without root, who writes any file, a read-only SQLite file opens (it can
// be read) and fails the check.
func TestReadOnlySQLiteFileFailsTheCheck(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes read-only files: TestCheckWritable refuses writes with a trigger instead")
	}
	file := filepath.Join(t.TempDir(), "receipts.db")
	s, err := receipts.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(file, 0o444); err != nil {
		t.Fatal(err)
	}
	if s, err = receipts.Open(context.Background(), file); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CheckWritable(context.Background()); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("a read-only file: %v, want an error naming %s", err, file)
	}
}

// A SQLite path is a path, "#" and "?" included: nothing after them is
// lost, and nothing is read as a parameter.
func TestSQLitePathIsTakenWhole(t *testing.T) {
	dir := t.TempDir()
	names := []string{"receipts#1.db", "receipts?mode=ro.db", "receipts%41.db", "a?_pragma=foo#x.db"}
	for _, name := range names {
		file := filepath.Join(dir, name)
		s, err := receipts.Open(context.Background(), file)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := s.Record(context.Background(), receiptOf(pau(t), true, time.Now())); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		s.Close()
		if _, err := os.Stat(file); err != nil {
			t.Errorf("%s: no such file after a receipt: %v", name, err)
		}
	}
	// Nothing else but their WAL files.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !slices.ContainsFunc(names, func(name string) bool { return strings.HasPrefix(e.Name(), name) }) {
			t.Errorf("a file under another name: %s", e.Name())
		}
	}
}
