// Package receipts keeps the proof of each consent: one receipt per choice,
// with the consent id the visitor's cookie carries, the portal, the
// configuration revision, the choices and their date. No IP address, no
// user agent: nothing that identifies the visitor beyond the random id.
//
// Receipts live in SQLite (a file, the default: modernc.org/sqlite, pure Go)
// or in PostgreSQL (pgx) for portals that run several hosts; the schema is
// the same and is migrated when the store opens.
package receipts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver
)

// Receipt is the proof of one choice.
type Receipt struct {
	ConsentID  string          `json:"consentId"`
	Portal     string          `json:"portal"`
	Revision   int             `json:"revision"`
	Choices    map[string]bool `json:"choices"`
	DecidedAt  time.Time       `json:"decidedAt"`
	ReceivedAt time.Time       `json:"receivedAt"`
}

// Store is where receipts are kept.
type Store struct {
	db   *sql.DB
	kind string
}

// Open opens the store named by dsn: a postgres:// or postgresql:// URL for
// PostgreSQL, anything else is a SQLite file path. The schema is migrated.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{kind: "sqlite"}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.kind = "postgres"
		s.db, err = sql.Open("pgx", dsn)
	} else {
		// One writer at a time, waiting for a lock rather than failing:
		// receipts are small and SQLite serialises writes anyway.
		s.db, err = sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
		if err == nil {
			s.db.SetMaxOpenConns(1)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("receipts (%s): %w", s.kind, err)
	}
	return s, nil
}

// migrations are applied in order, once each; they are written in the SQL
// both databases understand.
var migrations = []string{
	`CREATE TABLE receipts (
		consent_id  TEXT    NOT NULL PRIMARY KEY,
		portal      TEXT    NOT NULL,
		revision    INTEGER NOT NULL,
		choices     TEXT    NOT NULL,
		decided_at  BIGINT  NOT NULL,
		received_at BIGINT  NOT NULL
	)`,
	`CREATE INDEX receipts_decided_at ON receipts (decided_at)`,
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY)`); err != nil {
		return err
	}
	var done int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&done); err != nil {
		return err
	}
	for v := done; v < len(migrations); v++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v+1); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Kind is "sqlite" or "postgres".
func (s *Store) Kind() string { return s.kind }

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Record keeps r. A receipt already kept (a beacon sent twice) is not an
// error and is not duplicated.
func (s *Store) Record(ctx context.Context, r Receipt) error {
	choices, err := json.Marshal(r.Choices)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO receipts (consent_id, portal, revision, choices, decided_at, received_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (consent_id) DO NOTHING`,
		r.ConsentID, r.Portal, r.Revision, string(choices), r.DecidedAt.Unix(), r.ReceivedAt.Unix())
	return err
}

// ByID returns the receipt of one consent id.
func (s *Store) ByID(ctx context.Context, consentID string) ([]Receipt, error) {
	return s.query(ctx, `WHERE consent_id = $1`, consentID)
}

// Between returns the receipts of the choices made from since (included)
// to until (excluded), oldest first.
func (s *Store) Between(ctx context.Context, since, until time.Time) ([]Receipt, error) {
	return s.query(ctx, `WHERE decided_at >= $1 AND decided_at < $2`, since.Unix(), until.Unix())
}

// Count returns how many receipts are kept.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM receipts`).Scan(&n)
	return n, err
}

func (s *Store) query(ctx context.Context, where string, args ...any) ([]Receipt, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT consent_id, portal, revision, choices, decided_at, received_at FROM receipts `+where+` ORDER BY decided_at, consent_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []Receipt
	for rows.Next() {
		var r Receipt
		var choices string
		var decided, received int64
		if err := rows.Scan(&r.ConsentID, &r.Portal, &r.Revision, &choices, &decided, &received); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(choices), &r.Choices); err != nil {
			return nil, fmt.Errorf("receipt %s: %w", r.ConsentID, err)
		}
		r.DecidedAt, r.ReceivedAt = time.Unix(decided, 0).UTC(), time.Unix(received, 0).UTC()
		list = append(list, r)
	}
	return list, rows.Err()
}

// ErrInvalid is wrapped by the errors of Decode: the request is the
// client's fault (400).
var ErrInvalid = errors.New("invalid receipt")
