package receipts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// MinFreeDisk is the free space a SQLite store's disk must keep for the
// store to be healthy: the write-ahead log grows by up to 4 MB between two
// checkpoints, and each checkpoint grows the file. Under it the host says
// it is not ready before a receipt write fails, not after.
const MinFreeDisk = 16 << 20

// UnwritableError says why receipts cannot be written now. Reason is fit
// for a public probe: it names no file and no address; Err, for the log,
// may.
type UnwritableError struct {
	Reason string
	Err    error
}

func (e *UnwritableError) Error() string { return e.Reason + ": " + e.Err.Error() }
func (e *UnwritableError) Unwrap() error { return e.Err }

// ErrReplaced is wrapped by Health's error, and by Record's, when the SQLite
// file the store opened is no longer at its path: what is written goes to
// a file nobody will read again.
var ErrReplaced = errors.New("the receipts file was deleted or replaced since the host opened it")

// Health tells whether a receipt written now would be kept: the SQLite file
// is still the one at its path, its disk has MinFreeDisk free, and a write
// commits (a receipt inserted and rolled back, which checks the rights on
// the receipts, and a committed write, which reaches the disk or the
// database's log as a receipt does). The error is an *UnwritableError.
func (s *Store) Health(ctx context.Context) error {
	if s.kind == "sqlite" {
		if err := s.sameFile(); err != nil {
			return &UnwritableError{Reason: FailureReason(err), Err: err}
		}
		if free, err := freeDisk(s.where); err == nil && free < MinFreeDisk {
			return &UnwritableError{Reason: fmt.Sprintf("the disk holding the receipts has %s free, under the %s kept free for them", megabytes(free), megabytes(MinFreeDisk)),
				Err: fmt.Errorf("%s: %d bytes free", s.where, free)}
		}
	}
	if err := s.CheckWritable(ctx); err != nil {
		return &UnwritableError{Reason: FailureReason(err), Err: err}
	}
	return nil
}

// sameFile returns an error wrapping ErrReplaced when the store's SQLite
// file is not the one it opened.
func (s *Store) sameFile() error {
	now, err := os.Stat(s.where)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %v", ErrReplaced, err)
	case !os.SameFile(now, s.file):
		return fmt.Errorf("%w: %s is another file now", ErrReplaced, s.where)
	}
	return nil
}

func megabytes(n uint64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

// SQLite's primary result codes (https://sqlite.org/rescode.html) that
// say why a write failed.
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// FailureReason says, without names or addresses, why a write failed: a
// reason fit for a public probe.
func FailureReason(err error) string {
	var unwritable *UnwritableError
	if errors.As(err, &unwritable) {
		return unwritable.Reason
	}
	if errors.Is(err, ErrReplaced) {
		return ErrReplaced.Error() + ": restart the host to open the file at its path"
	}
	var lite *sqlite.Error
	var pg *pgconn.PgError
	var netErr net.Error
	switch {
	case errors.As(err, &lite) && lite.Code()&0xff == sqliteReadOnly,
		errors.As(err, &pg) && pg.Code == "25006":
		return "the store is read-only"
	case errors.As(err, &lite) && lite.Code()&0xff == sqliteFull,
		errors.As(err, &pg) && pg.Code == "53100":
		return "the disk holding the receipts is full"
	case errors.As(err, &lite) && (lite.Code()&0xff == sqliteIOErr || lite.Code()&0xff == sqliteCantOpen):
		return "the receipts file cannot be read or written"
	case errors.As(err, &pg) && (strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "57")):
		return "the database closed the connection or is shutting down (SQLSTATE " + pg.Code + ")"
	case errors.As(err, &pg):
		return "the database refused a write (SQLSTATE " + pg.Code + ")"
	case errors.As(err, &netErr), errors.Is(err, context.DeadlineExceeded):
		return "the database cannot be reached"
	}
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		return "the database cannot be reached"
	}
	return "a trial write failed"
}
