package receipts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNotSQLite is wrapped by Backup's error on a PostgreSQL store, which
// pg_dump backs up.
var ErrNotSQLite = errors.New("only a SQLite store is backed up by the host: back up a PostgreSQL database with pg_dump")

// Backup writes a consistent copy of a SQLite store to file, a new file:
// the receipts committed when it starts, all of them and nothing half
// written, while hosts go on writing to the store (VACUUM INTO reads one
// snapshot, and blocks no writer). The copy is a SQLite store a host can
// be started on. It is synced to the disk before Backup returns; a file
// that exists already, even empty, is never overwritten, and a copy that
// fails is removed.
func (s *Store) Backup(ctx context.Context, file string) error {
	fail := func(err error) error {
		return fmt.Errorf("receipts (%s, %s): backup to %s: %w", s.kind, s.where, file, err)
	}
	if s.kind != "sqlite" {
		return fail(ErrNotSQLite)
	}
	// An absolute path: SQLite would read "file:…" as a URI.
	path, err := filepath.Abs(file)
	if err != nil {
		return fail(err)
	}
	// Made here, empty, and only if nothing is there: VACUUM INTO writes
	// into an empty file, and this refuses an existing one without a race.
	// Receipts are personal data: the copy is for its owner alone.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fail(fmt.Errorf("the file exists already: a backup never overwrites one"))
		}
		return fail(err)
	}
	f.Close()
	if err := s.vacuumInto(ctx, path); err != nil {
		os.Remove(path)
		return fail(err)
	}
	return nil
}

func (s *Store) vacuumInto(ctx context.Context, path string) error {
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return err
	}
	// SQLite does not sync the file VACUUM INTO writes: the copy, then its
	// directory's entry (where the system can: not on Windows).
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	f.Close()
	if err != nil {
		return err
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return nil
}
