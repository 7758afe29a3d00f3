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
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver

	"github.com/opendata-consent/consent/consent"
)

// Receipt is the proof of one choice.
type Receipt struct {
	ConsentID string          `json:"consentId"`
	Portal    string          `json:"portal"`
	Revision  int             `json:"revision"`
	Choices   map[string]bool `json:"choices"`
	// Answer is what the choices amount to (consent.Portal.AnswerOf),
	// kept for the statistics.
	Answer     consent.Answer `json:"answer"`
	DecidedAt  time.Time      `json:"decidedAt"`
	ReceivedAt time.Time      `json:"receivedAt"`
}

// Store is where receipts are kept.
type Store struct {
	db   *sql.DB
	kind string
	// where names the store in errors: the SQLite file's absolute path,
	// or the PostgreSQL URL without its password or parameters.
	where string
	// file is the SQLite file as opened: a receipt is acknowledged only
	// while the file at its path is still this one (Health).
	file os.FileInfo
}

// Open opens the store named by dsn: a postgres:// or postgresql:// URL for
// PostgreSQL, anything else is a SQLite file path, taken whole ("#" and "?"
// are characters of the file's name). The schema is migrated.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return open(ctx, dsn, len(migrations))
}

// open is Open with the schema migrated up to level, the number of
// migrations applied: len(migrations) but in the tests, which open a store
// as an older release left it.
func open(ctx context.Context, dsn string, level int) (*Store, error) {
	s := &Store{kind: "sqlite"}
	var err error
	if isPostgres(dsn) {
		s.kind, s.where = "postgres", redact(dsn)
		s.db, err = sql.Open("pgx", dsn)
	} else {
		if s.where, err = filepath.Abs(dsn); err != nil {
			return nil, fmt.Errorf("receipts: %w", err)
		}
		// One writer at a time, waiting for a lock rather than failing:
		// receipts are small and SQLite serialises writes anyway. Each
		// commit is synced to the disk before Record returns (synchronous
		// FULL), so that a receipt acknowledged survives a power cut.
		s.db, err = sql.Open("sqlite", sqliteURI(s.where)+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
		if err == nil {
			s.db.SetMaxOpenConns(1)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("receipts (%s, %s): %w", s.kind, s.where, err)
	}
	if err := s.migrate(ctx, level); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("receipts (%s, %s): %w", s.kind, s.where, err)
	}
	if s.kind == "sqlite" {
		// The migration made the file if it was not there.
		if s.file, err = os.Stat(s.where); err != nil {
			s.db.Close()
			return nil, fmt.Errorf("receipts (%s, %s): %w", s.kind, s.where, err)
		}
	}
	return s, nil
}

// OpenExisting is Open for a store that must exist already, as the commands
// that read receipts need: a SQLite path that names no file is an error,
// not a new, empty store.
func OpenExisting(ctx context.Context, dsn string) (*Store, error) {
	if !isPostgres(dsn) {
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("receipts (sqlite, %s): no store there (%w): give -receipts the file the host writes", dsn, errors.Unwrap(err))
		}
	}
	return Open(ctx, dsn)
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteURI returns the SQLite URI of a file path (https://sqlite.org/uri.html).
// The driver reads its parameters after the first "?", and SQLite ends the
// path at a "?" or a "#": those are escaped, with "%", so that
// "/srv/receipts#1.db" is that file, not "/srv/receipts".
func sqliteURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
}

// redact returns a PostgreSQL URL fit for a log or an error: no password,
// no parameters (which may carry one).
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the PostgreSQL URL"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.Redacted()
}

// migrations are applied in order, once each; they are written in the SQL
// both databases understand.
//
// Every migration is additive: a new table, a new index, a new column with
// a default, or the filling of such a column or table. None renames,
// drops, or changes the type or the constraints of what is there already.
// So a host of the previous release keeps working on the schema a newer
// host migrated: it reads and writes the columns it knows, and the rows it
// writes take the defaults of those it does not. That is what lets hosts
// on one database be upgraded one at a time. (A change that is not
// additive takes two releases: the first adds the new form and writes
// both, the second, once no older host runs, stops using the old one; a
// drop, if ever needed, comes after that.)
//
// migrate applies them under a lock (see migrateNext): hosts that start at
// once on one database take turns, and each migration is applied once.
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
	// The statistics (stats.go) count each portal's receipts by answer.
	// Receipts kept before this column existed are classified by their
	// choices alone: all accepted, all refused, or custom (a refusal that
	// leaves exempt audience measurement on counts as custom there).
	`ALTER TABLE receipts ADD COLUMN answer TEXT NOT NULL DEFAULT ''`,
	`UPDATE receipts SET answer = CASE
		WHEN choices NOT LIKE '%:false%' THEN 'accept_all'
		WHEN choices NOT LIKE '%:true%' THEN 'reject_all'
		ELSE 'custom' END`,
	// The statistics read counts, not receipts: counting millions of
	// receipts row by row took seconds for a month and half a minute for
	// a year (make bench-stats). Record keeps each quarter hour's count of
	// a portal's identical choices in the receipt's own transaction (every
	// time zone's midnight falls on a quarter hour); the receipts kept
	// before are counted once, here.
	`CREATE TABLE receipt_counts (
		portal  TEXT   NOT NULL,
		slot    BIGINT NOT NULL,
		answer  TEXT   NOT NULL,
		choices TEXT   NOT NULL,
		n       BIGINT NOT NULL,
		PRIMARY KEY (portal, slot, answer, choices)
	)`,
	recount,
	// Health's committed write: one row, overwritten at each probe.
	`CREATE TABLE store_check (
		id         INTEGER NOT NULL PRIMARY KEY,
		checked_at BIGINT  NOT NULL
	)`,
	// The console's sessions, here so that every host on one database
	// knows them (sessions.go).
	`CREATE TABLE console_sessions (
		id         TEXT   NOT NULL PRIMARY KEY,
		expires_at BIGINT NOT NULL
	)`,
}

// slotSeconds is the span of one count of receipt_counts: a quarter hour.
const slotSeconds = 900

// recount counts every receipt into the empty receipt_counts.
const recount = `INSERT INTO receipt_counts (portal, slot, answer, choices, n)
	SELECT portal, decided_at / 900, answer, choices, COUNT(*) FROM receipts
	GROUP BY portal, decided_at / 900, answer, choices`

// countReceipt adds a receipt just kept to its count.
const countReceipt = `INSERT INTO receipt_counts (portal, slot, answer, choices, n) VALUES ($1, $2, $3, $4, 1)
	ON CONFLICT (portal, slot, answer, choices) DO UPDATE SET n = receipt_counts.n + 1`

// migrationLock is the key of the PostgreSQL advisory lock the migrations
// take: "consent" and 1, in the 64 bits of a bigint.
const migrationLock int64 = 0x636f6e73656e7401

// migrate applies the migrations the schema lacks up to level, one
// transaction each.
func (s *Store) migrate(ctx context.Context, level int) error {
	for {
		// Most opens find the schema up to date: one read, no lock (a
		// store the host may read but not write opens, as before; its
		// CheckWritable fails). A store not migrated yet has no
		// schema_migrations: the read fails and migrateNext makes it.
		var done int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&done); err == nil && done >= level {
			return nil
		}
		applied, err := s.migrateNext(ctx, level)
		if err != nil || !applied {
			return err
		}
	}
}

// migrateNext applies the next migration the schema lacks below level, if
// any, and reports whether it did. It holds a lock from the start of its
// transaction to the end: in SQLite the write lock (BEGIN IMMEDIATE, which
// waits for another writer up to busy_timeout), in PostgreSQL a
// transaction-scoped advisory lock, which the commit or the rollback
// releases. The version applied is read inside the lock, so hosts starting
// at once on a database take turns, and a migration another host applied
// meanwhile is not applied again. In PostgreSQL receipts are recorded
// meanwhile (a migration waits only for the transactions on the tables it
// changes); in SQLite they wait for each migration's transaction.
func (s *Store) migrateNext(ctx context.Context, level int) (applied bool, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	exec := func(query string, args ...any) error {
		_, err := conn.ExecContext(ctx, query, args...)
		return err
	}
	if s.kind == "postgres" {
		err = exec(`BEGIN`)
	} else {
		err = exec(`BEGIN IMMEDIATE`)
	}
	if err != nil {
		return false, err
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		}
	}()
	if s.kind == "postgres" {
		if err := exec(`SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return false, err
		}
	}
	if err := exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY)`); err != nil {
		return false, err
	}
	var done int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&done); err != nil {
		return false, err
	}
	if done < level {
		if err := exec(migrations[done]); err != nil {
			return false, fmt.Errorf("migration %d: %w", done+1, err)
		}
		if err := exec(`INSERT INTO schema_migrations (version) VALUES ($1)`, done+1); err != nil {
			return false, err
		}
	}
	if err := exec(`COMMIT`); err != nil {
		return false, err
	}
	return done < level, nil
}

// CheckWritable makes sure receipts can be written: in one transaction, it
// writes a receipt and its count and takes them back (a savepoint rolled
// back, which leaves nothing behind), then overwrites the store's check row
// and commits, which reaches the disk or the database's log as a receipt
// does. A store the host can read but not write (a read-only file, a role
// without INSERT, a read-only replica, a full disk) fails here, naming the
// store, rather than on every receipt.
func (s *Store) CheckWritable(ctx context.Context) error {
	fail := func(err error) error {
		return fmt.Errorf("receipts (%s, %s): cannot write: %w", s.kind, s.where, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	for _, statement := range []struct {
		query string
		args  []any
	}{
		{`SAVEPOINT write_check`, nil},
		// Not a consent id (it has a space): it cannot meet a real receipt.
		{`INSERT INTO receipts (consent_id, portal, revision, choices, decided_at, received_at)
			VALUES ('write check', '', 0, '{}', 0, 0)`, nil},
		{countReceipt, []any{"", 0, "", "write check"}},
		{`ROLLBACK TO SAVEPOINT write_check`, nil},
		{`INSERT INTO store_check (id, checked_at) VALUES (1, $1)
			ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, []any{time.Now().Unix()}},
	} {
		if _, err := tx.ExecContext(ctx, statement.query, statement.args...); err != nil {
			return fail(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return nil
}

// Recount counts the receipts again into the statistics' counts, in one
// transaction: after receipts were written to the database by other means
// than Record (an import, a copy from another store), which the counts
// do not see.
func (s *Store) Recount(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM receipt_counts`); err != nil {
		return fmt.Errorf("receipts (%s): recount: %w", s.kind, err)
	}
	if _, err := tx.ExecContext(ctx, recount); err != nil {
		return fmt.Errorf("receipts (%s): recount: %w", s.kind, err)
	}
	return tx.Commit()
}

// Kind is "sqlite" or "postgres".
func (s *Store) Kind() string { return s.kind }

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Record keeps r. The same receipt again (a page's request sent twice) is not an
// error and is kept once; another receipt with the consent id of one
// already kept (other choices, portal, revision or date) is ErrConflict,
// and the receipt kept stays as it is.
func (s *Store) Record(ctx context.Context, r Receipt) error {
	choices, err := json.Marshal(r.Choices)
	if err != nil {
		return err
	}
	// The receipt and its count, together or not at all.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO receipts (consent_id, portal, revision, choices, answer, decided_at, received_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (consent_id) DO NOTHING`,
		r.ConsentID, r.Portal, r.Revision, string(choices), string(r.Answer), r.DecidedAt.Unix(), r.ReceivedAt.Unix())
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		if _, err := tx.ExecContext(ctx, countReceipt, r.Portal, r.DecidedAt.Unix()/slotSeconds, string(r.Answer), string(choices)); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		// Committed to a file that was deleted or replaced meanwhile, the
		// receipt is lost: the client keeps it and sends it again.
		if s.kind == "sqlite" {
			return s.sameFile()
		}
		return nil
	}
	tx.Rollback()
	var kept Receipt
	var keptChoices string
	var decided int64
	err = s.db.QueryRowContext(ctx, `SELECT portal, revision, choices, decided_at FROM receipts WHERE consent_id = $1`, r.ConsentID).
		Scan(&kept.Portal, &kept.Revision, &keptChoices, &decided)
	if err != nil {
		return err
	}
	// The choices are compared as kept: json.Marshal writes a map's keys
	// in order.
	if kept.Portal != r.Portal || kept.Revision != r.Revision || keptChoices != string(choices) || decided != r.DecidedAt.Unix() {
		return ErrConflict
	}
	// Kept already, but perhaps in a file deleted or replaced since: a
	// receipt sent again after a 500 is acknowledged only if it is in the
	// file at the store's path.
	if s.kind == "sqlite" {
		return s.sameFile()
	}
	return nil
}

// ByID returns the receipt of one consent id.
func (s *Store) ByID(ctx context.Context, consentID string) ([]Receipt, error) {
	return s.query(ctx, `WHERE consent_id = $1`, consentID)
}

// Between returns the receipts of the choices made from since (included)
// to until (excluded), oldest first; a zero until sets no end.
func (s *Store) Between(ctx context.Context, since, until time.Time) ([]Receipt, error) {
	if until.IsZero() {
		return s.query(ctx, `WHERE decided_at >= $1`, since.Unix())
	}
	return s.query(ctx, `WHERE decided_at >= $1 AND decided_at < $2`, since.Unix(), until.Unix())
}

// Count returns how many receipts are kept.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM receipts`).Scan(&n)
	return n, err
}

func (s *Store) query(ctx context.Context, where string, args ...any) ([]Receipt, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT consent_id, portal, revision, choices, answer, decided_at, received_at FROM receipts `+where+` ORDER BY decided_at, consent_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []Receipt
	for rows.Next() {
		var r Receipt
		var choices, answer string
		var decided, received int64
		if err := rows.Scan(&r.ConsentID, &r.Portal, &r.Revision, &choices, &answer, &decided, &received); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(choices), &r.Choices); err != nil {
			return nil, fmt.Errorf("receipt %s: %w", r.ConsentID, err)
		}
		r.Answer = consent.Answer(answer)
		r.DecidedAt, r.ReceivedAt = time.Unix(decided, 0).UTC(), time.Unix(received, 0).UTC()
		list = append(list, r)
	}
	return list, rows.Err()
}

// ErrConflict is returned by Record for a receipt whose consent id is kept
// already with other content: the request is refused (409), the receipt
// kept is not replaced.
var ErrConflict = errors.New("another receipt is kept under this consent id")

// ErrInvalid is wrapped by the errors of Decode: the request is the
// client's fault (400).
var ErrInvalid = errors.New("invalid receipt")
