package receipts_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/receipts"
)

// Health says why a receipt written now would not be kept, in words fit
// for a public probe: a store that refuses writes, a PostgreSQL database
// turned read-only or closed to the host; on a SQLite store, its file
// deleted. Healthy again, it says nothing.
func TestHealthSaysWhyReceiptsCannotBeWritten(t *testing.T) {
	ctx := context.Background()
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			s := db.open()
			if err := s.Health(ctx); err != nil {
				t.Fatalf("a new store: %v", err)
			}
			unwritable := func(want string) {
				t.Helper()
				// The first check after connections were cut may meet
				// one of them, which only says so.
				err := s.Health(ctx)
				if kind == "postgres" {
					err = s.Health(ctx)
				}
				var u *receipts.UnwritableError
				if !errors.As(err, &u) || !strings.Contains(u.Reason, want) || strings.Contains(u.Reason, db.dsn) {
					t.Errorf("Health: %v, want a reason saying %q without the store's name", err, want)
				}
			}
			db.exec(t, "CREATE TABLE refuse (x INTEGER)")
			if kind == "sqlite" {
				db.exec(t, "CREATE TRIGGER refuse_writes BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'no'); END")
				unwritable("a trial write failed")
				db.exec(t, "DROP TRIGGER refuse_writes")
				if err := s.Health(ctx); err != nil {
					t.Errorf("writes work again: %v", err)
				}
				os.Remove(db.dsn)
				unwritable("deleted or replaced")
				return
			}
			name := db.name(t)
			// The host's connections end (a failover, a restart) and the
			// database is read-only when they come back.
			db.exec(t, "ALTER DATABASE "+name+" SET default_transaction_read_only = on",
				"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"+name+"' AND pid <> pg_backend_pid()")
			unwritable("read-only")
			db.exec(t, "ALTER DATABASE "+name+" RESET default_transaction_read_only",
				"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"+name+"' AND pid <> pg_backend_pid()")
			s.Health(ctx)
			if err := s.Health(ctx); err != nil {
				t.Errorf("writes work again: %v", err)
			}
		})
	}
}
